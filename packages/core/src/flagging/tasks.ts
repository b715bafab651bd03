import { z } from "zod";
import { defineTask } from "../tasks";
import { FLAG_ITEM_TASK, type FlaggingService } from "./service";

/** Flagging's background task: one item sent to evaluation (the API's asynchronous path). */
export function flaggingTasks(flagging: FlaggingService) {
  return [
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
