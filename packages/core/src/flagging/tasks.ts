import { z } from "zod";
import { defineTask } from "../tasks";
import { REEVALUATE_TASK, type Reevaluation } from "./reevaluation";
import { FLAG_ITEM_TASK, type FlaggingService } from "./service";

/**
 * Flagging's background tasks: one item sent to evaluation (the API's asynchronous path), and one page of
 * a re-evaluation after a rule change.
 */
export function flaggingTasks(flagging: FlaggingService, reevaluation: Reevaluation) {
  return [
    defineTask({
      type: REEVALUATE_TASK,
      schema: z.object({ ruleSetVersion: z.number().int().min(1), page: z.number().int().min(0) }),
      run: (p) => reevaluation.runPage(p),
    }),
    defineTask({
      type: FLAG_ITEM_TASK,
      schema: z.object({ item: z.unknown(), source: z.string().optional() }),
      async run({ item, source }) {
        // The item is checked by evaluateItem itself (FlagItemSchema), which names a bad field.
        await flagging.evaluateItem(item, { source: source ?? "capture" });
      },
    }),
  ];
}
