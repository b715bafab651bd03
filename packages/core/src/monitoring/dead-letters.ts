import type { DeadLetters } from "./ports";
import { CAPTURE_TASK } from "./service";

/**
 * The dead letters as the console shows them, where a re-drive of a failed capture reopens its job first:
 * otherwise the re-driven message would find the job failed and fail again at once.
 */
export function deadLettersReopeningCaptures(
  source: DeadLetters,
  monitoring: { reopenJob(jobId: string): Promise<void> },
): DeadLetters {
  return {
    list: (limit) => source.list(limit),
    async redrive(id) {
      const letter = (await source.list(100)).find((d) => d.id === id);
      if (letter?.type === CAPTURE_TASK && typeof letter.payload.jobId === "string") {
        await monitoring.reopenJob(letter.payload.jobId);
      }
      await source.redrive(id);
    },
  };
}
