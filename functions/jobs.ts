import middy from "@middy/core";
import type { Context, SQSBatchResponse, SQSEvent } from "aws-lambda";
import { z } from "zod";
import { platformFromEnvironment } from "./platform";

const { platform, logger } = platformFromEnvironment("pledgewatch-jobs");

export const TaskMessageSchema = z.object({
  type: z.string().min(1),
  payload: z.record(z.string(), z.unknown()),
});

/**
 * SQS → background tasks. Each message is one task; a failing one is reported alone
 * (ReportBatchItemFailures), so the rest of the batch is not retried, and SQS moves it to the
 * dead-letter queue after its receive limit.
 */
async function runTasks(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
  logger.addContext(context);
  const batchItemFailures: SQSBatchResponse["batchItemFailures"] = [];
  for (const record of event.Records) {
    try {
      const task = TaskMessageSchema.parse(JSON.parse(record.body));
      await platform.handleTask(task);
    } catch (error) {
      logger.error("task failed", {
        messageId: record.messageId,
        error: error instanceof Error ? error.message : String(error),
      });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}

export const handler = middy<SQSEvent, SQSBatchResponse, Error, Context>().handler(runTasks);
