import { type App, Stack, Validations } from "aws-cdk-lib";
import { Queue } from "aws-cdk-lib/aws-sqs";
import type { PluginReportJson, PolicyViolationJson } from "aws-cdk-lib/cloud-assembly-schema";
import { AwsSolutionsChecks } from "cdk-nag";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../lib/app";
import { removeTempDirs, type SynthResult, synthWithReport, testApp } from "./support";

/**
 * cdk-nag 3 is a policy-validation plugin. After synthesis CDK runs it, removes the findings acknowledged
 * with `Validations.of(scope).acknowledge(...)` into `suppressedViolations`, writes everything to
 * cdk.out/validation-report.json and, if an unacknowledged error is left, fails synth (throws, here).
 * These tests read that report.
 */
const PACK = new AwsSolutionsChecks().name;

afterAll(removeTempDirs);

/** The same wiring as infra/bin/app.ts. */
function withNag(app: App): App {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return app;
}

function nagReport(result: SynthResult): PluginReportJson {
  const report = result.report.pluginReports.find((plugin) => plugin.pluginName === PACK);
  if (!report)
    throw new Error(
      `the ${PACK} plugin did not report (plugins: ${result.report.pluginReports.map((p) => p.pluginName)})`,
    );
  return report;
}

function describeViolations(violations: readonly PolicyViolationJson[]): string[] {
  return violations.flatMap((v) =>
    v.violatingConstructs.map((c) => `${v.severity} ${v.ruleName} at ${c.constructPath}: ${v.description}`),
  );
}

describe("cdk-nag AwsSolutions on the Pledgewatch app", () => {
  let app: App;
  let result: SynthResult;
  let nag: PluginReportJson;

  beforeAll(() => {
    app = withNag(buildApp(testApp("nag")).app);
    result = synthWithReport(app);
    nag = nagReport(result);
  });

  it("has no unacknowledged error", () => {
    expect(describeViolations(nag.violations.filter((v) => v.severity === "error"))).toEqual([]);
    expect(result.error).toBeUndefined();
  });

  it("has no unacknowledged warning either", () => {
    expect(describeViolations(nag.violations)).toEqual([]);
  });

  it("every acknowledgement is recorded in the report with a reason, and none is stale", () => {
    const suppressed = nag.suppressedViolations ?? [];
    for (const violation of suppressed) {
      expect(violation.reason?.length ?? 0, violation.acknowledgedId).toBeGreaterThan(40);
    }
    const declared: string[] = [];
    for (const construct of app.node.findAll()) {
      for (const entry of construct.node.metadata) {
        if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
        for (const id of Object.keys(entry.data as Record<string, string>)) {
          if (id.includes(`${PACK}-`)) declared.push(`${id} @ ${construct.node.path}`);
        }
      }
    }
    expect(declared.length).toBeGreaterThan(0);
    // A bare id ("AwsSolutions-IAM5") is swallowed by cdk-nag itself and leaves no trace in the report;
    // the plugin-qualified form ("AwsSolutions::AwsSolutions-IAM5") is suppressed by CDK and recorded.
    expect(
      declared.filter((ack) => !ack.startsWith(`${PACK}::`)),
      `acknowledge cdk-nag rules as "${PACK}::<rule id>"`,
    ).toEqual([]);
    const used = new Set(suppressed.map((v) => `${v.acknowledgedId} @ ${v.acknowledgedAt}`));
    expect(
      declared.filter((ack) => !used.has(ack)),
      "acknowledgements that match no finding",
    ).toEqual([]);
  });
});

describe("the check itself", () => {
  it("fails synthesis and reports errors for a non-compliant resource", () => {
    const app = withNag(testApp("nag-negative"));
    // No DLQ, no TLS-only policy: AwsSolutions-SQS3 and -SQS4.
    new Queue(new Stack(app, "Bad"), "Queue");
    const result = synthWithReport(app);
    const errors = nagReport(result)
      .violations.filter((v) => v.severity === "error")
      .map((v) => v.ruleName);
    expect(errors).toEqual(expect.arrayContaining(["AwsSolutions-SQS3", "AwsSolutions-SQS4"]));
    expect(String(result.error)).toContain("AwsSolutions-SQS3");
  });
});
