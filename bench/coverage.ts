/**
 * Issue 5, renewal and coverage, with 150,000 parties loaded: the nightly reconciliation (a full recount,
 * which also builds the counters of the bulk-loaded parties), coverage read time over HTTP (counters
 * only), the quarterly report (PDF and XLSX), and the quarter rollover's throughput (every invitation
 * created and e-mailed through the task queue, at most 5 tasks at once as the jobs Lambda runs them).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDynamoClients } from "@pledgewatch/aws";
import { type OutgoingEmail, quarterBounds, quarterId, type Task, type TaskQueue } from "@pledgewatch/core";
import { createLocalPlatform } from "@pledgewatch/local";
import type { Logger } from "@pledgewatch/web";
import { bulkLoadParties, type LoadStats } from "./bulk-load";
import { admin, signedInAdmin, tables } from "./registry";
import { dynamoCallMeter, type LatencySummary, otherCpuMeter, summarize, timed } from "./stats";

export const COVERAGE_PARTIES = Number(process.env.BENCH_COVERAGE_PARTIES || 150_000);
export const COVERAGE_FULL_SIZE = COVERAGE_PARTIES === 150_000;
/**
 * How long the rollover may run before the bench stops it and reports the rate it reached: the goal
 * itself (10 minutes), so a finished rollover is measured whole rather than projected.
 */
const ROLLOVER_BUDGET_MS = Number(process.env.BENCH_ROLLOVER_BUDGET_MS || 10 * 60_000);
const REQUESTS = 100;
const WARM_UP = 10;
/** What the jobs function's event source allows on AWS (JOBS_EVENT_SOURCE.maxConcurrency). */
const TASK_CONCURRENCY = 5;

const logger: Logger = {
  info() {},
  warn(message, fields) {
    console.error("warn:", message, JSON.stringify(fields ?? {}));
  },
  error(message, fields) {
    console.error("error:", message, JSON.stringify(fields ?? {}));
  },
};

/** A task queue like SQS with the jobs function's concurrency cap; `stop` drops what has not started. */
function boundedQueue(concurrency: number) {
  let handler: ((task: Task) => Promise<void>) | undefined;
  const waiting: Task[] = [];
  let running = 0;
  let failed = 0;
  let stopped = false;
  let idleWaiters: (() => void)[] = [];
  const pump = () => {
    while (!stopped && running < concurrency && waiting.length > 0) {
      const task = waiting.shift() as Task;
      running++;
      void (handler ? handler(task) : Promise.reject(new Error("no handler")))
        .catch((error: unknown) => {
          failed++;
          logger.error("task failed", { type: task.type, error: String(error) });
        })
        .finally(() => {
          running--;
          pump();
        });
    }
    if (running === 0 && (waiting.length === 0 || stopped)) {
      for (const w of idleWaiters) w();
      idleWaiters = [];
    }
  };
  const queue: TaskQueue & {
    setHandler(h: (task: Task) => Promise<void>): void;
    idle(): Promise<void>;
    stop(): number;
    failed(): number;
  } = {
    setHandler(h) {
      handler = h;
    },
    async enqueue(task) {
      waiting.push(task);
      setImmediate(pump);
    },
    idle: () =>
      new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        setImmediate(pump);
      }),
    stop() {
      stopped = true;
      const dropped = waiting.length;
      waiting.length = 0;
      return dropped;
    },
    failed: () => failed,
  };
  return queue;
}

export interface CoverageResult {
  load: LoadStats;
  reconcile: { ms: number; parties: number; driftCells: number };
  obligated: number;
  reads: { key: string; label: string; latency: LatencySummary; calls: number }[];
  report: {
    ms: number;
    pdfBytes: number;
    xlsxBytes: number;
    overdue: number;
    status: string;
    /** Time in each of the report's progress steps (its own record, sampled every 100 ms). */
    steps: { step: string; ms: number }[];
  };
  rollover: {
    ms: number;
    invited: number;
    invitable: number;
    finished: boolean;
    perSecond: number;
    projectedMs: number;
    failedTasks: number;
  };
  otherCpu: number | undefined;
}

export async function benchCoverage(
  endpoint: string,
  javaPid: number,
  log: (line: string) => void,
): Promise<CoverageResult> {
  const clients = createDynamoClients({ region: "ap-southeast-1", endpoint });
  const meter = dynamoCallMeter(clients.client);
  const covTables = await tables(clients, "bench-cov");
  const tableName = covTables.main;
  const load = await bulkLoadParties(clients.doc, tableName, {
    count: COVERAGE_PARTIES,
    seed: 11,
    concurrency: 8,
    // Registered before this quarter began: past its due day, the unsigned are overdue (the report's list).
    registeredAt: new Date(quarterBounds(quarterId(new Date())).start.getTime() - 30 * 86_400_000),
    onProgress: (done) => log(`loaded ${done.toLocaleString("en")} parties`),
  });
  log(`load: ${load.parties} parties in ${(load.ms / 1000).toFixed(1)} s; ${load.invitable} invitable`);

  const tasks = boundedQueue(TASK_CONCURRENCY);
  let invitations = 0;
  const files = mkdtempSync(join(tmpdir(), "pledgewatch-bench-cov-"));
  const platform = createLocalPlatform({
    clients,
    tables: covTables,
    files,
    logger,
    stage: "bench",
    tasks,
    // Counted, not sent: the rollover's cost is the invitations, not an SMTP server.
    mailer: () => ({
      send: async (message: OutgoingEmail) => {
        if (message.kind === "invitation") invitations++;
      },
    }),
  });
  const others = otherCpuMeter([process.pid, javaPid]);

  // The bulk load wrote the parties without counters (as a restore from a backup would): the nightly
  // reconciliation recounts them and repairs the counters.
  const reconciled = await timed(() => platform.coverage.reconcile());
  log(
    `reconcile: ${(reconciled.ms / 1000).toFixed(1)} s over ${reconciled.value.parties} parties, ${reconciled.value.drift.length} cells repaired`,
  );
  const view = await platform.coverage.read(admin, undefined);
  log(`coverage: ${view.total.obligated} obligated (province entries), ${view.total.signed} signed`);

  const cookie = await signedInAdmin(platform);
  const reads: CoverageResult["reads"] = [];
  for (const e of [
    {
      key: "api",
      label: "API coverage, national (admin), with the 4-quarter trend",
      path: "/api/v1/coverage",
    },
    {
      key: "api-province",
      label: "API coverage, CT × Ninh Bình",
      path: "/api/v1/coverage?agency=CT&province=37",
    },
    { key: "console", label: "Console dashboard (SVG charts), national", path: "/console/coverage" },
  ]) {
    const once = async () => {
      const start = performance.now();
      const res = await platform.app.request(e.path, { headers: { Cookie: cookie } });
      await res.text();
      if (res.status !== 200) throw new Error(`${e.path}: ${res.status}`);
      return performance.now() - start;
    };
    for (let i = 0; i < WARM_UP; i++) await once();
    const calls = meter.start();
    const samples: number[] = [];
    for (let i = 0; i < REQUESTS; i++) samples.push(await once());
    meter.stop();
    const latency = summarize(samples);
    reads.push({ key: e.key, label: e.label, latency, calls: calls.calls / REQUESTS });
    log(`${e.key}: p50 ${latency.p50.toFixed(1)} ms, p95 ${latency.p95.toFixed(1)} ms`);
  }

  const quarter = quarterId(new Date());
  // Each step's share of the time: the report's own progress record, read every 100 ms while it runs.
  const steps: { step: string; ms: number }[] = [];
  const reported = await timed(async () => {
    const start = performance.now();
    const queued = await platform.coverage.requestReport(admin, { quarter });
    let last = "";
    let since = start;
    const poll = setInterval(async () => {
      const now = await platform.repositories.coverage.getReport(queued.id);
      const step = now?.status === "done" ? "" : (now?.step ?? "");
      if (step !== last) {
        const at = performance.now();
        if (last) steps.push({ step: last, ms: at - since });
        last = step;
        since = at;
      }
    }, 100);
    await tasks.idle();
    clearInterval(poll);
    if (last) steps.push({ step: last, ms: performance.now() - since });
    return platform.repositories.coverage.getReport(queued.id);
  });
  log(`report steps: ${steps.map((s) => `${s.step} ${(s.ms / 1000).toFixed(1)} s`).join("; ")}`);
  const report = reported.value;
  const pdf = report?.pdfKey ? await platform.deps.documents.get(report.pdfKey) : null;
  const xlsx = report?.xlsxKey ? await platform.deps.documents.get(report.xlsxKey) : null;
  const overdue = (await platform.coverage.unsigned(admin, { agency: "CT", province: "37" })).items.length;
  log(`report: ${(reported.ms / 1000).toFixed(1)} s, PDF ${pdf?.length ?? 0} B, XLSX ${xlsx?.length ?? 0} B`);

  // The rollover: what the scheduler's first tick of a quarter does, through the bounded queue.
  const started = performance.now();
  await platform.renewal.rollover(quarter);
  const progress = setInterval(
    () => log(`rollover: ${invitations.toLocaleString("en")} invitations`),
    30_000,
  );
  const finished = await Promise.race([
    tasks.idle().then(() => true),
    new Promise<boolean>((r) => setTimeout(() => r(false), ROLLOVER_BUDGET_MS)),
  ]);
  clearInterval(progress);
  const rolloverMs = performance.now() - started;
  const invited = invitations;
  if (!finished) {
    const dropped = tasks.stop();
    log(`rollover stopped after ${(rolloverMs / 1000).toFixed(0)} s (${dropped} batches not started)`);
    await tasks.idle();
  }
  const perSecond = invited / (rolloverMs / 1000);
  log(`rollover: ${invited} invitations in ${(rolloverMs / 1000).toFixed(1)} s (${perSecond.toFixed(0)}/s)`);
  const otherCpu = others.stop();
  clients.client.destroy();
  return {
    load,
    reconcile: {
      ms: reconciled.ms,
      parties: reconciled.value.parties,
      driftCells: reconciled.value.drift.length,
    },
    obligated: view.total.obligated,
    reads,
    report: {
      ms: reported.ms,
      pdfBytes: pdf?.length ?? 0,
      xlsxBytes: xlsx?.length ?? 0,
      overdue,
      status: report?.status ?? "missing",
      steps,
    },
    rollover: {
      ms: rolloverMs,
      invited,
      invitable: load.invitable,
      finished,
      perSecond,
      projectedMs: finished ? rolloverMs : (load.invitable / Math.max(perSecond, 0.001)) * 1000,
      failedTasks: tasks.failed(),
    },
    otherCpu,
  };
}
