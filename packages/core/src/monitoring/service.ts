import { createCaptureRequests } from "./capture-requests";
import { createCaptureWorker } from "./capture-worker";
import { createCaptureReading } from "./captures";
import { createCaptureDispatch } from "./dispatch";
import { type MonitoringDeps, monitoringContext } from "./monitoring-context";
import { createTargets } from "./targets";

export * from "./monitoring-context";

/**
 * Monitoring, one module per part: crawl targets (targets.ts), captures asked for on demand
 * (capture-requests.ts), reading captures (captures.ts), the scheduler's dispatch (dispatch.ts) and the
 * capture worker (capture-worker.ts, which keeps evidence through evidence-writer.ts), over one shared
 * context (monitoring-context.ts).
 */
export function createMonitoringService(deps: MonitoringDeps) {
  const ctx = monitoringContext(deps);
  return {
    limits: ctx.limits,
    ...createTargets(ctx),
    ...createCaptureRequests(ctx),
    ...createCaptureReading(ctx),
    ...createCaptureDispatch(ctx),
    ...createCaptureWorker(ctx),
  };
}

export type MonitoringService = ReturnType<typeof createMonitoringService>;
