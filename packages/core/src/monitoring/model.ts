import { z } from "zod";
import { ItemKindSchema } from "../flagging/model";
import { AgencyCodeSchema } from "../reference/agencies";
import { ProvinceCodeSchema } from "../reference/provinces";

/** What a crawl target points at. */
export const TARGET_KINDS = ["shop", "search", "website", "profile", "post"] as const;
export const TargetKindSchema = z.enum(TARGET_KINDS);
export type TargetKind = z.infer<typeof TargetKindSchema>;

export const SCHEDULES = ["hourly", "daily", "weekly"] as const;
export const ScheduleSchema = z.enum(SCHEDULES);
export type Schedule = z.infer<typeof ScheduleSchema>;

export const SCHEDULE_MS: Record<Schedule, number> = {
  hourly: 3_600_000,
  daily: 86_400_000,
  weekly: 7 * 86_400_000,
};

/** Pages a capture may follow (pagination) at most, whatever a target asks. */
export const MAX_PAGE_LIMIT = 20;

export const CrawlTargetSchema = z.object({
  id: z.string(),
  url: z.string(),
  /** The host of `url` (lower case, with a port if any): the key of politeness limits and extractors. */
  host: z.string(),
  kind: TargetKindSchema,
  /** Free text such as "shopee", "facebook", "website": copied onto every item captured from it. */
  platform: z.string(),
  label: z.string(),
  schedule: ScheduleSchema,
  pageLimit: z.number().int().min(1).max(MAX_PAGE_LIMIT),
  agency: AgencyCodeSchema,
  province: ProvinceCodeSchema,
  /** A registered party this target watches (a KOL's profile, a platform's shop). */
  partyId: z.string().optional(),
  active: z.boolean(),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
  /** When the dispatcher next makes a job for it. */
  nextDueAt: z.string(),
  lastCaptureId: z.string().optional(),
  lastCaptureAt: z.string().optional(),
  lastOutcome: z.enum(["succeeded", "failed"]).optional(),
  version: z.number().int(),
});
export type CrawlTarget = z.infer<typeof CrawlTargetSchema>;

/**
 * Where a capture's evidence lives in the documents store: evidence/<capture id>/… The capture worker may
 * read and create there and nowhere else (infra: EvidenceWriteOncePolicy).
 */
export const EVIDENCE_PREFIX = "evidence/";

/** One artefact of a captured page and its SHA-256 (hex), as listed in the page's manifest. */
export const ArtefactSchema = z.object({
  name: z.string(),
  key: z.string(),
  contentType: z.string(),
  bytes: z.number().int(),
  sha256: z.string(),
});
export type Artefact = z.infer<typeof ArtefactSchema>;

/** The evidence of one page: what was fetched, when, how, and the hashes of what was kept. */
export const CapturedPageSchema = z.object({
  pageNo: z.number().int().min(1),
  requestedUrl: z.string(),
  finalUrl: z.string(),
  httpStatus: z.number().int(),
  fetchedAt: z.string(),
  userAgent: z.string(),
  /** Every hop of the redirect chain, first to last (the final URL excluded). */
  redirects: z.array(z.string()),
  artefacts: z.array(ArtefactSchema),
  manifestKey: z.string(),
  /** SHA-256 of the manifest file itself, kept in the database as the anchor of the page's evidence. */
  manifestSha256: z.string(),
  itemCount: z.number().int(),
});
export type CapturedPage = z.infer<typeof CapturedPageSchema>;

/** "tip": a URL from the public tip form, captured on demand like staff's, with a certificate. */
export const CAPTURE_ORIGINS = ["scheduled", "on_demand", "tip"] as const;

export const CaptureSchema = z.object({
  id: z.string(),
  jobId: z.string(),
  targetId: z.string().optional(),
  url: z.string(),
  origin: z.enum(CAPTURE_ORIGINS),
  agency: AgencyCodeSchema,
  province: ProvinceCodeSchema,
  requestedBy: z.string(),
  /** The worker that captured it (a Lambda instance, the npm start process). */
  capturedBy: z.string().optional(),
  startedAt: z.string(),
  finishedAt: z.string(),
  outcome: z.enum(["succeeded", "failed"]),
  error: z.string().optional(),
  pages: z.array(CapturedPageSchema),
  itemIds: z.array(z.string()),
  /** The capture certificate PDF (on-demand captures). */
  certificate: ArtefactSchema.optional(),
});
export type Capture = z.infer<typeof CaptureSchema>;

export const JOB_STATES = ["open", "done", "failed"] as const;

/**
 * A capture job. "open" jobs are a queue in the table: `availableAt` is when a worker may take it; taking
 * it (a lease) moves `availableAt` to the lease's end, so a worker that dies leaves the job to be taken
 * again once the lease runs out — the visibility timeout of SQS, kept in the store.
 */
export const CaptureJobSchema = z.object({
  id: z.string(),
  targetId: z.string().optional(),
  url: z.string(),
  host: z.string(),
  urlKey: z.string(),
  origin: z.enum(CAPTURE_ORIGINS),
  pageLimit: z.number().int().min(1).max(MAX_PAGE_LIMIT),
  platform: z.string(),
  agency: AgencyCodeSchema,
  province: ProvinceCodeSchema,
  requestedBy: z.string(),
  state: z.enum(JOB_STATES),
  attempts: z.number().int(),
  /** Every claim ever, re-drives included: names each attempt's capture, so none overwrites another. */
  claims: z.number().int().optional(),
  availableAt: z.string(),
  leaseOwner: z.string().optional(),
  createdAt: z.string(),
  lastError: z.string().optional(),
  captureId: z.string().optional(),
});
export type CaptureJob = z.infer<typeof CaptureJobSchema>;

/** What an extractor found on a page, before it becomes a stored item. */
export const ExtractedItemSchema = z.object({
  kind: ItemKindSchema,
  title: z.string(),
  text: z.string().optional(),
  /** VND. */
  price: z.number().nonnegative().optional(),
  currency: z.string().optional(),
  seller: z.string().optional(),
  category: z.string().optional(),
  url: z.string().optional(),
  image: z.string().optional(),
  /** Which extractor found it: "json-ld", "microdata", "opengraph", or a site extractor's name. */
  source: z.string(),
});
export type ExtractedItem = z.infer<typeof ExtractedItemSchema>;

export const EVALUATION_STATES = ["new", "awaiting_evaluation", "evaluated"] as const;

/**
 * A listing, ad or post seen by the capture pipeline, keyed by its fingerprint: a re-capture updates
 * `lastSeen` and its content, never adds a second item. A superset of the flagging rules' input item
 * (`{ id, kind, platform, title, text?, price?, seller?, category?, url? }`).
 */
export const CapturedItemSchema = z.object({
  id: z.string(),
  kind: ItemKindSchema,
  platform: z.string(),
  title: z.string(),
  text: z.string().optional(),
  price: z.number().nonnegative().optional(),
  seller: z.string().optional(),
  category: z.string().optional(),
  url: z.string().optional(),
  image: z.string().optional(),
  source: z.string(),
  agency: AgencyCodeSchema,
  province: ProvinceCodeSchema,
  targetId: z.string().optional(),
  /** The page it was seen on, and the evidence of that page. */
  pageUrl: z.string(),
  captureId: z.string(),
  pageNo: z.number().int(),
  firstSeen: z.string(),
  lastSeen: z.string(),
  timesSeen: z.number().int(),
  evaluation: z.object({ state: z.enum(EVALUATION_STATES), at: z.string().optional() }),
});
export type CapturedItem = z.infer<typeof CapturedItemSchema>;
