import { Logger } from "@aws-lambda-powertools/logger";
import type { Task } from "@pledgewatch/core";
import type { Context, SQSEvent, SQSRecord } from "aws-lambda";
import { describe, expect, it, vi } from "vitest";
import { BadTaskMessageError, parseTaskMessage, sqsTaskHandler } from "./sqs-tasks";

const context = {
  callbackWaitsForEmptyEventLoop: false,
  functionName: "pledgewatch-jobs",
  functionVersion: "$LATEST",
  invokedFunctionArn: "arn:aws:lambda:ap-southeast-1:123456789012:function:pledgewatch-jobs",
  memoryLimitInMB: "512",
  awsRequestId: "c6af9ac6-7b61-11e6-9a41-93e812345678",
  logGroupName: "/aws/lambda/pledgewatch-jobs",
  logStreamName: "2026/12/06/[$LATEST]abcdef",
  getRemainingTimeInMillis: () => 30_000,
  done: () => {},
  fail: () => {},
  succeed: () => {},
} satisfies Context;

const record = (messageId: string, body: string): SQSRecord => ({
  messageId,
  receiptHandle: `handle-${messageId}`,
  body,
  attributes: {
    ApproximateReceiveCount: "1",
    SentTimestamp: "1733500000000",
    SenderId: "AIDAEXAMPLE",
    ApproximateFirstReceiveTimestamp: "1733500000001",
  },
  messageAttributes: {},
  md5OfBody: "",
  eventSource: "aws:sqs",
  eventSourceARN: "arn:aws:sqs:ap-southeast-1:123456789012:pledgewatch-jobs",
  awsRegion: "ap-southeast-1",
});

const task = (type: string, payload: Record<string, unknown> = {}) => JSON.stringify({ type, payload });

function setup(run: (task: Task) => Promise<unknown>) {
  const logger = new Logger({ serviceName: "test", logLevel: "SILENT" });
  const errors = vi.spyOn(logger, "error");
  return { handler: sqsTaskHandler({ logger, failure: "task failed", run }), errors };
}

describe("the SQS task handler (Powertools batch processing)", () => {
  it("runs every record, and reports only the failing ones, each with the reason logged", async () => {
    const ran: string[] = [];
    const { handler, errors } = setup(async (t) => {
      if (t.type === "boom") throw new Error("the task broke");
      ran.push(t.type);
    });
    const event: SQSEvent = {
      Records: [
        record("m1", task("parties.invite", { partyId: "p1" })),
        record("m2", task("boom")),
        record("m3", "{not json"),
        record("m4", JSON.stringify({ type: "", payload: [] })),
        record("m5", task("monitoring.capture", { jobId: "j1" })),
      ],
    };
    const response = await handler(event, context);
    expect(response.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(["m2", "m3", "m4"]);
    expect(ran).toEqual(["parties.invite", "monitoring.capture"]);
    const logged = errors.mock.calls.map(([message, extra]) => [message, extra]);
    expect(logged).toContainEqual(["task failed", { messageId: "m2", error: "the task broke" }]);
    expect(logged).toContainEqual([
      "task failed",
      { messageId: "m3", error: "bad task message: (body): not JSON" },
    ]);
    const m4 = logged.find(([, extra]) => (extra as { messageId: string }).messageId === "m4");
    expect(String((m4?.[1] as { error?: string } | undefined)?.error)).toMatch(/type: .*; payload: /);
  });

  it("reports a batch that fails whole as failures, rather than throwing", async () => {
    const { handler } = setup(async () => {
      throw new Error("database down");
    });
    const response = await handler({ Records: [record("a", task("x")), record("b", task("y"))] }, context);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: "a" }, { itemIdentifier: "b" }]);
  });

  it("names the field of a bad message", () => {
    expect(() => parseTaskMessage(JSON.stringify({ payload: {} }))).toThrowError(BadTaskMessageError);
    try {
      parseTaskMessage(JSON.stringify({ type: "x", payload: "nope" }));
    } catch (error) {
      expect((error as BadTaskMessageError).issues.map((i) => i.field)).toEqual(["payload"]);
    }
    expect.assertions(2);
  });
});
