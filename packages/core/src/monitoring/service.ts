import { createHash } from "node:crypto";
import { authorize } from "../auth/policy";
import type { Principal } from "../auth/roles";
import { ConflictError, InvalidError, NotFoundError } from "../errors";
import type { DocumentStore } from "../pledges/ports";
import type { Clock, TaskQueue } from "../ports";
import { nfc } from "../text/fold";
import { itemFingerprint, urlKey } from "./fingerprint";
import { type NewTarget, parseTargetRows, type TargetChange, type TargetCsvError } from "./input";
import {
  type Artefact,
  type Capture,
  type CapturedItem,
  type CapturedPage,
  type CaptureJob,
  type CrawlTarget,
  MAX_PAGE_LIMIT,
  SCHEDULE_MS,
} from "./model";
import type {
  CaptureCertificateRenderer,
  HostGate,
  ItemEvaluator,
  MonitoringRepository,
  PageRenderer,
  RenderedPage,
} from "./ports";
import { retryAfterMs } from "./retry-after";
import {
  CaptureFailedError,
  CaptureRefusedError,
  describeCaptureFailure,
  parseCaptureUrl,
} from "./url-safety";

export const CAPTURE_TASK = "monitoring.capture";
export const EVALUATE_TASK = "monitoring.evaluate";
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
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const encoder = new TextEncoder();

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

export function createMonitoringService(deps: MonitoringDeps) {
  const { repository, clock } = deps;
  const limits: MonitoringLimits = { ...DEFAULT_MONITORING_LIMITS, ...deps.limits };
  const now = () => clock.now();
  const at = (ms: number) => new Date(now().getTime() + ms);

  function scopeOf(resource: { agency: CrawlTarget["agency"]; province: string }) {
    return { agency: resource.agency, provinces: [resource.province] };
  }

  function newTarget(actor: Principal, input: NewTarget): CrawlTarget {
    const { url, host } = parseCaptureUrl(input.url);
    const t = now().toISOString();
    return {
      id: deps.newId(),
      url,
      host,
      kind: input.kind,
      platform: input.platform ? nfc(input.platform).toLowerCase() : platformFromHost(host),
      label: nfc(input.label ?? "") || host,
      schedule: input.schedule,
      pageLimit: Math.min(input.pageLimit ?? 3, MAX_PAGE_LIMIT),
      agency: actor.agency,
      province: actor.province,
      ...(input.partyId ? { partyId: input.partyId } : {}),
      active: true,
      createdAt: t,
      createdBy: actor.staffId,
      updatedAt: t,
      // A new target is due at once: its first capture shows staff that it works.
      nextDueAt: t,
      version: 1,
    };
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

  // ---- evidence ---------------------------------------------------------------------------------
  async function putArtefact(
    captureId: string,
    pageNo: number,
    name: string,
    body: Uint8Array,
    contentType: string,
  ): Promise<Artefact> {
    const key = `evidence/${captureId}/p${pageNo}/${name}`;
    await deps.evidence.put(key, body, contentType);
    return { name, key, contentType, bytes: body.byteLength, sha256: sha256(body) };
  }

  async function storePage(captureId: string, pageNo: number, page: RenderedPage, itemIds: string[]) {
    const artefacts: Artefact[] = [];
    artefacts.push(await putArtefact(captureId, pageNo, "screenshot.png", page.screenshot, "image/png"));
    artefacts.push(
      await putArtefact(
        captureId,
        pageNo,
        "page.html",
        encoder.encode(page.html),
        "text/html; charset=utf-8",
      ),
    );
    artefacts.push(
      await putArtefact(
        captureId,
        pageNo,
        "text.txt",
        encoder.encode(page.text),
        "text/plain; charset=utf-8",
      ),
    );
    artefacts.push(
      await putArtefact(
        captureId,
        pageNo,
        "items.json",
        encoder.encode(
          JSON.stringify(
            page.items.map((item, i) => ({ ...item, itemId: itemIds[i] })),
            null,
            2,
          ),
        ),
        "application/json",
      ),
    );
    const manifest = {
      format: "pledgewatch-capture-manifest/1",
      captureId,
      pageNo,
      requestedUrl: page.requestedUrl,
      finalUrl: page.finalUrl,
      redirects: page.redirects,
      httpStatus: page.httpStatus,
      fetchedAt: page.fetchedAt.toISOString(),
      userAgent: page.userAgent,
      hashAlgorithm: "SHA-256",
      artefacts: artefacts.map(({ name, key, contentType, bytes, sha256 }) => ({
        name,
        key,
        contentType,
        bytes,
        sha256,
      })),
    };
    const manifestBytes = encoder.encode(JSON.stringify(manifest, null, 2));
    const manifestKey = `evidence/${captureId}/p${pageNo}/manifest.json`;
    await deps.evidence.put(manifestKey, manifestBytes, "application/json");
    const stored: CapturedPage = {
      pageNo,
      requestedUrl: page.requestedUrl,
      finalUrl: page.finalUrl,
      httpStatus: page.httpStatus,
      fetchedAt: page.fetchedAt.toISOString(),
      userAgent: page.userAgent,
      redirects: page.redirects,
      artefacts,
      manifestKey,
      manifestSha256: sha256(manifestBytes),
      itemCount: page.items.length,
    };
    return stored;
  }

  // ---- the worker ---------------------------------------------------------------------------------
  /** Renders the job's pages within the page limit, keeps their evidence, upserts their items. */
  async function capturePages(job: CaptureJob, captureId: string) {
    const renderer = deps.renderer;
    if (!renderer) throw new Error("no browser in this process");
    const pages: CapturedPage[] = [];
    const itemIds = new Set<string>();
    const newItems: CapturedItem[] = [];
    const seenUrls = new Set<string>();
    let url: string | undefined = job.url;
    for (let pageNo = 1; url && pageNo <= job.pageLimit; pageNo++) {
      seenUrls.add(url);
      let gate = await deps.hostGate.acquire(job.host, now(), at(limits.leaseMs));
      if (!gate.ok && pageNo === 1) return { deferred: gate.retryAt, pages, itemIds: [], newItems };
      // A later page waits its turn at the host (within half the lease) rather than end the capture early.
      const waitUntil = Date.now() + limits.leaseMs / 2;
      while (!gate.ok && Date.now() < waitUntil) {
        const ms = Math.min(Math.max(gate.retryAt.getTime() - Date.now(), 50), 2_000);
        await new Promise((r) => setTimeout(r, ms));
        gate = await deps.hostGate.acquire(job.host, now(), at(limits.leaseMs));
      }
      if (!gate.ok) break;
      let rendered: RenderedPage;
      try {
        rendered = await renderer.render(url);
      } finally {
        await gate.release();
      }
      if (rendered.httpStatus === 429 || rendered.httpStatus === 403) {
        // The host's own Retry-After when it names one (never shorter than the host's request interval),
        // otherwise the configured backoff; every worker then leaves the host alone until then.
        const wait = Math.max(
          retryAfterMs(rendered.retryAfter, now()) ?? limits.hostBackoffMs,
          limits.hostMinIntervalMs,
        );
        await deps.hostGate.backoff(job.host, at(wait), `HTTP ${rendered.httpStatus}`);
        if (pageNo === 1) {
          throw new CaptureFailedError(`the site answered ${rendered.httpStatus}`, "blocked_by_host", wait);
        }
        break;
      }
      const ids = rendered.items.map((item) => itemFingerprint(job.platform, job.host, item));
      const stored = await storePage(captureId, pageNo, rendered, ids);
      pages.push(stored);
      const seenAt = now().toISOString();
      for (const [i, extracted] of rendered.items.entries()) {
        const id = ids[i] as string;
        if (itemIds.has(id)) continue;
        itemIds.add(id);
        const { item, created } = await repository.upsertItem({
          id,
          kind: extracted.kind,
          platform: job.platform,
          title: extracted.title,
          ...(extracted.text ? { text: extracted.text } : {}),
          ...(extracted.price !== undefined ? { price: extracted.price } : {}),
          ...(extracted.seller ? { seller: extracted.seller } : {}),
          ...(extracted.category ? { category: extracted.category } : {}),
          ...(extracted.url ? { url: extracted.url } : {}),
          ...(extracted.image ? { image: extracted.image } : {}),
          source: extracted.source,
          agency: job.agency,
          province: job.province,
          ...(job.targetId ? { targetId: job.targetId } : {}),
          pageUrl: rendered.finalUrl,
          captureId,
          pageNo,
          firstSeen: seenAt,
          lastSeen: seenAt,
          timesSeen: 1,
          evaluation: { state: "new" },
        });
        if (created || item.evaluation.state !== "evaluated") newItems.push(item);
      }
      const next = rendered.nextUrl;
      url = next && !seenUrls.has(next) && sameSite(next, job.url) ? next : undefined;
    }
    return { deferred: undefined, pages, itemIds: [...itemIds], newItems };
  }

  async function certificateFor(capture: Capture): Promise<Artefact> {
    const first = capture.pages[0];
    const shotKey = first?.artefacts.find((a) => a.name === "screenshot.png")?.key;
    const screenshot = shotKey ? await deps.evidence.get(shotKey) : null;
    const pdf = await deps.certificate({ capture, screenshot, issuedAt: new Date(capture.finishedAt) });
    const key = `evidence/${capture.id}/certificate.pdf`;
    await deps.evidence.put(key, pdf, "application/pdf");
    return {
      name: "certificate.pdf",
      key,
      contentType: "application/pdf",
      bytes: pdf.byteLength,
      sha256: sha256(pdf),
    };
  }

  /** A tip's capture ended: the tip follows it to case intake, whether the capture succeeded or not. */
  async function tipCaptured(job: CaptureJob, captureId: string) {
    if (job.origin === "tip") await deps.tasks.enqueue({ type: TIP_CAPTURED_TASK, payload: { captureId } });
  }

  /**
   * Runs one capture job: what the capture worker (SQS → Lambda, or the in-process queue) calls for a
   * `monitoring.capture` task. Safe to call twice for the same job (a duplicate message): the second
   * call finds the job taken or done and does nothing. Throws when the attempt failed, so the queue
   * retries the message and finally moves it to the dead-letter queue.
   */
  async function runCaptureJob(
    jobId: string,
  ): Promise<{ outcome: "done" | "skipped" | "deferred" | "failed"; captureId?: string }> {
    const job = await repository.claimJob(jobId, deps.workerId, now(), at(limits.leaseMs));
    if (!job) {
      const current = await repository.getJob(jobId);
      if (current?.state === "failed") {
        // Keep failing so the message reaches the dead-letter queue; a re-drive reopens the job first.
        throw new Error(`capture job ${jobId} failed: ${current.lastError ?? "unknown error"}`);
      }
      return { outcome: "skipped" };
    }
    const captureId = `${job.id}-a${job.claims ?? job.attempts}`;
    const startedAt = now().toISOString();
    try {
      const result = await capturePages(job, captureId);
      if (result.deferred) {
        await repository.releaseJob(job, result.deferred, "defer");
        return { outcome: "deferred" };
      }
      let capture: Capture = {
        id: captureId,
        jobId: job.id,
        ...(job.targetId ? { targetId: job.targetId } : {}),
        url: job.url,
        origin: job.origin,
        agency: job.agency,
        province: job.province,
        requestedBy: job.requestedBy,
        capturedBy: deps.workerId,
        startedAt,
        finishedAt: now().toISOString(),
        outcome: "succeeded",
        pages: result.pages,
        itemIds: result.itemIds,
      };
      if (job.origin !== "scheduled") capture = { ...capture, certificate: await certificateFor(capture) };
      // Evaluation tasks before the job ends: a worker that dies in between runs the job again and sends
      // them again (evaluating twice is harmless), rather than leaving items never evaluated.
      for (const item of result.newItems) {
        await deps.tasks.enqueue({ type: EVALUATE_TASK, payload: { itemId: item.id } });
      }
      await repository.finishJob(job, capture);
      await tipCaptured(job, captureId);
      return { outcome: "done", captureId };
    } catch (error) {
      const message = describeCaptureFailure(error);
      const refused = error instanceof CaptureRefusedError;
      if (refused || job.attempts >= limits.maxAttempts) {
        // A refused URL fails at once: retrying cannot make it safe.
        await repository.finishJob(job, {
          id: captureId,
          jobId: job.id,
          ...(job.targetId ? { targetId: job.targetId } : {}),
          url: job.url,
          origin: job.origin,
          agency: job.agency,
          province: job.province,
          requestedBy: job.requestedBy,
          capturedBy: deps.workerId,
          startedAt,
          finishedAt: now().toISOString(),
          outcome: "failed",
          error: message,
          pages: [],
          itemIds: [],
        });
        await tipCaptured(job, captureId);
        if (refused) return { outcome: "failed", captureId };
        throw new Error(`capture job ${job.id} failed after ${job.attempts} attempts: ${message}`, {
          cause: error,
        });
      }
      const backoff =
        error instanceof CaptureFailedError && error.retryAfterMs
          ? error.retryAfterMs
          : limits.retryBaseMs * 2 ** (job.attempts - 1);
      await repository.releaseJob(job, at(backoff), "retry", message);
      throw new Error(`capture job ${job.id} attempt ${job.attempts} failed: ${message}`, { cause: error });
    }
  }

  return {
    limits,

    // ---- targets ------------------------------------------------------------------------------------
    async createTarget(actor: Principal, input: NewTarget): Promise<CrawlTarget> {
      authorize(actor, "monitoring.targets.write");
      const target = newTarget(actor, input);
      await repository.createTargets([target]);
      return target;
    },

    /** All rows or none: any bad row (or a URL already watched) and nothing is written. */
    async importTargets(
      actor: Principal,
      headers: string[],
      rows: { rowNumber: number; cells: string[] }[],
    ): Promise<TargetImportResult> {
      authorize(actor, "monitoring.targets.write");
      const parsed = parseTargetRows(headers, rows);
      if (!parsed.ok) return parsed;
      const errors: TargetCsvError[] = [];
      const targets: CrawlTarget[] = [];
      const seen = new Map<string, number>();
      for (const { row, input } of parsed.targets) {
        try {
          const target = newTarget(actor, input);
          const earlier = seen.get(target.url);
          if (earlier !== undefined) {
            errors.push({ row, column: "url", message: `Trùng đường dẫn với dòng ${earlier}.` });
            continue;
          }
          seen.set(target.url, row);
          targets.push(target);
        } catch (error) {
          errors.push({
            row,
            column: "url",
            message:
              error instanceof InvalidError ? (error.issues[0]?.message ?? error.message) : String(error),
          });
        }
      }
      if (errors.length > 0) return { ok: false, errors };
      try {
        await repository.createTargets(targets);
      } catch (error) {
        if (error instanceof ConflictError) {
          return {
            ok: false,
            errors: [
              {
                row: 0,
                column: "url",
                message:
                  "Một số đường dẫn đã có trong danh sách theo dõi của đơn vị; không dòng nào được thêm.",
              },
            ],
          };
        }
        throw error;
      }
      return { ok: true, created: targets.length };
    },

    getTarget,

    async updateTarget(actor: Principal, id: string, change: TargetChange): Promise<CrawlTarget> {
      authorize(actor, "monitoring.targets.write");
      const before = await getTarget(actor, id);
      authorize(actor, "monitoring.targets.write", scopeOf(before));
      const { partyId, ...rest } = change;
      const after: CrawlTarget = {
        ...before,
        ...(rest.label !== undefined ? { label: nfc(rest.label) || before.host } : {}),
        ...(rest.schedule ? { schedule: rest.schedule } : {}),
        ...(rest.pageLimit ? { pageLimit: rest.pageLimit } : {}),
        ...(rest.active !== undefined ? { active: rest.active } : {}),
        updatedAt: now().toISOString(),
        version: before.version + 1,
      };
      if (partyId === null) delete after.partyId;
      else if (partyId) after.partyId = partyId;
      if (rest.active && !before.active) after.nextDueAt = now().toISOString();
      await repository.updateTarget(before, after);
      return after;
    },

    async listTargets(actor: Principal, cursor?: string) {
      authorize(actor, "monitoring.read");
      return repository.listTargets(actor.agency, actor.province, 100, cursor);
    },

    /** "Capture now" on a target, outside its schedule. */
    async captureTargetNow(actor: Principal, id: string): Promise<CaptureJob> {
      authorize(actor, "monitoring.capture");
      const target = await getTarget(actor, id);
      authorize(actor, "monitoring.capture", scopeOf(target));
      const job = jobFor({ ...target, origin: "scheduled", requestedBy: actor.staffId, targetId: target.id });
      if (!(await repository.createJob(job, at(limits.leaseMs * limits.maxAttempts)))) {
        throw new ConflictError("A capture of this URL is already in progress");
      }
      await enqueueCapture(job.id);
      return job;
    },

    // ---- capture on demand ------------------------------------------------------------------------
    /**
     * Staff submit a URL: a capture job with a certificate at the end. The job runs on the capture worker
     * (at once locally, on the capture queue on AWS); the console page follows it until it is done.
     */
    async requestCapture(actor: Principal, rawUrl: string): Promise<CaptureJob> {
      authorize(actor, "monitoring.capture");
      return onDemand(rawUrl, { agency: actor.agency, province: actor.province, requestedBy: actor.staffId });
    },

    /**
     * The review's re-capture of a case's URL (removal check), asked by the system rather than a person:
     * the URL is checked like any other, and the item's platform is kept so its fingerprint matches.
     */
    async requestRecapture(input: {
      url: string;
      agency: CaptureJob["agency"];
      province: string;
      platform: string;
    }): Promise<CaptureJob> {
      return onDemand(input.url, { ...input, requestedBy: "review" });
    },

    /**
     * Null while the re-capture runs; then whether the item is gone: the page answers 404 or 410, or it
     * no longer shows the item (neither its fingerprint nor its title).
     */
    async recaptureOutcome(
      jobId: string,
      item: { id: string; title: string },
    ): Promise<{ removed: boolean; captureId?: string } | null> {
      const job = await repository.getJob(jobId);
      if (!job || job.state === "open") return null;
      const capture = job.captureId ? await repository.getCapture(job.captureId) : null;
      const captureId = capture ? { captureId: capture.id } : {};
      const status = capture?.pages[0]?.httpStatus;
      if (status === 404 || status === 410) return { removed: true, ...captureId };
      if (!capture || capture.outcome === "failed") {
        // The page could not be read (site down, refused): not proof of removal.
        return { removed: /\b(404|410)\b/.test(job.lastError ?? capture?.error ?? ""), ...captureId };
      }
      if (capture.itemIds.includes(item.id)) return { removed: false, ...captureId };
      const title = nfc(item.title).toLowerCase();
      const shown = await repository.getItems(capture.itemIds.slice(0, 200));
      return { removed: !shown.some((i) => nfc(i.title).toLowerCase() === title), ...captureId };
    },

    /**
     * A URL from the public tip form (no signed-in caller: the tip service has done its own checks). The
     * same URL safety, queue and evidence as staff's captures on demand; the job is in the queue of the
     * agency the tip is routed to, in the tip's province. ConflictError when the URL is being captured.
     */
    async requestTipCapture(input: {
      url: string;
      agency: CaptureJob["agency"];
      province: string;
      tipId: string;
    }): Promise<CaptureJob> {
      return onDemand(
        input.url,
        { agency: input.agency, province: input.province, requestedBy: `tip:${input.tipId}` },
        "tip",
      );
    },

    async getJob(actor: Principal, id: string): Promise<CaptureJob> {
      authorize(actor, "monitoring.read");
      const job = await repository.getJob(id);
      if (!job) throw new NotFoundError("No such capture job");
      authorize(actor, "monitoring.read", scopeOf(job));
      return job;
    },

    // ---- reading captures and items -----------------------------------------------------------------
    async getCapture(actor: Principal, id: string): Promise<{ capture: Capture; items: CapturedItem[] }> {
      authorize(actor, "monitoring.read");
      const capture = await repository.getCapture(id);
      if (!capture) throw new NotFoundError("No such capture");
      authorize(actor, "monitoring.read", scopeOf(capture));
      return { capture, items: await repository.getItems(capture.itemIds.slice(0, 200)) };
    },

    /** One stored artefact of a capture, after checking the caller may see the capture. */
    async artefact(
      actor: Principal,
      captureId: string,
      key: string,
    ): Promise<{ artefact: Artefact; body: Uint8Array }> {
      const { capture } = await this.getCapture(actor, captureId);
      const found = await artefactOf(capture, key);
      if (!found) throw new NotFoundError("No such artefact");
      return found;
    },

    /** A capture's evidence for a caller that checked its own scope (a review case's). */
    async evidence(captureId: string): Promise<Capture | null> {
      return repository.getCapture(captureId);
    },

    async evidenceArtefact(captureId: string, key: string) {
      const capture = await repository.getCapture(captureId);
      return capture ? artefactOf(capture, key) : null;
    },

    async capturesOfTarget(actor: Principal, targetId: string) {
      await getTarget(actor, targetId);
      return repository.capturesOfTarget(targetId, 50);
    },

    async recentCaptures(actor: Principal) {
      authorize(actor, "monitoring.read");
      return repository.recentCaptures(actor.agency, actor.province, 50);
    },

    async listItems(actor: Principal, cursor?: string) {
      authorize(actor, "monitoring.read");
      return repository.listItems(actor.agency, actor.province, 100, cursor);
    },

    // ---- dispatch and work ------------------------------------------------------------------------
    /**
     * The scheduler's tick (EventBridge every minute on AWS, a timer in npm start): due targets become
     * jobs (one per URL in flight), and open jobs nobody took in time — a lost message, a worker killed
     * mid-job whose lease ran out, a politeness delay that has passed — are sent to the queue again.
     */
    async dispatch(): Promise<{ created: number; resent: number; skippedInFlight: number }> {
      let created = 0;
      let skippedInFlight = 0;
      for (const target of await repository.dueTargets(now(), limits.dispatchBatch)) {
        const job = jobFor({ ...target, origin: "scheduled", requestedBy: "schedule", targetId: target.id });
        const after: CrawlTarget = {
          ...target,
          nextDueAt: new Date(now().getTime() + SCHEDULE_MS[target.schedule]).toISOString(),
          version: target.version + 1,
        };
        try {
          if (
            await repository.createJob(job, at(limits.leaseMs * limits.maxAttempts), {
              before: target,
              after,
            })
          ) {
            created++;
            await enqueueCapture(job.id);
          } else {
            skippedInFlight++;
          }
        } catch (error) {
          if (!(error instanceof ConflictError)) throw error; // the target changed meanwhile: next tick
        }
      }
      let resent = 0;
      for (const job of await repository.availableJobs(now(), limits.dispatchBatch)) {
        try {
          await repository.releaseJob(job, at(limits.resendAfterMs), "resend");
          resent++;
          await enqueueCapture(job.id);
        } catch (error) {
          if (!(error instanceof ConflictError)) throw error; // a worker took it meanwhile
        }
      }
      return { created, resent, skippedInFlight };
    },

    runCaptureJob,

    /** A re-drive from the dead-letter queue: the failed job is opened again with fresh attempts. */
    async reopenJob(jobId: string): Promise<void> {
      await repository.reopenJob(jobId, now());
    },

    /** The `monitoring.evaluate` task: hands the item to the flagging rules through the port. */
    async evaluate(itemId: string): Promise<void> {
      const item = await repository.getItem(itemId);
      if (!item) return; // nothing to evaluate (never stored); not worth a dead letter
      await deps.evaluator.evaluate(item);
    },
  };
}

export type MonitoringService = ReturnType<typeof createMonitoringService>;

function sameSite(next: string, first: string): boolean {
  try {
    return new URL(next).host === new URL(first).host;
  } catch {
    return false;
  }
}
