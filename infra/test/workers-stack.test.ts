import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { MAIN_TABLE } from "@pledgewatch/aws/tables";
import { type CfnResource, Duration } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp, type PledgewatchApp } from "../lib/app";
import { NODE_RUNTIME } from "../lib/constructs/node-function";
import { DOCUMENT_FONT_FILES, documentFontPath } from "../lib/fonts";
import { PLATFORM_ENVIRONMENT } from "../lib/platform";
import { checkVisibilityTimeout, VISIBILITY_TIMEOUT_FACTOR } from "../lib/stateful-stack";
import { JOBS_TIMEOUT } from "../lib/workers-stack";
import {
  actions,
  assetDirOf,
  policyStatements,
  removeTempDirs,
  runBundle,
  type Statement,
  testApp,
} from "./support";

interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
}

let built: PledgewatchApp;
let template: Template;
let stateful: Template;
let fn: Resource;
/** The staged (bundled) code of the jobs function. */
let assetDir: string;

afterAll(removeTempDirs);

beforeAll(() => {
  built = buildApp(testApp("workers"));
  // Synthesizes the app (bundling both functions) once for the whole file.
  template = Template.fromStack(built.workers);
  stateful = Template.fromStack(built.stateful);
  const functions = Object.values(template.findResources("AWS::Lambda::Function")) as Resource[];
  expect(functions).toHaveLength(1);
  fn = functions[0] as Resource;
  assetDir = assetDirOf(built.app, fn);
});

/** Logical id of a resource of the stateful stack (cross-stack references name it). */
function statefulId(construct: { node: { defaultChild?: unknown } }): string {
  return built.stateful.getLogicalId(construct.node.defaultChild as CfnResource);
}

function jobsQueueId(): string {
  return statefulId(built.stateful.queues.jobs.queue);
}

/** The roles EventBridge Scheduler assumes to send the renewal tick and the retention sweep. */
function schedulerRoleIds(): string[] {
  return Object.entries(template.findResources("AWS::IAM::Role"))
    .filter(([, r]) => JSON.stringify(r).includes("scheduler.amazonaws.com"))
    .map(([key]) => key);
}

function onJobsQueue(s: Statement): boolean {
  return JSON.stringify(s.Resource).includes(jobsQueueId());
}

describe("jobs function", () => {
  it("runs functions/jobs.ts on the project's runtime: ARM, traced, its own log group", () => {
    expect(fn.Properties).toMatchObject({
      Runtime: NODE_RUNTIME.name,
      Architectures: ["arm64"],
      Handler: "index.handler",
      TracingConfig: { Mode: "Active" },
      Timeout: JOBS_TIMEOUT.toSeconds(),
      LoggingConfig: {
        LogGroup: {
          Ref: built.workers.getLogicalId(built.workers.jobs.logGroup.node.defaultChild as CfnResource),
        },
      },
    });
    expect(JOBS_TIMEOUT.toSeconds()).toBeGreaterThanOrEqual(Duration.minutes(5).toSeconds());
  });

  it("gets the platform environment of the API function but the sealing certificate's secret", () => {
    const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    const expected = PLATFORM_ENVIRONMENT.filter((name) => name !== "SEAL_SECRET_ID");
    expect(Object.keys(variables)).toEqual(expect.arrayContaining([...expected, "NODE_OPTIONS"]));
    expect(Object.keys(variables)).not.toContain("SEAL_SECRET_ID");
    expect(variables.STAGE).toBe("aws");
    for (const name of ["TABLE_NAME", "USER_POOL_ID", "USER_POOL_CLIENT_ID", "JOBS_QUEUE_URL"]) {
      // A reference to the stateful stack, never a literal.
      expect(typeof variables[name]).toBe("object");
    }
    expect(JSON.stringify(variables.JOBS_QUEUE_URL)).toContain(jobsQueueId());
  });

  it("does not bundle the Swagger UI assets (API function only)", () => {
    expect(existsSync(join(assetDir, "index.mjs"))).toBe(true);
    expect(existsSync(join(assetDir, "swagger-ui"))).toBe(false);
  });

  it("bundles no web app: the worker builds the platform's services alone (functions/platform.ts)", () => {
    const code = readFileSync(join(assetDir, "index.mjs"), "utf8");
    // Two marks of packages/web, both in the API bundle (api-stack.test.ts): its OpenAPI route and docs page.
    expect(code).toContain("Kính gửi"); // the pledge PDF's text: the documents are there
    expect(code).not.toContain("/api/openapi.json");
    expect(code).not.toContain("SwaggerUIBundle");
  });

  it("bundles the documents' fonts into fonts/ (tasks render signed copies)", () => {
    for (const { specifier, file } of DOCUMENT_FONT_FILES) {
      const bundled = readFileSync(join(assetDir, "fonts", file));
      expect(bundled.equals(readFileSync(documentFontPath(specifier)))).toBe(true);
    }
  });

  it("the bundle loads outside the repository and reports failed messages as batch item failures", () => {
    // Neither message reaches AWS: one is not JSON, the other names no known task.
    const result = runBundle<unknown>(
      assetDir,
      `
      const { handler } = await import("./index.mjs");
      const record = (messageId, body) => ({ messageId, receiptHandle: messageId, body, attributes: {},
        messageAttributes: {}, md5OfBody: "", eventSource: "aws:sqs", eventSourceARN: "arn:aws:sqs:ap-southeast-1:123456789012:jobs",
        awsRegion: "ap-southeast-1" });
      const event = { Records: [record("m-1", "not json"), record("m-2", JSON.stringify({ type: "no.such.task", payload: {} }))] };
      const context = { awsRequestId: "test", functionName: "jobs", getRemainingTimeInMillis: () => 60000 };
      console.log(JSON.stringify(await handler(event, context)));
    `,
    );
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: "m-1" }, { itemIdentifier: "m-2" }] });
  });
});

describe("jobs event source", () => {
  it("polls the jobs queue in small batches, reports partial batch failures, with a concurrency cap", () => {
    const mappings = Object.values(template.findResources("AWS::Lambda::EventSourceMapping")) as Resource[];
    expect(mappings).toHaveLength(1);
    const mapping = (mappings[0] as Resource).Properties;
    expect(mapping.FunctionName).toEqual({
      Ref: built.workers.getLogicalId(built.workers.jobs.function.node.defaultChild as CfnResource),
    });
    expect(JSON.stringify(mapping.EventSourceArn)).toContain(jobsQueueId());
    expect(mapping.FunctionResponseTypes).toEqual(["ReportBatchItemFailures"]);
    expect(mapping.BatchSize).toBeGreaterThanOrEqual(1);
    expect(mapping.BatchSize).toBeLessThanOrEqual(5);
    // More than 10 messages would need a batching window.
    expect(mapping).not.toHaveProperty("MaximumBatchingWindowInSeconds");
    const scaling = mapping.ScalingConfig as { MaximumConcurrency: number };
    expect(scaling.MaximumConcurrency).toBeGreaterThanOrEqual(2);
    expect(scaling.MaximumConcurrency).toBeLessThanOrEqual(10);
  });

  it("the jobs queue's visibility timeout is at least the function timeout, and 6× it as AWS advises", () => {
    const queue = stateful.findResources("AWS::SQS::Queue")[jobsQueueId()] as Resource | undefined;
    const visibility = queue?.Properties.VisibilityTimeout as number;
    const timeout = fn.Properties.Timeout as number;
    expect(visibility).toBeGreaterThanOrEqual(timeout);
    expect(visibility).toBeGreaterThanOrEqual(VISIBILITY_TIMEOUT_FACTOR * timeout);
    // SQS's maximum.
    expect(visibility).toBeLessThanOrEqual(Duration.hours(12).toSeconds());
  });

  it("synthesis refuses a queue whose visibility timeout is too short for the function", () => {
    const tooShort = { ...built.stateful.queues.jobs, visibilityTimeout: JOBS_TIMEOUT };
    expect(() => checkVisibilityTimeout("jobs", tooShort, JOBS_TIMEOUT)).toThrow(/visibility timeout/);
    expect(() => checkVisibilityTimeout("jobs", built.stateful.queues.jobs, JOBS_TIMEOUT)).not.toThrow();
  });
});

describe("jobs role", () => {
  it("may read and write the table's items and query its GSIs by name, without DescribeTable", () => {
    const all = policyStatements(template);
    const onTable = all.find((s) => actions(s).includes("dynamodb:PutItem"));
    expect(actions(onTable as Statement)).toEqual(
      expect.arrayContaining([
        "dynamodb:GetItem",
        "dynamodb:Query",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
        "dynamodb:BatchWriteItem",
      ]),
    );
    expect(all.flatMap(actions)).not.toContain("dynamodb:DescribeTable");

    const onIndexes = all.find((s) => JSON.stringify(s.Resource).includes("/index/"));
    const indexResources = JSON.stringify(onIndexes?.Resource);
    for (const index of MAIN_TABLE.globalSecondaryIndexes)
      expect(indexResources).toContain(`/index/${index.indexName}"`);
    expect(indexResources).not.toContain("/index/*");
  });

  it("may consume from the jobs queue and send to it (follow-up tasks), send captures, and touch no other queue", () => {
    const all = policyStatements(template, (roles) => !schedulerRoleIds().some((id) => roles.includes(id)));
    const onQueue = all.filter(onJobsQueue).flatMap(actions);
    expect(onQueue).toEqual(
      expect.arrayContaining([
        "sqs:ReceiveMessage",
        "sqs:DeleteMessage",
        "sqs:ChangeMessageVisibility",
        "sqs:SendMessage",
      ]),
    );
    const captureQueueId = statefulId(built.stateful.queues.capture.queue);
    const onCapture = all.filter((s) => JSON.stringify(s.Resource).includes(captureQueueId)).flatMap(actions);
    expect(onCapture).toContain("sqs:SendMessage");
    expect(onCapture.filter((action) => /Receive|Delete/.test(action))).toEqual([]);
    const queueIds = Object.keys(stateful.findResources("AWS::SQS::Queue")).filter(
      (id) => id !== jobsQueueId() && id !== captureQueueId,
    );
    for (const id of queueIds) expect(all.filter((s) => JSON.stringify(s.Resource).includes(id))).toEqual([]);
  });

  it("has no wildcard resource except X-Ray's (what the IAM5 acknowledgement covers)", () => {
    const wildcard = policyStatements(template).filter((s) => JSON.stringify(s.Resource).includes("*"));
    expect(wildcard.flatMap(actions).sort()).toEqual(["xray:PutTelemetryRecords", "xray:PutTraceSegments"]);
  });
});

interface ScheduleProps {
  ScheduleExpression: string;
  ScheduleExpressionTimezone?: string;
  State?: string;
  Target: { Arn: unknown; Input: string; RoleArn: unknown; DeadLetterConfig: { Arn: unknown } };
}

/** The schedules of the stack, by the type of the task each puts on the jobs queue. */
function schedulesByTask(): Map<string, ScheduleProps> {
  const schedules = Object.values(template.findResources("AWS::Scheduler::Schedule")) as Resource[];
  return new Map(
    schedules.map((s) => {
      const props = s.Properties as unknown as ScheduleProps;
      return [(JSON.parse(props.Target.Input) as { type: string }).type, props];
    }),
  );
}

describe("the schedulers", () => {
  it("are two: the renewal tick and the retention sweep, nothing else", () => {
    expect([...schedulesByTask().keys()].sort()).toEqual(["privacy.retention", "renewal.tick"]);
  });

  it("puts a renewal.tick task on the jobs queue every hour, with the jobs dead-letter queue for failures", () => {
    const props = schedulesByTask().get("renewal.tick");
    expect(props?.ScheduleExpression).toBe("rate(1 hour)");
    expect(JSON.parse(props?.Target.Input ?? "{}")).toEqual({ type: "renewal.tick", payload: {} });
    expect(JSON.stringify(props?.Target.Arn)).toContain(jobsQueueId());
    expect(JSON.stringify(props?.Target.DeadLetterConfig.Arn)).toContain(
      statefulId(built.stateful.queues.jobs.deadLetterQueue),
    );
  });

  it("puts the retention sweep on the jobs queue once a day, at 03:00 in Vietnam", () => {
    const props = schedulesByTask().get("privacy.retention");
    expect(props?.ScheduleExpression).toBe("cron(0 3 * * ? *)");
    expect(props?.ScheduleExpressionTimezone).toBe("Asia/Ho_Chi_Minh");
    expect(JSON.parse(props?.Target.Input ?? "{}")).toEqual({ type: "privacy.retention", payload: {} });
    expect(JSON.stringify(props?.Target.Arn)).toContain(jobsQueueId());
    expect(JSON.stringify(props?.Target.DeadLetterConfig.Arn)).toContain(
      statefulId(built.stateful.queues.jobs.deadLetterQueue),
    );
  });

  it("gives the scheduler a role that may only send messages to the jobs queue and its dead-letter queue", () => {
    const ids = schedulerRoleIds();
    expect(ids.length).toBeGreaterThan(0);
    const statements = policyStatements(template, (roles) => ids.some((id) => roles.includes(id)));
    expect([...new Set(statements.flatMap(actions))]).toEqual(["sqs:SendMessage"]);
    const resources = statements.map((st) => JSON.stringify(st.Resource)).join(" ");
    expect(resources).toContain(jobsQueueId());
    expect(resources).toContain(statefulId(built.stateful.queues.jobs.deadLetterQueue));
    expect(resources).not.toContain("*");
  });
});
