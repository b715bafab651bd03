import { z } from "zod";
import type { Logger } from "../ports";
import { defineTask } from "../tasks";
import { type createRetentionSweep, RETENTION_SWEEP_TASK } from "./retention";

/** The daily retention sweep (EventBridge Scheduler on AWS, a timer under npm start). */
export function privacyTasks(retention: ReturnType<typeof createRetentionSweep>, logger: Logger) {
  return [
    defineTask({
      type: RETENTION_SWEEP_TASK,
      schema: z.object({}),
      async run() {
        logger.info("retention sweep", await retention.sweep());
      },
    }),
  ];
}
