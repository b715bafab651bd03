import { z } from "zod";
import type { RenewalService } from "../coverage/renewal";
import { defineTask } from "../tasks";
import { IMPORT_COMMIT_TASK, type ImportService } from "./import-job";

/** The registry's background task: committing an import, then inviting what it registered. */
export function partyTasks(imports: ImportService, renewal: Pick<RenewalService, "inviteImported">) {
  return [
    defineTask({
      type: IMPORT_COMMIT_TASK,
      schema: z.object({ importId: z.string().min(1) }),
      async run({ importId }) {
        const job = await imports.runCommit(importId);
        // The parties an import registered after the quarter's rollover are invited the same day.
        if (job.status === "committed")
          await renewal.inviteImported(job.agency, [job.province], job.createdAt);
      },
    }),
  ];
}
