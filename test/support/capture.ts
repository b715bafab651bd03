import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDynamoClients } from "@pledgewatch/aws";
import { createBrowserRenderer, demoSocialExtractor, type RenderLimits } from "@pledgewatch/capture";
import type { Capture, MonitoringLimits, Principal } from "@pledgewatch/core";
import { startDemoMarket } from "@pledgewatch/demo-market";
import {
  createLocalPlatform,
  DEMO_STAFF,
  ensureTables,
  freePort,
  startDynamoLocal,
} from "@pledgewatch/local";
import { createInProcessTaskQueue, DISPATCH_TASK } from "@pledgewatch/platform";

// Not imported from ./platform: that module needs vitest, and the child worker process runs without it.
const silentLogger = { info() {}, warn() {}, error() {} };

export function demoActor(
  agency: "CT" | "VHTT" | "YT" = "CT",
  role: "reviewer" | "admin" = "reviewer",
): Principal {
  const s = DEMO_STAFF.find((x) => x.role === role && (role === "admin" || x.agency === agency));
  if (!s) throw new Error("no demo staff");
  return {
    staffId: `test-${s.role}`,
    email: s.email,
    name: s.name,
    agency: s.agency,
    province: s.province,
    role: s.role,
  };
}

/** The real database (DynamoDB Local, in memory) and the demo marketplace, for capture tests. */
export async function startCaptureBackend() {
  const dynamo = await startDynamoLocal({ port: await freePort() });
  const clients = createDynamoClients({ region: "ap-southeast-1", endpoint: dynamo.endpoint });
  const tables = await ensureTables(clients.client, "cap");
  const tableName = tables.main;
  const market = await startDemoMarket();
  const files = await mkdtemp(join(tmpdir(), "pledgewatch-capture-"));
  return {
    dynamo,
    clients,
    tables,
    tableName,
    market,
    files,
    async stop() {
      await market.stop();
      clients.client.destroy();
      await dynamo.stop();
      await rm(files, { recursive: true, force: true });
    },
  };
}

export type CaptureBackend = Awaited<ReturnType<typeof startCaptureBackend>>;

/**
 * A capture worker on the backend: the platform with a real browser (Chromium from @sparticuz/chromium)
 * whose allowlist holds only the demo marketplace, an in-process queue, and a dispatch function.
 */
export function createCaptureWorker(
  backend: Pick<CaptureBackend, "clients" | "tables" | "files"> & {
    market: Pick<CaptureBackend["market"], "origin" | "url">;
  },
  options: {
    workerId: string;
    limits?: Partial<MonitoringLimits>;
    render?: Partial<RenderLimits>;
    queueAttempts?: number;
  },
) {
  const renderer = createBrowserRenderer({
    allowlist: new Set([backend.market.origin]),
    siteExtractors: { [backend.market.origin]: demoSocialExtractor },
    limits: { requestTimeoutMs: 4_000, pageTimeoutMs: 12_000, settleMs: 1_000, ...options.render },
  });
  const platform = createLocalPlatform({
    clients: backend.clients,
    tables: backend.tables,
    files: backend.files,
    logger: silentLogger,
    stage: "test",
    tasks: createInProcessTaskQueue(silentLogger, options.queueAttempts ?? 1, 50),
    mailer: () => ({ send: async () => {} }),
    monitoring: {
      renderer,
      workerId: options.workerId,
      limits: {
        maxAttempts: 1,
        retryBaseMs: 100,
        hostMinIntervalMs: 0,
        hostConcurrency: 4,
        ...options.limits,
      },
    },
  });
  const { tasks, documents } = platform;
  return {
    ...platform,
    tasks,
    renderer,
    documents,
    dispatch: () => platform.handleTask({ type: DISPATCH_TASK, payload: {} }),
    async close() {
      await tasks.idle();
      await renderer.close();
    },
  };
}

/**
 * Captures a URL on demand through the worker's service and waits for its job to end; throws, naming the
 * job's state and error, when no capture was stored.
 */
export async function captureNow(
  worker: ReturnType<typeof createCaptureWorker>,
  actor: Principal,
  url: string,
): Promise<Capture> {
  const job = await worker.monitoring.requestCapture(actor, url);
  await worker.tasks.idle();
  const done = await worker.monitoring.getJob(actor, job.id);
  if (!done.captureId) throw new Error(`job ${done.state}: ${done.lastError}`);
  return (await worker.monitoring.getCapture(actor, done.captureId)).capture;
}
