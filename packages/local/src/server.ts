import { mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import {
  createDynamoClients,
  createDynamoOutbox,
  createDynamoPartyRepository,
  createDynamoStaffRepository,
} from "@pledgewatch/aws";
import { MAIN_TABLE } from "@pledgewatch/aws/tables";
import { createTravelClock, RENEWAL_TICK_TASK } from "@pledgewatch/core";
import { createInProcessTaskQueue, createPlatform } from "@pledgewatch/platform";
import type { Logger } from "@pledgewatch/web";
import { createFolderDocumentStore, localSealCredentials } from "./documents";
import { type DynamoLocal, startDynamoLocal } from "./dynamodb-local";
import { freePort } from "./ports";
import { seedDemoCaptures } from "./seed/demo-captures";
import { seedDemoPledges } from "./seed/demo-pledges";
import { type SeedResult, seedDemoData } from "./seed/seed";
import { ensureTables, localTableName } from "./tables";

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
  stop(): Promise<void>;
}

/** DynamoDB Local + tables + demo data + the HTTP app: what `npm start` and the browser tests run. */
export async function startLocalPlatform(options: LocalPlatformOptions): Promise<LocalPlatform> {
  const dynamo = await startDynamoLocal({
    port: options.dynamoPort ?? (await freePort()),
    dbPath: options.dbPath,
  });
  options.onDynamoStarted?.(dynamo);
  try {
    const clients = createDynamoClients({ region: "ap-southeast-1", endpoint: dynamo.endpoint });
    await ensureTables(clients.client, "pledgewatch");
    const tableName = localTableName("pledgewatch", MAIN_TABLE);
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
    const documents = createFolderDocumentStore(join(filesDir, "documents"));
    const outbox = createDynamoOutbox(clients.doc, tableName, documents);
    let listeningUrl = "";
    const tasks = createInProcessTaskQueue(options.logger);
    // Local runs keep real time unless an admin moves the clock (console or API); never on AWS.
    const clock = createTravelClock();
    const { app, handleTask, signing, flagging, repositories } = createPlatform({
      timeTravel: clock,
      documents,
      mailer: outbox,
      outbox,
      sealCredentials: localSealCredentials(join(filesDir, "seal")),
      publicBaseUrl: () => options.publicBaseUrl ?? listeningUrl,
      dynamo: clients,
      tableName,
      auth: { mode: "local" },
      sessionTtlSeconds: options.sessionTtlSeconds,
      secureCookies: false,
      stage: "local",
      logger: options.logger,
      tasks,
    });
    tasks.setHandler(handleTask);
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
    const tick = () => void tasks.enqueue({ type: RENEWAL_TICK_TASK, payload: {} });
    const timer = options.scheduler === false ? undefined : setInterval(tick, 60_000);
    timer?.unref();
    if (timer) tick();
    return {
      url: listeningUrl,
      dynamoEndpoint: dynamo.endpoint,
      tableName,
      seed,
      demoPledges,
      demoCaptures,
      async stop() {
        if (timer) clearInterval(timer);
        await tasks.idle();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          // Browsers keep connections alive; do not wait for them to time out.
          if ("closeAllConnections" in server) server.closeAllConnections();
        });
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
