#!/usr/bin/env node
// `npx pledgewatch <command>`: the workspace has no build step, so the TypeScript sources are loaded
// through tsx's loader (a dependency of this package), the same way `npm start` runs them.
import { fstatSync } from "node:fs";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { register } from "tsx/esm/api";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

/**
 * `flag` on a file over one batch (1 MB) will use worker threads: they are started now, before this
 * thread loads the sources and the rules, so that their start-up (a few hundred milliseconds each)
 * overlaps this thread's instead of following it. They are sent the rule set once it is read. Piped
 * input, whose size is not known, starts its workers once it is seen to be large (src/cli/parallel.ts).
 */
function startWorkersEarly(args) {
  if (args[0] !== "flag") return [];
  const at = args.indexOf("--threads");
  const threads = at === -1 ? availableParallelism() : Number(args[at + 1]);
  if (!Number.isInteger(threads) || threads < 2 || threads > 64) return [];
  let size = 0;
  try {
    const stat = fstatSync(0);
    if (!stat.isFile()) return [];
    size = stat.size;
  } catch {
    return [];
  }
  if (size <= 1 << 20) return [];
  const url = new URL("./flag-worker.mjs", import.meta.url);
  return Array.from({ length: threads }, () => {
    const worker = new Worker(url);
    // Until flagParallel takes them, they do not keep the process alive (a bad --rules exits at once).
    worker.unref();
    return worker;
  });
}

const args = process.argv.slice(2);
const workers = startWorkersEarly(args);
register();
const { main } = await import("../src/cli/main.ts");
try {
  process.exitCode = await main(args, process, { workers });
} finally {
  await Promise.all(workers.map((w) => w.terminate()));
}
