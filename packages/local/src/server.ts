import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import {
  createDynamoClients,
  createDynamoPartyRepository,
  createDynamoStaffRepository,
} from "@pledgewatch/aws";
import { MAIN_TABLE } from "@pledgewatch/aws/tables";
import { createInProcessTaskQueue, createPlatform } from "@pledgewatch/platform";
import type { Logger } from "@pledgewatch/web";
import { type DynamoLocal, startDynamoLocal } from "./dynamodb-local";
import { freePort } from "./ports";
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
  /** Called as soon as the Java process exists, before it answers (for the lock file). */
  onDynamoStarted?: (dynamo: DynamoLocal) => void;
}

export interface LocalPlatform {
  url: string;
  dynamoEndpoint: string;
  tableName: string;
  seed: SeedResult | undefined;
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
    const tasks = createInProcessTaskQueue(options.logger);
    const { app, handleTask } = createPlatform({
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
    return {
      url: `http://${host}:${address.port}`,
      dynamoEndpoint: dynamo.endpoint,
      tableName,
      seed,
      async stop() {
        await tasks.idle();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          // Browsers keep connections alive; do not wait for them to time out.
          if ("closeAllConnections" in server) server.closeAllConnections();
        });
        clients.client.destroy();
        await dynamo.stop();
      },
    };
  } catch (error) {
    await dynamo.stop();
    throw error;
  }
}
