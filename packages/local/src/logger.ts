import type { Logger } from "@pledgewatch/core";

const LEVELS = ["debug", "info", "warn", "error"] as const;
type Level = (typeof LEVELS)[number];

/** One JSON line per event on stderr, like the Lambda's Powertools logs, filtered by level. */
export function createConsoleLogger(level: Level, service = "pledgewatch-local"): Logger {
  const min = LEVELS.indexOf(level);
  const write =
    (lvl: Level) =>
    (message: string, ...extra: Record<string, unknown>[]) => {
      if (LEVELS.indexOf(lvl) < min) return;
      process.stderr.write(
        `${JSON.stringify({ level: lvl.toUpperCase(), timestamp: new Date().toISOString(), service, message, ...Object.assign({}, ...extra) })}\n`,
      );
    };
  return { info: write("info"), warn: write("warn"), error: write("error") };
}
