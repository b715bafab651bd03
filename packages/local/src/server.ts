import { mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import {
  createDynamoClients,
  createDynamoPartyRepository,
  createDynamoStaffRepository,
} from "@pledgewatch/aws";
import { createBrowserRenderer, demoSocialExtractor } from "@pledgewatch/capture";
import {
  createTravelClock,
  type MonitoringLimits,
  RENEWAL_TICK_TASK,
  RETENTION_SWEEP_TASK,
  vietnamDate,
} from "@pledgewatch/core";
import { type DemoMarket, startDemoMarket } from "@pledgewatch/demo-market";
import { createInProcessTaskQueue, DISPATCH_TASK } from "@pledgewatch/platform";
import type { ClientLimits, Logger } from "@pledgewatch/web";
import { type DynamoLocal, isLoopbackHost, startDynamoLocal } from "./dynamodb-local";
import { createLocalPlatform } from "./platform";
import { freePort } from "./ports";
import { seedDemoCaptures } from "./seed/demo-captures";
import { seedDemoPledges } from "./seed/demo-pledges";
import { seedDemoTargets } from "./seed/demo-targets";
import { type SeedResult, seedDemoData } from "./seed/seed";
import { ensureTables } from "./tables";

export interface LocalPlatformOptions {
  port: number;
  host: string;
  dbPath?: string | undefined;
  dynamoPort?: number | undefined;
  sessionTtlSeconds: number;
  logger: Logger;
  seed?: boolean;
  /** Public URL in e-mails and QR codes; defaults to the address the server listens on. */
  publicBaseUrl?: string | undefined;
  /** Runs the renewal scheduler's tick every minute (default true), as EventBridge Scheduler does on AWS. */
  scheduler?: boolean;
  /** Called as soon as the Java process exists, before it answers (for the lock file). */
  onDynamoStarted?: (dynamo: DynamoLocal) => void;
  /**
   * Monitoring capture (issue 6): the demo marketplace on its own port, a browser, the dispatch timer and
   * seeded targets. Off unless asked for (npm start asks), so other browser tests run without it.
   */
  monitoring?: LocalMonitoringOptions | undefined;
  /** Per-client request limits; the app's defaults when absent (the load benchmark sets its own). */
  clientLimits?: ClientLimits | undefined;
}

export interface LocalMonitoringOptions {
  /** Port of the demo marketplace; 0 picks a free one. */
  demoMarketPort: number;
  /** Seconds between two dispatcher ticks. */
  dispatchSeconds: number;
  /** Seed the demo targets (once). @default true */
  seedTargets?: boolean;
  limits?: Partial<MonitoringLimits>;
}

export interface LocalPlatform {
  url: string;
  dynamoEndpoint: string;
  tableName: string;
  seed: SeedResult | undefined;
  /** Demo pledges signed by this start (none when they exist already). */
  demoPledges: number;
  /** Demo captures evaluated by this start (none when they exist already). */
  demoCaptures: number;
  /** The demo marketplace, when monitoring runs. */
  demoMarket?: DemoMarket | undefined;
  demoTargets: number;
  /** Runs one background task now (the tests' stand-in for a scheduler tick), then waits for the queue. */
  runTask(type: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * How often `npm start`'s stand-in for the hourly EventBridge schedule ticks: every minute, so time travel
 * shows its results at once (README "The cycle runs by itself" says so).
 */
export const LOCAL_SCHEDULER_TICK_MS = 60_000;

/** DynamoDB Local + tables + demo data + the HTTP app: what `npm start` and the browser tests run. */
export async function startLocalPlatform(options: LocalPlatformOptions): Promise<LocalPlatform> {
  const dynamo = await startDynamoLocal({
    port: options.dynamoPort ?? (await freePort()),
    // On the app's own loopback address; an app open to the network keeps its database on 127.0.0.1.
    ...(options.host && isLoopbackHost(options.host) ? { host: options.host } : {}),
    dbPath: options.dbPath,
  });
  options.onDynamoStarted?.(dynamo);
  try {
    const clients = createDynamoClients({ region: "ap-southeast-1", endpoint: dynamo.endpoint });
    const tables = await ensureTables(clients.client, "pledgewatch");
    const tableName = tables.main;
    const seed =
      options.seed === false
        ? undefined
        : await seedDemoData({
            doc: clients.doc,
            tableName,
            staff: createDynamoStaffRepository(clients.doc, tableName),
            parties: createDynamoPartyRepository(clients.doc, tableName),
          });
    // Documents and the sealing certificate live next to the database; an in-memory run uses a
    // throwaway folder, removed on stop.
    const scratch = options.dbPath ? undefined : await mkdtemp(join(tmpdir(), "pledgewatch-"));
    const filesDir = options.dbPath ?? scratch ?? ".data";
    let listeningUrl = "";
    const tasks = createInProcessTaskQueue(options.logger);
    const market = options.monitoring
      ? await startDemoMarket({ port: options.monitoring.demoMarketPort })
      : undefined;
    // Only the demo marketplace may be reached at a local address; everything else must be public.
    const captureAllowlist = new Set(market ? [market.origin] : []);
    const renderer = market
      ? createBrowserRenderer({
          allowlist: captureAllowlist,
          siteExtractors: { [market.origin]: demoSocialExtractor },
        })
      : undefined;
    // Local runs keep real time unless an admin moves the clock (console or API); never on AWS.
    const clock = createTravelClock();
    const { app, handleTask, signing, flagging, monitoring, outbox, repositories } = createLocalPlatform({
      clients,
      tables,
      files: filesDir,
      logger: options.logger,
      tasks,
      stage: "local",
      publicBaseUrl: () => options.publicBaseUrl ?? listeningUrl,
      sessionTtlSeconds: options.sessionTtlSeconds,
      clientLimits: options.clientLimits,
      timeTravel: clock,
      monitoring: {
        renderer,
        captureAllowlist,
        workerId: `local-${process.pid}`,
        limits: { hostMinIntervalMs: 200, ...options.monitoring?.limits },
      },
    });
    const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
      const s = serve(
        {
          // The socket address is handed to the app for sign-in throttling (see routes/auth.tsx).
          fetch: (request, env: { incoming?: { socket?: { remoteAddress?: string } } }) =>
            app.fetch(request, { ...env, remoteAddress: env.incoming?.socket?.remoteAddress }),
          port: options.port,
          hostname: options.host,
        },
        () => resolve(s),
      );
      s.once("error", reject);
    });
    const address = server.address() as AddressInfo;
    const host = options.host === "0.0.0.0" ? "localhost" : options.host;
    listeningUrl = `http://${host}:${address.port}`;
    // Signed after the server listens: the documents' QR codes and e-mailed links carry its address.
    const demoPledges = options.seed === false ? 0 : await seedDemoPledges(signing, outbox);
    const demoCaptures =
      options.seed === false ? 0 : await seedDemoCaptures(flagging, repositories.evaluations);
    // The scheduler: one tick now and every minute; a tick that finds nothing to do costs a few reads.
    // The retention sweep runs at start and then once a day (of the platform's clock, which may travel).
    let sweptDay = "";
    const tick = () => {
      void tasks.enqueue({ type: RENEWAL_TICK_TASK, payload: {} });
      const today = vietnamDate(clock.now());
      if (today !== sweptDay) {
        sweptDay = today;
        void tasks.enqueue({ type: RETENTION_SWEEP_TASK, payload: {} });
      }
    };
    const timer = options.scheduler === false ? undefined : setInterval(tick, LOCAL_SCHEDULER_TICK_MS);
    timer?.unref();
    if (timer) tick();
    let demoTargets = 0;
    let dispatchTimer: NodeJS.Timeout | undefined;
    if (market && options.monitoring) {
      if (options.monitoring.seedTargets !== false)
        demoTargets = await seedDemoTargets(monitoring, market.url);
      // The local stand-in for the EventBridge schedule: a tick now, then every few seconds.
      const tick = () =>
        void handleTask({ type: DISPATCH_TASK, payload: {} }).catch((error: unknown) => {
          options.logger.error("capture dispatch failed", {
            error: error instanceof Error ? error.message : String(error),
          });
        });
      tick();
      dispatchTimer = setInterval(tick, options.monitoring.dispatchSeconds * 1000);
      dispatchTimer.unref();
    }
    return {
      demoMarket: market,
      demoTargets,
      url: listeningUrl,
      dynamoEndpoint: dynamo.endpoint,
      tableName,
      seed,
      demoPledges,
      demoCaptures,
      async runTask(type: string) {
        await handleTask({ type, payload: {} });
        await tasks.idle();
      },
      async stop() {
        if (timer) clearInterval(timer);
        clearInterval(dispatchTimer);
        // Each step runs even if one before it failed: DynamoDB Local (a Java process) must always go.
        const step = async (what: string, run: () => Promise<unknown>) => {
          try {
            await run();
          } catch (error) {
            options.logger.error(`stop: ${what} failed`, {
              error: error instanceof Error ? error.message : String(error),
            });
          }
        };
        // The browser first: pages being captured fail at once (their jobs are retried on the next start)
        // rather than hold Ctrl-C up; then the rest of the background tasks finish.
        await step("browser", async () => renderer?.close());
        await step("background tasks", () => tasks.idle());
        await step("demo marketplace", async () => market?.stop());
        await step(
          "HTTP server",
          () =>
            new Promise<void>((resolve) => {
              server.close(() => resolve());
              // Browsers keep connections alive; do not wait for them to time out.
              if ("closeAllConnections" in server) server.closeAllConnections();
            }),
        );
        clients.client.destroy();
        await dynamo.stop();
        if (scratch) await rm(scratch, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await dynamo.stop();
    throw error;
  }
}
