import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import type { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import { describeIssues, fieldIssues, type Task } from "@pledgewatch/core";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { z } from "zod";

/** One SQS message body: one background task. */
export const TaskMessageSchema = z.object({
  type: z.string().min(1),
  payload: z.record(z.string(), z.unknown()),
});

/** A message whose body is not a task: the error names the field, and the message is reported failed. */
export class BadTaskMessageError extends Error {
  constructor(readonly issues: { field: string; message: string }[]) {
    super(`bad task message: ${describeIssues(issues, "(body)")}`);
    this.name = "BadTaskMessageError";
  }
}

export function parseTaskMessage(body: string): Task {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new BadTaskMessageError([{ field: "", message: "not JSON" }]);
  }
  const parsed = TaskMessageSchema.safeParse(json);
  if (!parsed.success) throw new BadTaskMessageError(fieldIssues(parsed.error));
  return parsed.data;
}

/**
 * The handler of an SQS queue of tasks (the jobs queue, the capture queue): Powertools' batch processor
 * runs each record through `run`, and a failing record is reported alone (ReportBatchItemFailures), so
 * the rest of the batch is not retried and SQS moves the failing one to its dead-letter queue after its
 * receive limit. A batch that fails whole is reported as such, not thrown. Powertools' logger middleware
 * adds the Lambda context (request id, cold start) to every log line.
 */
export function sqsTaskHandler(options: {
  logger: Logger;
  /** The log message of a failed record ("task failed", "capture failed"). */
  failure: string;
  run: (task: Task) => Promise<unknown>;
}) {
  const processor = new BatchProcessor(EventType.SQS);
  const record = async (message: SQSRecord) => {
    try {
      await options.run(parseTaskMessage(message.body));
    } catch (error) {
      options.logger.error(options.failure, {
        messageId: message.messageId,
        error: error instanceof Error ? error.message : String(error),
      });
      throw error;
    }
  };
  return middy<SQSEvent, SQSBatchResponse, Error, Context>()
    .use(injectLambdaContext(options.logger))
    .handler((event, context) =>
      processPartialResponse(event, record, processor, { context, throwOnFullBatchFailure: false }),
    );
}
