import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { MAIN_TABLE } from "@pledgewatch/aws/tables";
import type { CfnResource } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import { Runtime, RuntimeFamily } from "aws-cdk-lib/aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_THROTTLE, SWAGGER_UI_FILES } from "../lib/api-stack";
import { buildApp, type PledgewatchApp } from "../lib/app";
import { NODE_RUNTIME } from "../lib/constructs/node-function";
import { DOCUMENT_FONT_FILES, documentFontPath } from "../lib/fonts";
import { fromRoot } from "../lib/paths";
import { PLATFORM_ENVIRONMENT } from "../lib/platform";
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
let fn: Resource;
/** The staged (bundled) code of the API function. */
let assetDir: string;

afterAll(removeTempDirs);

beforeAll(() => {
  built = buildApp(testApp("api"));
  // Synthesizes the app (and so bundles the function with esbuild) once for the whole file.
  template = Template.fromStack(built.api);
  const functions = Object.values(template.findResources("AWS::Lambda::Function")) as Resource[];
  expect(functions).toHaveLength(1);
  fn = functions[0] as Resource;
  assetDir = assetDirOf(built.app, fn);
});

function ref(construct: { node: { defaultChild?: unknown } }): string {
  return built.api.getLogicalId(construct.node.defaultChild as CfnResource);
}

/** Logical id of a resource of the stateful stack (cross-stack references name it). */
function statefulId(construct: { node: { defaultChild?: unknown } }): string {
  return built.stateful.getLogicalId(construct.node.defaultChild as CfnResource);
}

describe("API function", () => {
  it("runs on the newest Node.js runtime this aws-cdk-lib knows (what AwsSolutions-L1 requires)", () => {
    const newest = Runtime.ALL.filter(
      (r) => r.family === RuntimeFamily.NODEJS && /^nodejs\d+\.x$/.test(r.name),
    )
      .map((r) => r.name)
      .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }))
      .at(-1);
    expect(NODE_RUNTIME.name).toBe(newest);
    expect(fn.Properties.Runtime).toBe(NODE_RUNTIME.name);
  });

  it("is an ARM, traced, ESM bundle with its own log group", () => {
    expect(fn.Properties).toMatchObject({
      Architectures: ["arm64"],
      Handler: "index.handler",
      TracingConfig: { Mode: "Active" },
      LoggingConfig: { LogGroup: { Ref: ref(built.api.api.logGroup) } },
    });
    template.hasResourceProperties("AWS::Logs::LogGroup", { RetentionInDays: Match.anyValue() });
    expect(existsSync(join(assetDir, "index.mjs"))).toBe(true);
    expect(readFileSync(join(assetDir, "index.mjs"), "utf8")).toMatch(/^import \{ createRequire as /);
  });

  it("gets the table, user pool, jobs queue and stage in its environment", () => {
    const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(Object.keys(variables)).toEqual(expect.arrayContaining([...PLATFORM_ENVIRONMENT, "NODE_OPTIONS"]));
    expect(variables.STAGE).toBe("aws");
    for (const name of ["TABLE_NAME", "USER_POOL_ID", "USER_POOL_CLIENT_ID", "JOBS_QUEUE_URL"]) {
      // A reference to the stateful stack, never a literal.
      expect(typeof variables[name]).toBe("object");
    }
    expect(JSON.stringify(variables.JOBS_QUEUE_URL)).toContain(statefulId(built.stateful.queues.jobs.queue));
  });

  it("alone holds the uploads policy and the uploads bucket's name (presigned POSTs of large files)", () => {
    const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(JSON.stringify(variables.UPLOADS_BUCKET)).toContain(statefulId(built.stateful.uploadsBucket));
    const policyId = statefulId(built.stateful.uploadsInboxPolicy);
    const roles = (stackTemplate: Template) =>
      Object.values(stackTemplate.findResources("AWS::IAM::Role")).filter((role) =>
        JSON.stringify(role.Properties.ManagedPolicyArns ?? []).includes(policyId),
      );
    expect(roles(template)).toHaveLength(1);
    for (const other of [built.workers, built.capture]) expect(roles(Template.fromStack(other))).toEqual([]);
  });

  it("may send to the jobs and capture queues, only send, and read and re-drive their dead-letter queues", () => {
    const onQueue = policyStatements(template).filter((s) =>
      JSON.stringify(s.Resource).includes(statefulId(built.stateful.queues.jobs.queue)),
    );
    expect(onQueue.flatMap(actions)).toContain("sqs:SendMessage");
    expect(
      onQueue.flatMap(actions).filter((action) => /Receive|Delete|ChangeMessageVisibility/.test(action)),
    ).toEqual([]);
    // Capture on demand goes to the capture queue: send only.
    const onCapture = policyStatements(template).filter((s) =>
      JSON.stringify(s.Resource).includes(statefulId(built.stateful.queues.capture.queue)),
    );
    expect(onCapture.flatMap(actions)).toContain("sqs:SendMessage");
    expect(onCapture.flatMap(actions).filter((action) => /Receive|Delete/.test(action))).toEqual([]);
    // The console's dead-letter page: receive and delete on the two dead-letter queues.
    for (const name of ["jobs", "capture"] as const) {
      const onDlq = policyStatements(template).filter((s) =>
        JSON.stringify(s.Resource).includes(statefulId(built.stateful.queues[name].deadLetterQueue)),
      );
      expect(onDlq.flatMap(actions)).toEqual(
        expect.arrayContaining(["sqs:ReceiveMessage", "sqs:DeleteMessage"]),
      );
    }
  });

  it("may read and write the table, query its GSIs by name and describe it, and nothing else with a wildcard", () => {
    const all = policyStatements(template);

    const onTable = all.find((s) => actions(s).includes("dynamodb:PutItem"));
    expect(actions(onTable as Statement)).toEqual(
      expect.arrayContaining([
        "dynamodb:GetItem",
        "dynamodb:Query",
        "dynamodb:UpdateItem",
        "dynamodb:DescribeTable",
      ]),
    );

    const onIndexes = all.find((s) => JSON.stringify(s.Resource).includes("/index/"));
    const indexResources = JSON.stringify(onIndexes?.Resource);
    for (const index of MAIN_TABLE.globalSecondaryIndexes)
      expect(indexResources).toContain(`/index/${index.indexName}"`);
    expect(indexResources).not.toContain("/index/*");

    // The IAM5 acknowledgement on the function role covers Resource::* for X-Ray only: keep it that way.
    const wildcard = all.filter((s) => JSON.stringify(s.Resource).includes("*"));
    expect(wildcard.flatMap(actions).sort()).toEqual(["xray:PutTelemetryRecords", "xray:PutTraceSegments"]);
  });

  it("bundles the web app, with Vietnamese as UTF-8 and its source map as a file", () => {
    const code = readFileSync(join(assetDir, "index.mjs"), "utf8");
    // The marks the workers' bundles must not have (workers-stack.test.ts).
    expect(code).toContain("/api/openapi.json");
    expect(code).toContain("SwaggerUIBundle");
    expect(code).toContain("Đăng nhập");
    expect(code).not.toContain("\\u0110"); // Đ escaped
    expect(code).toMatch(/\/\/# sourceMappingURL=index\.mjs\.map\s*$/);
    expect(existsSync(join(assetDir, "index.mjs.map"))).toBe(true);
  });

  it("bundles the Swagger UI assets into swagger-ui/", () => {
    for (const name of SWAGGER_UI_FILES) {
      const bundled = readFileSync(join(assetDir, "swagger-ui", name));
      expect(bundled.equals(readFileSync(fromRoot("node_modules", "swagger-ui-dist", name)))).toBe(true);
    }
  });

  it("bundles the documents' fonts into fonts/", () => {
    for (const { specifier, file } of DOCUMENT_FONT_FILES) {
      const bundled = readFileSync(join(assetDir, "fonts", file));
      expect(bundled.equals(readFileSync(documentFontPath(specifier)))).toBe(true);
    }
  });

  it("the bundle loads outside the repository and serves Swagger UI from LAMBDA_TASK_ROOT", () => {
    const result = runBundle<{ status: number; length: number }>(
      assetDir,
      `
      const { handler } = await import("./index.mjs");
      const path = "/api/docs/assets/swagger-ui.css";
      const event = {
        version: "2.0", routeKey: "$default", rawPath: path, rawQueryString: "", headers: { host: "api.test" },
        requestContext: { http: { method: "GET", path, protocol: "HTTP/1.1", sourceIp: "192.0.2.1", userAgent: "vitest" },
          requestId: "test", stage: "$default", domainName: "api.test", time: "", timeEpoch: 0 },
        isBase64Encoded: false,
      };
      const response = await handler(event, {});
      console.log(JSON.stringify({ status: response.statusCode, length: (response.body ?? "").length }));
    `,
    );
    expect(result.status).toBe(200);
    expect(result.length).toBe(readFileSync(join(assetDir, "swagger-ui", "swagger-ui.css"), "utf8").length);
  });
});

describe("HTTP API", () => {
  it("sends every request ($default route) to the function through a proxy integration", () => {
    template.resourceCountIs("AWS::ApiGatewayV2::Api", 1);
    template.hasResourceProperties("AWS::ApiGatewayV2::Api", { ProtocolType: "HTTP" });
    template.resourceCountIs("AWS::ApiGatewayV2::Route", 1);
    template.hasResourceProperties("AWS::ApiGatewayV2::Route", {
      RouteKey: "$default",
      Target: Match.objectLike({ "Fn::Join": ["", ["integrations/", Match.anyValue()]] }),
    });
    template.hasResourceProperties("AWS::ApiGatewayV2::Integration", {
      IntegrationType: "AWS_PROXY",
      PayloadFormatVersion: "2.0",
      IntegrationUri: { "Fn::GetAtt": [ref(built.api.api.function), "Arn"] },
    });
  });

  it("has a throttled, access-logged $default stage", () => {
    template.hasResourceProperties("AWS::ApiGatewayV2::Stage", {
      StageName: "$default",
      AutoDeploy: true,
      DefaultRouteSettings: {
        ThrottlingRateLimit: API_THROTTLE.rateLimit,
        ThrottlingBurstLimit: API_THROTTLE.burstLimit,
      },
      AccessLogSettings: {
        DestinationArn: { "Fn::GetAtt": [ref(built.api.accessLogs), "Arn"] },
        Format: Match.stringLikeRegexp("\\$context\\.requestId"),
      },
    });
  });

  it("outputs the API URL and the user pool ids", () => {
    template.hasOutput("ApiUrl", {});
    const stateful = Template.fromStack(built.stateful);
    stateful.hasOutput("UserPoolId", {});
    stateful.hasOutput("UserPoolClientId", {});
  });
});
