import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { Template } from "aws-cdk-lib/assertions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp, type PledgewatchApp } from "../lib/app";
import { CAPTURE_TIMEOUT } from "../lib/capture-stack";
import { MONITORING_WORKER_ENVIRONMENT, PLATFORM_ENVIRONMENT } from "../lib/platform";
import { VISIBILITY_TIMEOUT_FACTOR, WORK_QUEUE_VISIBILITY_TIMEOUT } from "../lib/stateful-stack";
import { assetDirOf, removeTempDirs, testApp } from "./support";

interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
}

let built: PledgewatchApp;
let template: Template;
let capture: Resource;
let dispatch: Resource;

afterAll(removeTempDirs);

beforeAll(() => {
  built = buildApp(testApp("capture"));
  template = Template.fromStack(built.capture);
  const functions = Object.values(template.findResources("AWS::Lambda::Function")) as Resource[];
  expect(functions).toHaveLength(2);
  const byDescription = (word: string) =>
    functions.find((f) => String(f.Properties.Description).includes(word)) as Resource;
  capture = byDescription("capture worker");
  dispatch = byDescription("dispatcher");
});

function sizeOf(dir: string): number {
  return readdirSync(dir).reduce((sum, name) => {
    const path = join(dir, name);
    const stat = statSync(path);
    return sum + (stat.isDirectory() ? sizeOf(path) : stat.size);
  }, 0);
}

describe("capture stack", () => {
  it("runs the capture worker on x86_64 (the npm Chromium is x64) with room for the browser", () => {
    expect(capture.Properties).toMatchObject({
      Architectures: ["x86_64"],
      MemorySize: 2048,
      Timeout: CAPTURE_TIMEOUT.toSeconds(),
      EphemeralStorage: { Size: 1024 },
      TracingConfig: { Mode: "Active" },
    });
  });

  it("gives the capture worker and the dispatcher the monitoring worker's environment and none of the platform's", () => {
    const variables = (fn: Resource) =>
      Object.keys((fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables);
    for (const [fn, expected] of [
      [capture, MONITORING_WORKER_ENVIRONMENT.capture],
      [dispatch, MONITORING_WORKER_ENVIRONMENT.dispatch],
    ] as const) {
      const names = variables(fn);
      expect(names).toEqual(expect.arrayContaining([...expected]));
      // No name of the main table, the user pool, the sealing secret, the mail or the other queue.
      const foreign = PLATFORM_ENVIRONMENT.filter((name) => !(expected as readonly string[]).includes(name));
      expect(names.filter((name) => (foreign as readonly string[]).includes(name))).toEqual([]);
    }
  });

  it("bundles Chromium and playwright-core, within Lambda's 250 MB unzipped limit", () => {
    const dir = assetDirOf(built.app, capture);
    for (const file of ["chromium/chromium.br", "chromium/al2023.tar.br", "chromium/fonts.tar.br"]) {
      expect(existsSync(join(dir, file)), file).toBe(true);
    }
    expect(existsSync(join(dir, "node_modules/playwright-core/package.json"))).toBe(true);
    expect(existsSync(join(dir, "fonts/NotoSans_400Regular.ttf"))).toBe(true);
    expect(sizeOf(dir)).toBeLessThan(250 * 1024 * 1024);
    // The dispatcher has no browser in it.
    expect(existsSync(join(assetDirOf(built.app, dispatch), "chromium"))).toBe(false);
  });

  it("consumes the capture queue one message at a time, reporting failures per message", () => {
    template.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
      BatchSize: 1,
      FunctionResponseTypes: ["ReportBatchItemFailures"],
      ScalingConfig: { MaximumConcurrency: 4 },
    });
    expect(WORK_QUEUE_VISIBILITY_TIMEOUT.capture.toSeconds()).toBeGreaterThanOrEqual(
      VISIBILITY_TIMEOUT_FACTOR * CAPTURE_TIMEOUT.toSeconds(),
    );
  });

  it("runs the dispatcher every minute from EventBridge", () => {
    template.hasResourceProperties("AWS::Events::Rule", {
      ScheduleExpression: "rate(1 minute)",
      State: "ENABLED",
    });
    expect(dispatch.Properties.Architectures).toEqual(["arm64"]);
  });
});
