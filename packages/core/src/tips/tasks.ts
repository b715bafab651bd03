import { z } from "zod";
import { TIP_CAPTURED_TASK } from "../monitoring/service";
import { defineTask } from "../tasks";
import type { TipService } from "./service";

/** The tips' task: a tip's capture ended, and the tip follows it to case intake. */
export function tipTasks(tips: TipService) {
  return [
    defineTask({
      type: TIP_CAPTURED_TASK,
      schema: z.object({ captureId: z.string().min(1) }),
      run: async (p) => tips.afterCapture(p.captureId),
    }),
  ];
}
