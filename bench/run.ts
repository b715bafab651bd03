/**
 * `npm run bench`: runs the pledge-document benchmark, then starts an in-memory DynamoDB Local for the
 * registry benchmarks, and rewrites their sections of docs/benchmarks.md. Measures only; exits non-zero
 * only when a benchmark could not run at all. `BENCH_ONLY=pledge` (or `rules`, `registry`, `coverage`,
 * `capture`, `bundles`, `abuse`) runs just one of them; the coverage section (issue 5) starts its own DynamoDB Local and loads
 * its own 150,000 parties.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

import { join } from "node:path";
import { type DynamoLocal, freePort, startDynamoLocal } from "@pledgewatch/local";
import { abuseSection, benchAbuse } from "./abuse";
import { benchBundles, bundlesSection } from "./bundles";
import { benchCapture, CAPTURE_FULL_SIZE, captureSection } from "./capture";
import { benchCoverage, COVERAGE_FULL_SIZE } from "./coverage";
import { machine, vietnamTime } from "./machine";
import { benchPledge, pledgeSection } from "./pledge";
import { benchImport, benchList, FULL_SIZE } from "./registry";
import { coverageSection, registrySection, writeSection } from "./report";
import { benchRules, RULES_FULL_SIZE, rulesSection } from "./rules";

/**
 * A benchmark that hangs must not hang the run. The registry and the coverage sections each load
 * 150,000 parties (about 5 minutes each) and the coverage section lets the rollover run up to 6 minutes.
 */
const TIME_LIMIT_MS = 40 * 60_000;
const SECTIONS = ["rules", "pledge", "registry", "coverage", "capture", "bundles", "abuse"] as const;
const ONLY = process.env.BENCH_ONLY || undefined;
if (ONLY !== undefined && !(SECTIONS as readonly string[]).includes(ONLY)) {
  console.error(
    `bench: BENCH_ONLY must be one of ${SECTIONS.map((s) => `"${s}"`).join(", ")}, not "${ONLY}"`,
  );
  process.exit(2);
}
const runs = (section: (typeof SECTIONS)[number]) => ONLY === undefined || ONLY === section;
const RESULTS = join(import.meta.dirname, "..", "docs", "benchmarks.md");

const started = performance.now();
const startedAt = new Date();
// Taken at the start: the code measured is the code loaded now, even if someone commits during the run.
const host = machine();
const log = (line: string) => {
  const s = ((performance.now() - started) / 1000).toFixed(0).padStart(4);
  console.log(`[${s} s] ${line}`);
};

let dynamo: DynamoLocal | undefined;
const shutdown = async (code: number) => {
  await dynamo?.stop();
  process.exit(code);
};
process.once("SIGINT", () => void shutdown(130));
process.once("SIGTERM", () => void shutdown(143));
const watchdog = setTimeout(() => {
  console.error(`bench: still running after ${TIME_LIMIT_MS / 60_000} minutes, giving up`);
  void shutdown(1);
}, TIME_LIMIT_MS);
watchdog.unref();

try {
  if (runs("rules")) {
    // CPU-bound and alone in the process: before DynamoDB Local competes for the CPU.
    const rules = await benchRules(log);
    const section = rulesSection(rules, host, vietnamTime(startedAt));
    if (RULES_FULL_SIZE) {
      writeSection(RESULTS, "rules", section);
      log(`rules: results written to ${RESULTS}`);
    } else {
      console.log(`\n${section}\n\n(reduced size: the rules section of docs/benchmarks.md left unchanged)`);
    }
  }
  if (runs("pledge")) {
    // First, while no DynamoDB Local competes for the CPU; its size is fixed, so it always writes.
    const pledge = await benchPledge(log);
    writeSection(RESULTS, "pledge", pledgeSection(pledge, host, vietnamTime(startedAt)));
    log(`pledge documents: p95 ${pledge.total.p95.toFixed(1)} ms; results written to ${RESULTS}`);
  }
  if (runs("registry")) {
    dynamo = await startDynamoLocal({ port: await freePort() });
    log(`DynamoDB Local (in memory) at ${dynamo.endpoint}`);
    const imported = await benchImport(dynamo.endpoint, dynamo.pid, log);
    const list = await benchList(dynamo.endpoint, dynamo.pid, log);
    await dynamo.stop();
    const benchMs = performance.now() - started;
    const section = registrySection({ import: imported, list }, host, vietnamTime(startedAt), benchMs);
    if (FULL_SIZE) {
      writeSection(RESULTS, "registry", section);
      log(`results written to ${RESULTS}`);
    } else {
      console.log(
        `\n${section}\n\n(reduced sizes: the registry section of docs/benchmarks.md left unchanged)`,
      );
    }
  }
  if (runs("coverage")) {
    dynamo = await startDynamoLocal({ port: await freePort() });
    log(`DynamoDB Local (in memory) at ${dynamo.endpoint}`);
    const sectionStart = performance.now();
    const coverage = await benchCoverage(dynamo.endpoint, dynamo.pid, log);
    await dynamo.stop();
    dynamo = undefined;
    const section = coverageSection(coverage, host, vietnamTime(startedAt), performance.now() - sectionStart);
    if (COVERAGE_FULL_SIZE) {
      writeSection(RESULTS, "coverage", section);
      log(`results written to ${RESULTS}`);
    } else {
      console.log(
        `\n${section}\n\n(reduced size: the coverage section of docs/benchmarks.md left unchanged)`,
      );
    }
  }
  if (runs("capture")) {
    dynamo = await startDynamoLocal({ port: await freePort() });
    log(`DynamoDB Local (in memory) at ${dynamo.endpoint}, for the capture benchmark`);
    const capture = await benchCapture(dynamo.endpoint, dynamo.pid, log);
    await dynamo.stop();
    dynamo = undefined;
    const section = captureSection(capture, host, vietnamTime(startedAt));
    if (CAPTURE_FULL_SIZE) {
      writeSection(RESULTS, "capture", section);
      log(`results written to ${RESULTS}`);
    } else {
      console.log(`\n${section}\n\n(reduced size: the capture section of docs/benchmarks.md left unchanged)`);
    }
  }
  if (runs("bundles")) {
    // Synthesizes the app and starts its own stand-ins (test/deployed/harness); a fixed size, so it always writes.
    const bundles = await benchBundles(log);
    writeSection(RESULTS, "bundles", bundlesSection(bundles, host, vietnamTime(startedAt)));
    log(`bundles: results written to ${RESULTS}`);
  }
  if (runs("abuse")) {
    // Starts npm start's composition on its own; a fixed size and time, so it always writes.
    const abuse = await benchAbuse(log);
    writeSection(RESULTS, "abuse", abuseSection(abuse, host, vietnamTime(startedAt)));
    log(
      `abuse: fair client p99 ${abuse.fair.p99} ms beside ${abuse.abusive.refused} refused; results written to ${RESULTS}`,
    );
  }
  clearTimeout(watchdog);
} catch (error) {
  console.error(error);
  await shutdown(1);
}
