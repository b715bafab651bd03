/** Small measuring helpers: timers, percentiles, memory sampling, DynamoDB call accounting. */
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";

export const seconds = (ms: number) => ms / 1000;

export async function timed<T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await run();
  return { value, ms: performance.now() - start };
}

/** Nearest-rank percentile of an ascending list. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? Number.NaN;
}

export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export function summarize(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
    mean: sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length),
  };
}

/** Samples the process's resident set size every `everyMs` and keeps the largest value seen. */
export function sampleRss(everyMs = 100) {
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, everyMs);
  timer.unref();
  return {
    baseline,
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage().rss);
      return { baseline, peak };
    },
  };
}

export interface CallStats {
  calls: number;
  ms: number;
  byCommand: Record<string, { calls: number; ms: number }>;
}

/**
 * Counts the DynamoDB requests the application makes and the time spent waiting for them, by command.
 * Bench-side instrumentation only: a middleware on the client, no change to the code measured.
 */
export function dynamoCallMeter(client: DynamoDBClient) {
  let current: CallStats | undefined;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const start = performance.now();
      try {
        return await next(args);
      } finally {
        if (current) {
          const ms = performance.now() - start;
          const name = String(context.commandName ?? "unknown").replace(/Command$/, "");
          current.calls++;
          current.ms += ms;
          const entry = current.byCommand[name] ?? { calls: 0, ms: 0 };
          entry.calls++;
          entry.ms += ms;
          current.byCommand[name] = entry;
        }
      }
    },
    { step: "initialize", name: "benchCallMeter" },
  );
  return {
    /** Starts a new tally and returns it; the previous one stops counting. */
    start(): CallStats {
      current = { calls: 0, ms: 0, byCommand: {} };
      return current;
    },
    stop() {
      current = undefined;
    },
  };
}

export const mb = (bytes: number) => bytes / (1024 * 1024);

const USER_HZ = 100;

function machineBusySeconds(): number {
  const fields =
    readFileSync("/proc/stat", "utf8").split("\n")[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
  // user nice system idle iowait irq softirq steal: busy is everything but idle and iowait.
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  return (user + nice + system + irq + softirq + steal) / USER_HZ;
}

function processSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the command name.
    return (Number(fields[11]) + Number(fields[12])) / USER_HZ;
  } catch {
    return 0;
  }
}

/**
 * How much of the machine's CPU other processes took while something was measured: the machine's busy
 * time minus that of the benchmark's own processes (Node and DynamoDB Local), as a share of all cores.
 * Undefined where /proc is not available.
 */
export function otherCpuMeter(pids: number[]) {
  const read = () => {
    try {
      return { busy: machineBusySeconds(), ours: pids.reduce((sum, pid) => sum + processSeconds(pid), 0) };
    } catch {
      return undefined;
    }
  };
  const before = read();
  const start = performance.now();
  return {
    stop(): number | undefined {
      const after = read();
      if (!before || !after) return undefined;
      const elapsed = (performance.now() - start) / 1000;
      const others = after.busy - before.busy - (after.ours - before.ours);
      return Math.max(0, others) / (elapsed * availableParallelism());
    },
  };
}
