import { createHash } from "node:crypto";
import { authorize } from "../auth/policy";
import type { Principal } from "../auth/roles";
import { ConflictError, NotFoundError } from "../errors";
import type { PartyRepository } from "../parties/ports";
import type { DocumentStore } from "../pledges/ports";
import type { Clock, TaskQueue } from "../ports";
import { urlKey } from "./fingerprint";
import type { TargetCsvError } from "./input";
import type { Artefact, Capture, CaptureJob, CrawlTarget } from "./model";
import type {
  CaptureCertificateRenderer,
  HostGate,
  ItemEvaluator,
  MonitoringRepository,
  PageRenderer,
} from "./ports";
import { parseCaptureUrl } from "./url-safety";

export const CAPTURE_TASK = "monitoring.capture";
export const EVALUATE_TASK = "monitoring.evaluate";
/** The scheduler's tick: due targets become capture jobs (EventBridge every minute on AWS). */
export const DISPATCH_TASK = "monitoring.dispatch";
/** Sent when a tip's capture ended (succeeded or failed): the tip goes on to case intake (tips/service.ts). */
export const TIP_CAPTURED_TASK = "tips.captured";

export interface MonitoringLimits {
  /** How long a worker holds a job before another may take it (the job's "visibility timeout"). */
  leaseMs: number;
  /** After this long an open job not yet taken is sent to the queue again (a lost message). */
  resendAfterMs: number;
  /** Attempts of a job before it fails (and its message goes to the dead-letter queue). */
  maxAttempts: number;
  /** Delay before a failed attempt may run again: base × 2^(attempt-1). */
  retryBaseMs: number;
  /** Pages of one host captured at the same time, across all workers. */
  hostConcurrency: number;
  /** Minimum time between two page requests to one host. */
  hostMinIntervalMs: number;
  /** Wait after a 429/403 when the host names no Retry-After. */
  hostBackoffMs: number;
  /** Targets and jobs read per dispatch. */
  dispatchBatch: number;
}

export const DEFAULT_MONITORING_LIMITS: MonitoringLimits = {
  leaseMs: 5 * 60_000,
  resendAfterMs: 2 * 60_000,
  maxAttempts: 3,
  retryBaseMs: 30_000,
  hostConcurrency: 2,
  hostMinIntervalMs: 1_000,
  hostBackoffMs: 10 * 60_000,
  dispatchBatch: 100,
};

export interface MonitoringDeps {
  repository: MonitoringRepository;
  hostGate: HostGate;
  /** Absent where no browser runs (the API function): capture jobs then only go to the queue. */
  renderer?: PageRenderer | undefined;
  evidence: DocumentStore;
  tasks: TaskQueue;
  evaluator: ItemEvaluator;
  certificate: CaptureCertificateRenderer;
  clock: Clock;
  newId: () => string;
  /** Who holds leases taken by this process (a Lambda instance, the npm start process, a test worker). */
  workerId: string;
  limits?: Partial<MonitoringLimits>;
  /** The registry, to check that a target's party is one the caller may see. */
  parties: Pick<PartyRepository, "get">;
}

export const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
export const encoder = new TextEncoder();

/** The platform a URL's host belongs to, for items (issue 7 reads it). Anything else is a "website". */
export function platformFromHost(host: string): string {
  const h = host.replace(/:\d+$/, "").replace(/^www\./, "");
  const known: [RegExp, string][] = [
    [/(^|\.)shopee\.vn$/, "shopee"],
    [/(^|\.)lazada\.vn$/, "lazada"],
    [/(^|\.)tiki\.vn$/, "tiki"],
    [/(^|\.)sendo\.vn$/, "sendo"],
    [/(^|\.)tiktok\.com$/, "tiktok"],
    [/(^|\.)(facebook|fb)\.com$/, "facebook"],
    [/(^|\.)zalo\.me$|(^|\.)zalo\.vn$/, "zalo"],
    [/(^|\.)(x|twitter)\.com$/, "x"],
    [/(^|\.)youtube\.com$/, "youtube"],
    [/(^|\.)instagram\.com$/, "instagram"],
  ];
  return known.find(([re]) => re.test(h))?.[1] ?? "website";
}

export type TargetImportResult = { ok: true; created: number } | { ok: false; errors: TargetCsvError[] };

export function sameSite(next: string, first: string): boolean {
  try {
    return new URL(next).host === new URL(first).host;
  } catch {
    return false;
  }
}

/** What every part of the monitoring service shares: its ports, limits, and the steps they all take. */
export function monitoringContext(deps: MonitoringDeps) {
  const { repository, clock } = deps;
  const limits: MonitoringLimits = { ...DEFAULT_MONITORING_LIMITS, ...deps.limits };
  const now = () => clock.now();
  const at = (ms: number) => new Date(now().getTime() + ms);

  function scopeOf(resource: { agency: CrawlTarget["agency"]; province: string }) {
    return { agency: resource.agency, provinces: [resource.province] };
  }

  async function getTarget(actor: Principal, id: string): Promise<CrawlTarget> {
    authorize(actor, "monitoring.read");
    const target = await repository.getTarget(id);
    if (!target) throw new NotFoundError("No such target");
    authorize(actor, "monitoring.read", scopeOf(target));
    return target;
  }

  async function enqueueCapture(jobId: string) {
    await deps.tasks.enqueue({ type: CAPTURE_TASK, payload: { jobId } });
  }

  function jobFor(input: {
    url: string;
    host: string;
    origin: CaptureJob["origin"];
    pageLimit: number;
    platform: string;
    agency: CaptureJob["agency"];
    province: string;
    requestedBy: string;
    targetId?: string | undefined;
  }): CaptureJob {
    const t = now();
    return {
      id: deps.newId(),
      ...(input.targetId ? { targetId: input.targetId } : {}),
      url: input.url,
      host: input.host,
      urlKey: urlKey(input.url),
      origin: input.origin,
      pageLimit: input.pageLimit,
      platform: input.platform,
      agency: input.agency,
      province: input.province,
      requestedBy: input.requestedBy,
      state: "open",
      attempts: 0,
      // Sent to the queue now; sent again by the dispatcher if nobody has taken it by then.
      availableAt: new Date(t.getTime() + limits.resendAfterMs).toISOString(),
      createdAt: t.toISOString(),
    };
  }

  async function onDemand(
    rawUrl: string,
    owner: { agency: CaptureJob["agency"]; province: string; requestedBy: string; platform?: string },
    origin: CaptureJob["origin"] = "on_demand",
  ): Promise<CaptureJob> {
    const { url, host } = parseCaptureUrl(rawUrl);
    const job = jobFor({
      url,
      host,
      origin,
      pageLimit: 1,
      platform: owner.platform ?? platformFromHost(host),
      agency: owner.agency,
      province: owner.province,
      requestedBy: owner.requestedBy,
    });
    if (!(await repository.createJob(job, at(limits.leaseMs * limits.maxAttempts)))) {
      throw new ConflictError("A capture of this URL is already in progress");
    }
    await enqueueCapture(job.id);
    return job;
  }

  /** One artefact of a capture by its key (pages' artefacts, their manifests, the certificate). */
  async function artefactOf(
    capture: Capture,
    key: string,
  ): Promise<{ artefact: Artefact; body: Uint8Array } | null> {
    const artefacts = [
      ...capture.pages.flatMap((p) => p.artefacts),
      ...(capture.certificate ? [capture.certificate] : []),
    ];
    const manifests = capture.pages.map((p) => ({
      name: "manifest.json",
      key: p.manifestKey,
      contentType: "application/json",
      bytes: 0,
      sha256: p.manifestSha256,
    }));
    const artefact = [...artefacts, ...manifests].find((a) => a.key === key);
    if (!artefact) return null;
    const body = await deps.evidence.get(artefact.key);
    if (!body) throw new NotFoundError("Artefact missing from the evidence store");
    return { artefact, body };
  }

  return {
    deps,
    repository,
    clock,
    limits,
    now,
    at,
    scopeOf,
    getTarget,
    enqueueCapture,
    jobFor,
    onDemand,
    artefactOf,
  };
}

export type MonitoringContext = ReturnType<typeof monitoringContext>;
