import { readFileSync } from "node:fs";
import { RuleSetSchema } from "@pledgewatch/core/flagging";
import { compileRuleSet } from "../engine";
import { seedRuleSet } from "../seed/index";
import { flagStream } from "./flag-stream";
import { flagParallel } from "./parallel";

const USAGE = `usage: pledgewatch flag [--rules rules.json] < listings.jsonl > decisions.jsonl

  Reads one JSON item per line ({ id, kind: listing|ad|post, platform, title, text?, price?, seller?,
  category?, url? }) and writes one decision per line, in order:
  { id, flagged, score, agency: CT|VHTT|YT|null, reasons: [{ rule, evidence, legalBasis, … }] }.
  A bad line gets { line, id?, error } and the run goes on.

  --rules FILE   a rule set as JSON (the format of GET /api/v1/rules/export); default: the seed rules.
  --threads N    worker threads for a large input (over 1 MB); default: one per core.
                 1 evaluates everything in the main thread. The output order is the input's either way.`;

/** The CLI; returns the exit code (0 also when some lines were bad: they are reported in the output). */
export async function main(
  args: readonly string[],
  io: {
    stdin: NodeJS.ReadableStream;
    stdout: NodeJS.WritableStream;
    stderr: NodeJS.WritableStream;
  } = process,
  /** Workers bin/pledgewatch.mjs started before this module was loaded (see flagParallel). */
  early: { workers?: import("node:worker_threads").Worker[] } = {},
): Promise<number> {
  const [command, ...rest] = args;
  if (command === undefined || command === "help" || command === "--help" || command === "-h") {
    io.stderr.write(`${USAGE}\n`);
    return command === undefined ? 2 : 0;
  }
  if (command !== "flag") {
    io.stderr.write(`pledgewatch: unknown command "${command}"\n${USAGE}\n`);
    return 2;
  }
  let ruleSet = seedRuleSet();
  let threads: number | undefined;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === "--threads" && rest[i + 1] !== undefined) {
      const value = Number(rest[++i]);
      if (!Number.isInteger(value) || value < 1 || value > 64) {
        io.stderr.write(`pledgewatch: --threads takes a whole number from 1 to 64, not "${rest[i]}"\n`);
        return 2;
      }
      threads = value;
    } else if (arg === "--rules" && rest[i + 1] !== undefined) {
      const file = rest[++i] as string;
      let json: unknown;
      try {
        json = JSON.parse(readFileSync(file, "utf8"));
      } catch (error) {
        io.stderr.write(`pledgewatch: cannot read rules from ${file}: ${(error as Error).message}\n`);
        return 2;
      }
      const parsed = RuleSetSchema.safeParse(json);
      if (!parsed.success) {
        const first = parsed.error.issues[0];
        io.stderr.write(
          `pledgewatch: ${file} is not a rule set: ${first?.path.join(".")}: ${first?.message}\n`,
        );
        return 2;
      }
      ruleSet = parsed.data;
    } else {
      io.stderr.write(`pledgewatch: unknown option "${arg}"\n${USAGE}\n`);
      return 2;
    }
  }
  const result =
    threads === 1
      ? { ...(await flagStream(compileRuleSet(ruleSet), io.stdin as never, io.stdout as never)), threads: 0 }
      : await flagParallel(ruleSet, io.stdin as never, io.stdout as never, {
          ...(threads ? { threads } : {}),
          ...(early.workers && early.workers.length > 0 ? { workers: early.workers } : {}),
        });
  const on = result.threads > 0 ? `, ${result.threads} threads` : "";
  io.stderr.write(
    `pledgewatch: ${result.lines} lines, ${result.flagged} flagged, ${result.errors} errors (rule set v${ruleSet.version}${on})\n`,
  );
  return 0;
}
