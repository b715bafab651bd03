import { ConflictError } from "../errors";
import { type CrawlTarget, SCHEDULE_MS } from "./model";
import type { MonitoringContext } from "./monitoring-context";

/** The scheduler's side: due targets become jobs, jobs nobody took are sent again, failed ones reopened. */
export function createCaptureDispatch(ctx: MonitoringContext) {
  const { repository, limits, now, at, enqueueCapture, jobFor } = ctx;

  return {
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

    /** A re-drive from the dead-letter queue: the failed job is opened again with fresh attempts. */
    async reopenJob(jobId: string): Promise<void> {
      await repository.reopenJob(jobId, now());
    },
  };
}
