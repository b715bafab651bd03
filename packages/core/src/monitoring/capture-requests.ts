import { authorize } from "../auth/policy";
import type { Principal } from "../auth/roles";
import { NotFoundError } from "../errors";
import { nfc } from "../text/fold";
import type { CaptureJob } from "./model";
import type { MonitoringContext } from "./monitoring-context";

/** Captures asked for outside the schedule: by staff, for a re-capture, for a public tip. */
export function createCaptureRequests(ctx: MonitoringContext) {
  const { repository, scopeOf, onDemand } = ctx;

  return {
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
  };
}
