import { z } from "zod";
import type { Logger } from "../ports";
import { defineTask } from "../tasks";
import { CAPTURE_TASK, DISPATCH_TASK, EVALUATE_TASK, type MonitoringService } from "./service";

/** Monitoring's tasks: the scheduler's dispatch, one capture job, one captured item evaluated. */
export function monitoringTasks(monitoring: MonitoringService, logger: Logger) {
  return [
    defineTask({
      type: CAPTURE_TASK,
      schema: z.object({ jobId: z.string().min(1) }),
      async run(p) {
        const result = await monitoring.runCaptureJob(p.jobId);
        logger.info("capture job", { jobId: p.jobId, ...result });
      },
    }),
    defineTask({
      type: EVALUATE_TASK,
      schema: z.object({ itemId: z.string().min(1) }),
      run: async (p) => monitoring.evaluate(p.itemId),
    }),
    defineTask({
      type: DISPATCH_TASK,
      schema: z.object({}),
      async run() {
        const result = await monitoring.dispatch();
        if (result.created + result.resent > 0) logger.info("capture dispatch", { ...result });
      },
    }),
  ];
}
