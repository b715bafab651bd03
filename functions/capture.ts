import { join } from "node:path";
import { createBrowserPool, createBrowserRenderer } from "@pledgewatch/capture";
import { CAPTURE_TASK } from "@pledgewatch/core";
import chromium from "@sparticuz/chromium";
import { monitoringWorkerFromEnvironment } from "./monitoring-worker";
import { sqsTaskHandler } from "./sqs-tasks";

// Chromium (brotli-compressed, from @sparticuz/chromium) is copied into the bundle at chromium/ by
// infra/lib/capture-stack.ts and unpacked to /tmp on the first capture of an execution environment; the
// browser then stays warm across invocations and is recycled by the pool on memory growth.
const chromiumDir = join(process.env.LAMBDA_TASK_ROOT ?? process.cwd(), "chromium");
const renderer = createBrowserRenderer({
  // On AWS nothing is allowlisted: every address a page or a redirect leads to must be public.
  allowlist: new Set(),
  pool: createBrowserPool({
    executablePath: () => chromium.executablePath(chromiumDir),
    maxRssBytes: 1200 * 1024 * 1024,
  }),
});
// The monitoring service alone: what a hostile page could reach through this function is the monitoring
// table, evidence/ in the documents bucket and the two queues (functions/monitoring-worker.ts).
const { worker, logger } = monitoringWorkerFromEnvironment("pledgewatch-capture", CAPTURE_TASK, { renderer });

/** SQS (capture queue) → capture jobs, one per message; a failed one is reported alone. */
export const handler = sqsTaskHandler({ logger, failure: "capture failed", run: worker.handleTask });
