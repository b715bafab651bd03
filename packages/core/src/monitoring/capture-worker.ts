import { createEvidenceWriter } from "./evidence-writer";
import { itemFingerprint } from "./fingerprint";
import type { Capture, CapturedItem, CapturedPage, CaptureJob } from "./model";
import { EVALUATE_TASK, type MonitoringContext, sameSite, TIP_CAPTURED_TASK } from "./monitoring-context";
import type { RenderedPage } from "./ports";
import { retryAfterMs } from "./retry-after";
import { CaptureFailedError, CaptureRefusedError, describeCaptureFailure } from "./url-safety";

/** The capture worker: one job's pages rendered and kept, its items stored and sent to evaluation. */
export function createCaptureWorker(ctx: MonitoringContext) {
  const { deps, repository, limits, now, at } = ctx;
  const { storePage, certificateFor } = createEvidenceWriter(ctx);

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
        const { item, created, changed } = await repository.upsertItem({
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
        // New, never evaluated, or seen again with other content (issue 23, item 3): evaluated again.
        if (created || changed || item.evaluation.state !== "evaluated") newItems.push(item);
      }
      const next = rendered.nextUrl;
      url = next && !seenUrls.has(next) && sameSite(next, job.url) ? next : undefined;
    }
    return { deferred: undefined, pages, itemIds: [...itemIds], newItems };
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
    runCaptureJob,

    /** The `monitoring.evaluate` task: hands the item to the flagging rules through the port. */
    async evaluate(itemId: string): Promise<void> {
      const item = await repository.getItem(itemId);
      if (!item) return; // nothing to evaluate (never stored); not worth a dead letter
      await deps.evaluator.evaluate(item);
    },
  };
}
