import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { type Task, type TaskQueue, UnavailableError } from "@pledgewatch/core";

/** Tasks as SQS messages on the jobs queue; the jobs worker Lambda runs them (functions/jobs.ts). */
export function createSqsTaskQueue(sqs: SQSClient, queueUrl: string): TaskQueue {
  return {
    async enqueue(task: Task) {
      try {
        await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(task) }));
      } catch (error) {
        throw new UnavailableError("task queue did not accept the task", { cause: error });
      }
    },
  };
}
