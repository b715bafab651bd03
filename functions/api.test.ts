import { afterAll, beforeAll, describe, expect, it } from "vitest";

// Smoke test of the Lambda adapter: an API Gateway HTTP API (payload 2.0) event in, a response out.
// Only routes that need no AWS call are exercised; the app itself is tested in memory and against
// DynamoDB Local.
function httpApiEvent(method: string, path: string, headers: Record<string, string> = {}) {
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: path,
    rawQueryString: "",
    headers: { host: "abc123.execute-api.ap-southeast-1.amazonaws.com", ...headers },
    requestContext: {
      accountId: "123456789012",
      apiId: "abc123",
      domainName: "abc123.execute-api.ap-southeast-1.amazonaws.com",
      domainPrefix: "abc123",
      http: { method, path, protocol: "HTTP/1.1", sourceIp: "203.0.113.9", userAgent: "vitest" },
      requestId: "req-1",
      routeKey: "$default",
      stage: "$default",
      time: "22/Nov/2026:04:30:00 +0000",
      timeEpoch: 1795321800000,
    },
    isBase64Encoded: false,
  };
}

const saved = { ...process.env };
/** The first import transforms the whole platform (several seconds on a busy 2-core machine). */
const IMPORT_TIMEOUT_MS = 30_000;

describe("API Lambda entry point", () => {
  beforeAll(() => {
    Object.assign(process.env, {
      AWS_REGION: "ap-southeast-1",
      TABLE_NAME: "pledgewatch-main",
      MONITORING_TABLE_NAME: "pledgewatch-monitoring",
      USER_POOL_ID: "ap-southeast-1_Example1",
      USER_POOL_CLIENT_ID: "exampleclientid",
      JOBS_QUEUE_URL: "https://sqs.ap-southeast-1.amazonaws.com/123456789012/jobs",
      CAPTURE_QUEUE_URL: "https://sqs.ap-southeast-1.amazonaws.com/123456789012/capture",
      DOCUMENTS_BUCKET: "pledgewatch-documents-example",
      SEAL_SECRET_ID: "arn:aws:secretsmanager:ap-southeast-1:123456789012:secret:seal-AbCdEf",
      MAIL_FROM: "no-reply@pledgewatch.example.gov.vn",
      PUBLIC_BASE_URL: "https://camket.example.gov.vn",
      POWERTOOLS_LOG_LEVEL: "ERROR",
    });
  });
  afterAll(() => {
    process.env = saved;
  });

  it(
    "answers an unauthenticated API call with a 401 JSON error",
    async () => {
      const { handler } = await import("./api");
      const res = (await handler(httpApiEvent("GET", "/api/v1/me") as never, {} as never)) as {
        statusCode: number;
        body: string;
        headers: Record<string, string>;
      };
      expect(res.statusCode).toBe(401);
      expect(JSON.parse(res.body).error.code).toBe("unauthenticated");
      expect(res.headers["strict-transport-security"]).toContain("max-age");
    },
    IMPORT_TIMEOUT_MS,
  );

  it(
    "refuses a forged bearer token",
    async () => {
      const { handler } = await import("./api");
      const res = (await handler(
        httpApiEvent("GET", "/api/v1/me", { authorization: "Bearer not.a.jwt" }) as never,
        {} as never,
      )) as { statusCode: number };
      expect(res.statusCode).toBe(401);
    },
    IMPORT_TIMEOUT_MS,
  );

  it("offers no time travel: the AWS composition keeps real time and refuses a movable clock", async () => {
    const { platformFromEnvironment } = await import("./app");
    const { platform } = platformFromEnvironment("pledgewatch-test");
    expect(platform.deps.timeTravel).toBeUndefined();
    expect("travelTo" in platform.clock).toBe(false);
    expect(Math.abs(platform.clock.now().getTime() - Date.now())).toBeLessThan(5_000);
    const { createTravelClock } = await import("@pledgewatch/core");
    const { createPlatform } = await import("@pledgewatch/platform");
    const { awsPlatformSettings } = await import("./platform");
    expect(() =>
      createPlatform(awsPlatformSettings("pledgewatch-test", {}, { timeTravel: createTravelClock() })),
    ).toThrow(/local runs and tests only/);
  });

  it("fails at start, naming the variable, when configuration is missing", async () => {
    const { ApiConfigSchema } = await import("./api-config");
    const { loadConfig } = await import("@pledgewatch/core");
    expect(() => loadConfig(ApiConfigSchema, { AWS_REGION: "ap-southeast-1", TABLE_NAME: "t" })).toThrow(
      /USER_POOL_ID[\s\S]*USER_POOL_CLIENT_ID/,
    );
  });
});
