import type { AgencyCode } from "../reference/agencies";
import type { Capture, CapturedItem, CaptureJob, CrawlTarget, ExtractedItem } from "./model";

export interface Page<T> {
  items: T[];
  next?: string | undefined;
}

export interface ItemUpsert {
  item: CapturedItem;
}

/** Targets, jobs, captures and items in DynamoDB (keys in packages/aws/src/tables.ts). */
export interface MonitoringRepository {
  getTarget(id: string): Promise<CrawlTarget | null>;
  /** ConflictError when a target with the same URL exists in the agency and province. */
  createTargets(targets: CrawlTarget[]): Promise<void>;
  /** Replaces the target if its version is still `before.version` (ConflictError otherwise). */
  updateTarget(before: CrawlTarget, after: CrawlTarget): Promise<void>;
  listTargets(
    agency: AgencyCode,
    province: string,
    limit: number,
    cursor?: string,
  ): Promise<Page<CrawlTarget>>;
  /** Active targets whose nextDueAt is at or before `now`, oldest first. */
  dueTargets(now: Date, limit: number): Promise<CrawlTarget[]>;

  /**
   * Creates an open job and takes the URL's in-flight lock (one job per URL in flight), and, when given,
   * moves the target's next due time — all or nothing. Returns false when another job holds the lock.
   */
  createJob(
    job: CaptureJob,
    lockUntil: Date,
    target?: { before: CrawlTarget; after: CrawlTarget },
  ): Promise<boolean>;
  getJob(id: string): Promise<CaptureJob | null>;
  /**
   * Takes the job for `owner` until `leaseUntil` if it is open and available at `now`; increments its
   * attempts. null when it is done, failed, or leased by someone else.
   */
  claimJob(id: string, owner: string, now: Date, leaseUntil: Date): Promise<CaptureJob | null>;
  /**
   * Gives the job back. "retry": a failed attempt, open to the queue's next delivery at once (the
   * dispatcher re-sends it at `availableAt` if that delivery never comes). "defer": a politeness delay,
   * nobody takes it before `availableAt` and the attempt does not count. "resend": the dispatcher sends
   * it to the queue again. ConflictError when the job changed meanwhile.
   */
  releaseJob(
    job: CaptureJob,
    availableAt: Date,
    mode: "retry" | "defer" | "resend",
    error?: string,
  ): Promise<void>;
  /**
   * Ends a job: its capture record, the job marked done or failed and its URL lock released, the target's
   * last outcome — all or nothing, and only while `job.leaseOwner` still holds it (ConflictError).
   */
  finishJob(job: CaptureJob, capture: Capture): Promise<void>;
  /** Reopens a failed job (a re-drive from the dead-letter queue), attempts reset. */
  reopenJob(id: string, now: Date): Promise<CaptureJob | null>;
  /** Open jobs available at `now` (never taken, or whose lease ran out), oldest first. */
  availableJobs(now: Date, limit: number): Promise<CaptureJob[]>;

  getCapture(id: string): Promise<Capture | null>;
  capturesOfTarget(targetId: string, limit: number): Promise<Capture[]>;
  recentCaptures(agency: AgencyCode, province: string, limit: number): Promise<Capture[]>;

  /**
   * Inserts the item or, when its fingerprint exists, updates what was seen (content, lastSeen,
   * timesSeen, evidence) and keeps firstSeen. Returns the stored item and whether it is new.
   */
  /**
   * `changed`: the item was stored before and what the rules read of it (kind, title, text, price,
   * seller, category) differs now — a re-sighting with new content, to be evaluated again.
   */
  upsertItem(item: CapturedItem): Promise<{ item: CapturedItem; created: boolean; changed: boolean }>;
  getItem(id: string): Promise<CapturedItem | null>;
  getItems(ids: string[]): Promise<CapturedItem[]>;
  setEvaluationState(id: string, state: CapturedItem["evaluation"]["state"], at: Date): Promise<void>;
  listItems(
    agency: AgencyCode,
    province: string,
    limit: number,
    cursor?: string,
  ): Promise<Page<CapturedItem>>;
}

/** A host's politeness state, kept in the store so every worker shares it. */
export interface HostGate {
  /**
   * Takes one of the host's concurrency slots until `until`, if the host's rate limit and backoff allow a
   * request at `now`. Returns a release function, or the time to try again.
   */
  acquire(
    host: string,
    now: Date,
    until: Date,
  ): Promise<{ ok: true; release: () => Promise<void> } | { ok: false; retryAt: Date }>;
  /** The host answered 429 or 403: no request to it before `until`. */
  backoff(host: string, until: Date, reason: string): Promise<void>;
}

/** One rendered page, as the browser saw it. */
export interface RenderedPage {
  requestedUrl: string;
  finalUrl: string;
  httpStatus: number;
  redirects: string[];
  fetchedAt: Date;
  userAgent: string;
  html: string;
  text: string;
  screenshot: Uint8Array;
  items: ExtractedItem[];
  /** The next page of a paginated listing, absolute, if the page links one. */
  nextUrl?: string | undefined;
  /** The host's Retry-After header, as sent (a 429 or 403 may name when to come back). */
  retryAfter?: string | undefined;
}

/**
 * Renders a URL in a browser (packages/capture: playwright-core and @sparticuz/chromium). Rejects with
 * `CaptureRefusedError` when URL safety refuses the URL or a redirect, `CaptureFailedError` otherwise.
 */
export interface PageRenderer {
  render(url: string): Promise<RenderedPage>;
}

/** Hands a captured item to the flagging rules (issue 7). */
export interface ItemEvaluator {
  evaluate(item: CapturedItem): Promise<void>;
}

/** The capture certificate PDF (packages/documents). */
export type CaptureCertificateRenderer = (input: {
  capture: Capture;
  screenshot: Uint8Array | null;
  issuedAt: Date;
}) => Promise<Uint8Array>;

/** Tasks that failed every attempt (the dead-letter queue), for the console page. */
export interface DeadLetter {
  id: string;
  type: string;
  payload: Record<string, unknown>;
  error?: string | undefined;
  failedAt?: string | undefined;
}

export interface DeadLetters {
  list(limit: number): Promise<DeadLetter[]>;
  /** Sends the task back to its queue and removes it from the dead letters. */
  redrive(id: string): Promise<void>;
}
