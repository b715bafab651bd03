import { randomUUID } from "node:crypto";
import type { DeadLetters, Logger, Task, TaskQueue } from "@pledgewatch/core";

export interface InProcessDeadLetter {
  id: string;
  task: Task;
  error: string;
  failedAt: string;
}

export interface InProcessTaskQueue extends TaskQueue {
  /** Set once the platform exists (its handlers need the queue, and the queue needs its handlers). */
  setHandler(handler: (task: Task) => Promise<void>): void;
  /** Resolves when every task enqueued so far has finished (tests, shutdown). */
  idle(): Promise<void>;
  /** Tasks that failed every attempt, as SQS would move them to the dead-letter queue. */
  deadLetters: InProcessDeadLetter[];
  /** The dead letters as the console's DLQ page reads and re-drives them. */
  deadLetterQueue: DeadLetters;
}

/**
 * The local stand-in for SQS: tasks run in this process, after the request that enqueued them, with
 * retries and backoff like a redrive policy, and a dead-letter list.
 */
export function createInProcessTaskQueue(
  logger: Logger,
  maxAttempts = 3,
  retryBaseMs = 200,
): InProcessTaskQueue {
  let handler: ((task: Task) => Promise<void>) | undefined;
  const running = new Set<Promise<void>>();
  const deadLetters: InProcessDeadLetter[] = [];

  async function run(task: Task) {
    for (let attempt = 1; ; attempt++) {
      try {
        if (!handler) throw new Error("no task handler");
        await handler(task);
        return;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (attempt >= maxAttempts) {
          logger.error("task failed, moved to dead letters", { type: task.type, error: message });
          deadLetters.push({ id: randomUUID(), task, error: message, failedAt: new Date().toISOString() });
          return;
        }
        logger.warn("task failed, retrying", { type: task.type, attempt, error: message });
        await new Promise((r) => setTimeout(r, retryBaseMs * 2 ** attempt));
      }
    }
  }

  function enqueue(task: Task) {
    // Like SQS, enqueueing only accepts the task; it runs after the current request has answered.
    const promise: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => run(task))
      .finally(() => running.delete(promise));
    running.add(promise);
  }

  return {
    deadLetters,
    setHandler(h) {
      handler = h;
    },
    async enqueue(task) {
      enqueue(task);
    },
    async idle() {
      while (running.size > 0) await Promise.all([...running]);
    },
    deadLetterQueue: {
      async list(limit) {
        return deadLetters.slice(-limit).map((d) => ({
          id: d.id,
          type: d.task.type,
          payload: d.task.payload,
          error: d.error,
          failedAt: d.failedAt,
        }));
      },
      async redrive(id) {
        const index = deadLetters.findIndex((d) => d.id === id);
        const [letter] = index >= 0 ? deadLetters.splice(index, 1) : [];
        if (letter) enqueue(letter.task);
      },
    },
  };
}
