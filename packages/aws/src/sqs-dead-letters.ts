import {
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { type DeadLetters, NotFoundError, UnavailableError } from "@pledgewatch/core";

export interface DeadLetterSource {
  /** The work queue a re-driven message goes back to. */
  queueUrl: string;
  /** Its dead-letter queue. */
  deadLetterQueueUrl: string;
}

/**
 * The dead-letter queues of the work queues, for the console page. Reading receives messages with a
 * short visibility timeout (SQS has no "peek"): they reappear a minute later. A letter's id carries the
 * queue and the receipt handle of that read, so a re-drive (send to the work queue, then delete from the
 * dead-letter queue) acts on exactly the message shown.
 */
export function createSqsDeadLetters(sqs: SQSClient, sources: readonly DeadLetterSource[]): DeadLetters {
  return {
    async list(limit) {
      const letters = [];
      for (const [index, source] of sources.entries()) {
        try {
          const out = await sqs.send(
            new ReceiveMessageCommand({
              QueueUrl: source.deadLetterQueueUrl,
              MaxNumberOfMessages: Math.min(10, limit),
              VisibilityTimeout: 60,
              MessageSystemAttributeNames: ["SentTimestamp", "ApproximateReceiveCount"],
            }),
          );
          for (const m of out.Messages ?? []) {
            let task: { type?: unknown; payload?: unknown } = {};
            try {
              task = JSON.parse(m.Body ?? "{}");
            } catch {
              // a body that is not a task is still shown
            }
            const sent = Number(m.Attributes?.SentTimestamp ?? 0);
            letters.push({
              id: Buffer.from(JSON.stringify({ q: index, r: m.ReceiptHandle, b: m.Body })).toString(
                "base64url",
              ),
              type: typeof task.type === "string" ? task.type : "(unreadable)",
              payload:
                task.payload && typeof task.payload === "object"
                  ? (task.payload as Record<string, unknown>)
                  : {},
              error: `received ${m.Attributes?.ApproximateReceiveCount ?? "?"} times`,
              failedAt: sent ? new Date(sent).toISOString() : undefined,
            });
          }
        } catch (error) {
          throw new UnavailableError("dead-letter queue did not answer", { cause: error });
        }
      }
      return letters.slice(0, limit);
    },

    async redrive(id) {
      let ref: { q: number; r: string; b: string };
      try {
        ref = JSON.parse(Buffer.from(id, "base64url").toString("utf8"));
      } catch {
        throw new NotFoundError("No such dead letter");
      }
      const source = sources[ref.q];
      if (!source || typeof ref.r !== "string" || typeof ref.b !== "string")
        throw new NotFoundError("No such dead letter");
      try {
        await sqs.send(new SendMessageCommand({ QueueUrl: source.queueUrl, MessageBody: ref.b }));
        await sqs.send(
          new DeleteMessageCommand({ QueueUrl: source.deadLetterQueueUrl, ReceiptHandle: ref.r }),
        );
      } catch (error) {
        throw new UnavailableError("re-drive failed", { cause: error });
      }
    },
  };
}
