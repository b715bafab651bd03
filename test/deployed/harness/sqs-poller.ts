import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import type { SQSEvent } from "aws-lambda";
import type { LambdaEnvironment } from "./lambda";
import { REGION } from "./stand-ins";

/** SQS's limit on one message. */
export const SQS_MESSAGE_LIMIT_BYTES = 256 * 1024;

export interface PollResult {
  received: string[];
  failed: string[];
  /** Each received message's body, by message id. */
  bodies: Record<string, string>;
}

/**
 * One poll of Lambda's SQS event source mapping: receive up to `batchSize` messages, invoke the function
 * with them as one SQS event, delete those that succeeded (all of them when the function reports no
 * failures), and make the failed ones visible again at once (Lambda waits for the visibility timeout;
 * here the next poll is the next attempt). The queue's redrive policy moves a message that failed
 * `maxReceiveCount` times to its dead-letter queue.
 */
export async function pollOnce(
  sqs: SQSClient,
  queue: { url: string; arn: string },
  fn: LambdaEnvironment,
  batchSize: number,
): Promise<PollResult> {
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queue.url,
      MaxNumberOfMessages: batchSize,
      MessageSystemAttributeNames: ["All"],
      MessageAttributeNames: ["All"],
      WaitTimeSeconds: 0,
    }),
  );
  if (Messages.length === 0) return { received: [], failed: [], bodies: {} };
  for (const m of Messages) {
    if (Buffer.byteLength(m.Body ?? "") > SQS_MESSAGE_LIMIT_BYTES)
      throw new Error(`message ${m.MessageId} is over 256 KB`);
  }
  const event: SQSEvent = {
    Records: Messages.map((m) => ({
      messageId: m.MessageId as string,
      receiptHandle: m.ReceiptHandle as string,
      body: m.Body ?? "",
      attributes: m.Attributes as never,
      messageAttributes: {},
      md5OfBody: m.MD5OfBody ?? "",
      eventSource: "aws:sqs",
      eventSourceARN: queue.arn,
      awsRegion: REGION,
    })),
  };
  let failed: string[];
  try {
    const { result } = await fn.invoke<{ batchItemFailures?: { itemIdentifier: string }[] } | null>(event);
    failed = (result?.batchItemFailures ?? []).map((f) => f.itemIdentifier);
  } catch {
    failed = Messages.map((m) => m.MessageId as string);
  }
  for (const m of Messages) {
    if (failed.includes(m.MessageId as string)) {
      await sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: queue.url,
          ReceiptHandle: m.ReceiptHandle,
          VisibilityTimeout: 0,
        }),
      );
    } else {
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queue.url, ReceiptHandle: m.ReceiptHandle }));
    }
  }
  return {
    received: Messages.map((m) => m.MessageId as string),
    failed,
    bodies: Object.fromEntries(Messages.map((m) => [m.MessageId as string, m.Body ?? ""])),
  };
}

/** An EventBridge rule's scheduled event, as it invokes a function. */
export function scheduledEvent(ruleArn: string) {
  return {
    version: "0",
    id: crypto.randomUUID(),
    "detail-type": "Scheduled Event",
    source: "aws.events",
    account: "123456789012",
    time: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
    region: REGION,
    resources: [ruleArn],
    detail: {},
  };
}
