import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "aws-cdk-lib";
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
 */
export function testApp(prefix: string): App {
  return new App({
    outdir: tempOutdir(prefix),
    context: { ...cdkJsonContext(), "@aws-cdk/core:appMode": "inmemory" },
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
