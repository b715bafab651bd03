import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "aws-cdk-lib";
import type { Template } from "aws-cdk-lib/assertions";
import { Manifest, type PolicyValidationReportJson } from "aws-cdk-lib/cloud-assembly-schema";
import { fromRoot } from "../lib/paths";

/** The context of cdk.json (feature flags), so tests synthesize what `cdk synth` synthesizes. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(fromRoot("cdk.json"), "utf8")) as {
    context?: Record<string, unknown>;
  };
  return cdkJson.context ?? {};
}

const tempDirs: string[] = [];

/** A fresh output directory outside the repository, removed by `removeTempDirs`. */
export function tempOutdir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `pledgewatch-${prefix}-`));
  tempDirs.push(dir);
  return dir;
}

/** Removes the directories made by `tempOutdir` (call from `afterAll`). */
export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/**
 * An App like the CLI's (cdk.json context), writing to a temp dir. `inmemory` app mode: when a validation
 * plugin reports an unacknowledged error, `app.synth()` throws with the report in the message (as under
 * vitest anyway, which sets NODE_ENV=test) instead of printing it and setting process.exitCode.
 * `bundling: false` skips bundling the functions (their code assets are then placeholders).
 */
export function testApp(prefix: string, options: { bundling?: boolean } = {}): App {
  return new App({
    outdir: tempOutdir(prefix),
    context: {
      ...cdkJsonContext(),
      "@aws-cdk/core:appMode": "inmemory",
      // Bundle no stack's functions: for tests of the templates only, which then neither wait for esbuild
      // nor depend on the functions' code compiling.
      ...(options.bundling === false ? { "aws:cdk:bundling-stacks": [] } : {}),
    },
  });
}

export interface SynthResult {
  /** What synth threw, if it did (validation failures throw after the report is written). */
  error: unknown;
  /** cdk.out/validation-report.json: every plugin's violations and acknowledged (suppressed) violations. */
  report: PolicyValidationReportJson;
}

/** Synthesizes `app` and reads the validation report the plugins produced, even when synth failed. */
export function synthWithReport(app: App): SynthResult {
  let error: unknown;
  try {
    app.synth();
  } catch (caught) {
    error = caught;
  }
  let report: PolicyValidationReportJson;
  try {
    report = Manifest.loadValidationReport(join(app.outdir, "validation-report.json"));
  } catch (cause) {
    throw new Error(`no validation report in ${app.outdir} (synth error: ${String(error)})`, { cause });
  }
  return { error, report };
}

/** The staged (bundled) code of a synthesized AWS::Lambda::Function, in the app's output directory. */
export function assetDirOf(app: App, fn: { Properties: Record<string, unknown> }): string {
  const s3Key = (fn.Properties.Code as { S3Key: string }).S3Key;
  return join(app.outdir, `asset.${s3Key.replace(/\.zip$/, "")}`);
}

/**
 * The environment functions/platform.ts needs, with made-up values, for loading a bundle outside Lambda
 * (no AWS call is made unless the script under test makes one).
 */
export function fakeLambdaEnvironment(taskRoot: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "",
    LAMBDA_TASK_ROOT: taskRoot,
    AWS_REGION: "ap-southeast-1",
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    TABLE_NAME: "test",
    MONITORING_TABLE_NAME: "test-monitoring",
    USER_POOL_ID: "ap-southeast-1_test",
    USER_POOL_CLIENT_ID: "test",
    JOBS_QUEUE_URL: "https://sqs.ap-southeast-1.amazonaws.com/123456789012/jobs",
    CAPTURE_QUEUE_URL: "https://sqs.ap-southeast-1.amazonaws.com/123456789012/capture",
    STAGE: "aws",
    DOCUMENTS_BUCKET: "documents",
    SEAL_SECRET_ID: "arn:aws:secretsmanager:ap-southeast-1:123456789012:secret:seal-AbCdEf",
    MAIL_FROM: "no-reply@pledgewatch.example.gov.vn",
    MAIL_CONFIGURATION_SET: "pledgewatch",
    PUBLIC_BASE_URL: "https://camket.example.gov.vn",
    POWERTOOLS_LOG_LEVEL: "CRITICAL",
    AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: "1",
  };
}

/**
 * Copies a bundle where no node_modules is around it (like /var/task), runs `script` there as an ES module
 * with `fakeLambdaEnvironment`, and parses the last line it prints as JSON.
 */
export function runBundle<T>(assetDir: string, script: string): T {
  const taskRoot = tempOutdir("task-root");
  cpSync(assetDir, taskRoot, { recursive: true });
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    cwd: taskRoot,
    encoding: "utf8",
    timeout: 60_000,
    env: fakeLambdaEnvironment(taskRoot),
  });
  if (run.status !== 0) throw new Error(`bundle script exited with ${run.status}: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split("\n").at(-1) ?? "null") as T;
}

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

/** Every statement of every AWS::IAM::Policy in a template. */
/** Every statement of the template's policies, or of those whose attached roles (as JSON) pass `roles`. */
export function policyStatements(
  template: Template,
  roles: (json: string) => boolean = () => true,
): Statement[] {
  return Object.values(template.findResources("AWS::IAM::Policy"))
    .filter((policy) => roles(JSON.stringify(policy.Properties.Roles ?? [])))
    .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}

/** A statement's actions, always as a list. */
export function actions(statement: Statement): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}
