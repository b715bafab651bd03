/**
 * `npm run bench`: runs the pledge-document benchmark, then starts an in-memory DynamoDB Local for the
 * registry benchmarks, and rewrites their sections of docs/benchmarks.md. Measures only; exits non-zero
 * only when a benchmark could not run at all. `BENCH_ONLY=pledge` (or `registry`, `capture`) runs just one of them.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

import { join } from "node:path";
import { type DynamoLocal, freePort, startDynamoLocal } from "@pledgewatch/local";
import { benchCapture, CAPTURE_FULL_SIZE, captureSection } from "./capture";
import { machine, vietnamTime } from "./machine";
import { benchPledge, pledgeSection } from "./pledge";
import { benchImport, benchList, FULL_SIZE } from "./registry";
import { registrySection, writeSection } from "./report";

/** A benchmark that hangs must not hang the run: give up well inside 15 minutes. */
const TIME_LIMIT_MS = 13 * 60_000;
const ONLY = process.env.BENCH_ONLY || undefined;
if (ONLY !== undefined && ONLY !== "pledge" && ONLY !== "registry" && ONLY !== "capture") {
  console.error(`bench: BENCH_ONLY must be "pledge", "registry" or "capture", not "${ONLY}"`);
  process.exit(2);
}
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
  if (ONLY === undefined || ONLY === "pledge") {
    // First, while no DynamoDB Local competes for the CPU; its size is fixed, so it always writes.
    const pledge = await benchPledge(log);
    writeSection(RESULTS, "pledge", pledgeSection(pledge, host, vietnamTime(startedAt)));
    log(`pledge documents: p95 ${pledge.total.p95.toFixed(1)} ms; results written to ${RESULTS}`);
  }
  if (ONLY === undefined || ONLY === "registry") {
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
  if (ONLY === undefined || ONLY === "capture") {
    dynamo = await startDynamoLocal({ port: await freePort() });
    log(`DynamoDB Local (in memory) at ${dynamo.endpoint}, for the capture benchmark`);
    const capture = await benchCapture(dynamo.endpoint, dynamo.pid, log);
    await dynamo.stop();
    const section = captureSection(capture, host, vietnamTime(startedAt));
    if (CAPTURE_FULL_SIZE) {
      writeSection(RESULTS, "capture", section);
      log(`results written to ${RESULTS}`);
    } else {
      console.log(`\n${section}\n\n(reduced size: the capture section of docs/benchmarks.md left unchanged)`);
    }
  }
  clearTimeout(watchdog);
} catch (error) {
  console.error(error);
  await shutdown(1);
}
