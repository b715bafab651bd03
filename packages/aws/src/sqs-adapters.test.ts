import {
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { NotFoundError, UnavailableError } from "@pledgewatch/core";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { createSqsDeadLetters } from "./sqs-dead-letters";
import { createSqsTaskQueue } from "./sqs-task-queue";

// No SQS emulator runs on this Node: these tests pin what the adapters send and how they treat SQS's
// answers and errors. The queues' wiring (redrive policy, visibility) is checked in test/infra.
const sqs = new SQSClient({ region: "ap-southeast-1" });
const sqsMock = mockClient(sqs);
const sources = [
  { queueUrl: "https://sqs/jobs", deadLetterQueueUrl: "https://sqs/jobs-dlq" },
  { queueUrl: "https://sqs/capture", deadLetterQueueUrl: "https://sqs/capture-dlq" },
];
const captureTask = { type: "monitoring.capture", payload: { jobId: "j-1" } };

function awsError(name: string) {
  return Object.assign(new Error(name), { name, $metadata: {} });
}

beforeEach(() => sqsMock.reset());

describe("SQS task queue", () => {
  it("sends the task as the message body", async () => {
    sqsMock.on(SendMessageCommand).resolves({ MessageId: "m-1" });
    await createSqsTaskQueue(sqs, "https://sqs/jobs").enqueue(captureTask);
    const [call] = sqsMock.commandCalls(SendMessageCommand);
    expect(call?.args[0].input).toEqual({
      QueueUrl: "https://sqs/jobs",
      MessageBody: JSON.stringify(captureTask),
    });
  });

  it("reports a refused send as unavailable, so the caller's request fails instead of losing the task", async () => {
    sqsMock.on(SendMessageCommand).rejects(awsError("QueueDoesNotExist"));
    await expect(createSqsTaskQueue(sqs, "https://sqs/jobs").enqueue(captureTask)).rejects.toBeInstanceOf(
      UnavailableError,
    );
  });
});

describe("SQS dead letters", () => {
  it("lists the letters of every dead-letter queue without deleting them, unreadable bodies included", async () => {
    sqsMock
      .on(ReceiveMessageCommand, { QueueUrl: "https://sqs/jobs-dlq" })
      .resolves({ Messages: [{ ReceiptHandle: "r-1", Body: "not json", Attributes: {} }] })
      .on(ReceiveMessageCommand, { QueueUrl: "https://sqs/capture-dlq" })
      .resolves({
        Messages: [
          {
            ReceiptHandle: "r-2",
            Body: JSON.stringify(captureTask),
            Attributes: { SentTimestamp: "1790000000000", ApproximateReceiveCount: "5" },
          },
        ],
      });
    const letters = await createSqsDeadLetters(sqs, sources).list(20);
    expect(letters.map(({ type, payload, error }) => ({ type, payload, error }))).toEqual([
      { type: "(unreadable)", payload: {}, error: "received ? times" },
      { type: "monitoring.capture", payload: { jobId: "j-1" }, error: "received 5 times" },
    ]);
    expect(letters[1]?.failedAt).toBe(new Date(1_790_000_000_000).toISOString());
    // Reading hides the messages for a minute only (SQS has no peek); nothing is deleted.
    for (const call of sqsMock.commandCalls(ReceiveMessageCommand)) {
      expect(call.args[0].input.VisibilityTimeout).toBe(60);
    }
    expect(sqsMock.commandCalls(DeleteMessageCommand)).toHaveLength(0);
  });

  it("re-drives exactly the letter shown: sends its body to the work queue, then deletes it by its receipt", async () => {
    sqsMock
      .on(ReceiveMessageCommand)
      .resolves({})
      .on(ReceiveMessageCommand, { QueueUrl: "https://sqs/capture-dlq" })
      .resolves({ Messages: [{ ReceiptHandle: "r-2", Body: JSON.stringify(captureTask), Attributes: {} }] });
    sqsMock.on(SendMessageCommand).resolves({}).on(DeleteMessageCommand).resolves({});
    const deadLetters = createSqsDeadLetters(sqs, sources);
    const [letter] = await deadLetters.list(20);
    await deadLetters.redrive(letter?.id ?? "");
    expect(sqsMock.commandCalls(SendMessageCommand)[0]?.args[0].input).toEqual({
      QueueUrl: "https://sqs/capture",
      MessageBody: JSON.stringify(captureTask),
    });
    expect(sqsMock.commandCalls(DeleteMessageCommand)[0]?.args[0].input).toEqual({
      QueueUrl: "https://sqs/capture-dlq",
      ReceiptHandle: "r-2",
    });
  });

  it("keeps the letter when the work queue refuses it (no delete after a failed send)", async () => {
    sqsMock.on(ReceiveMessageCommand).resolves({ Messages: [{ ReceiptHandle: "r-1", Body: "{}" }] });
    sqsMock.on(SendMessageCommand).rejects(awsError("AccessDenied"));
    const deadLetters = createSqsDeadLetters(sqs, sources.slice(0, 1));
    const [letter] = await deadLetters.list(5);
    await expect(deadLetters.redrive(letter?.id ?? "")).rejects.toBeInstanceOf(UnavailableError);
    expect(sqsMock.commandCalls(DeleteMessageCommand)).toHaveLength(0);
  });

  it("refuses an id it did not hand out", async () => {
    const deadLetters = createSqsDeadLetters(sqs, sources);
    await expect(deadLetters.redrive("garbage")).rejects.toBeInstanceOf(NotFoundError);
    const forged = Buffer.from(JSON.stringify({ q: 7, r: "r", b: "{}" })).toString("base64url");
    await expect(deadLetters.redrive(forged)).rejects.toBeInstanceOf(NotFoundError);
    expect(sqsMock.commandCalls(SendMessageCommand)).toHaveLength(0);
  });

  it("reports a dead-letter queue that does not answer as unavailable", async () => {
    sqsMock.on(ReceiveMessageCommand).rejects(awsError("ServiceUnavailable"));
    await expect(createSqsDeadLetters(sqs, sources).list(5)).rejects.toBeInstanceOf(UnavailableError);
  });
});
