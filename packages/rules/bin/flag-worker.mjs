// A worker thread of `pledgewatch flag` (src/cli/parallel.ts): like bin/pledgewatch.mjs, it loads the
// TypeScript sources through tsx, which a worker does not inherit from the thread that started it.
import { register } from "tsx/esm/api";

register();
await import("../src/cli/flag-worker.ts");
