import { join } from "node:path";
import { createDynamoOutbox, type DynamoClients, type TableNames } from "@pledgewatch/aws";
import type {
  Clock,
  DeadLetters,
  Mailer,
  SealCredentials,
  Task,
  TaskQueue,
  TravelClock,
} from "@pledgewatch/core";
import {
  createInProcessTaskQueue,
  createPlatform,
  createRepositories,
  type MonitoringSettings,
  type PlatformSettings,
} from "@pledgewatch/platform";
import type { Logger } from "@pledgewatch/web";
import { createFolderDocumentStore, localSealCredentials } from "./documents";

/** A queue the platform's tasks run on in this process: the in-process queue, or a benchmark's own. */
export type LocalTaskQueue = TaskQueue & { setHandler(handler: (task: Task) => Promise<void>): void };

/**
 * What a platform on this machine needs: DynamoDB (Local) tables and a folder. Everything else has the
 * value `npm start`, the tests and the benchmarks share, and is overridden by name.
 */
export interface LocalPlatformSettings<Q extends LocalTaskQueue> {
  clients: DynamoClients;
  /** The tables, as ensureTables made them. */
  tables: TableNames;
  /** The folder of the signed documents and evidence (`documents/`) and the sealing certificate (`seal/`). */
  files: string;
  logger: Logger;
  /** The in-process queue with one attempt by default. */
  tasks?: Q;
  stage?: string;
  publicBaseUrl?: PlatformSettings["publicBaseUrl"];
  sessionTtlSeconds?: number;
  /** The sealing certificate; generated once in `files/seal` by default (tests share one). */
  sealCredentials?: () => Promise<SealCredentials>;
  /** The mail the platform sends: the outbox in the table by default; a wrapper or a replacement here. */
  mailer?: (outbox: Mailer) => Mailer;
  clock?: Clock | undefined;
  timeTravel?: TravelClock | undefined;
  monitoring?: MonitoringSettings | undefined;
  /** Per-client request limits (the app's defaults when absent; the tests raise them). */
  clientLimits?: PlatformSettings["clientLimits"];
}

/**
 * The platform as it runs on one machine — `npm start`, the tests, the benchmarks: local sign-in, the
 * outbox for mail, documents in a folder, background tasks on an in-process queue whose handler is set.
 * The Lambda functions build theirs from the environment (functions/platform.ts); both go through
 * createPlatform, so a new setting is added once.
 */
export function createLocalPlatform<Q extends LocalTaskQueue = ReturnType<typeof createInProcessTaskQueue>>(
  options: LocalPlatformSettings<Q>,
) {
  const { clients, tables, logger } = options;
  const tasks = (options.tasks ?? createInProcessTaskQueue(logger, 1)) as Q;
  const documents = createFolderDocumentStore(join(options.files, "documents"));
  const outbox = createDynamoOutbox(clients.doc, tables.main, documents);
  const platform = createPlatform({
    dynamo: clients,
    tables,
    auth: { mode: "local" },
    sessionTtlSeconds: options.sessionTtlSeconds ?? 3600,
    secureCookies: false,
    stage: options.stage ?? "local",
    logger,
    tasks,
    clock: options.clock,
    timeTravel: options.timeTravel,
    clientLimits: options.clientLimits,
    documents,
    mailer: options.mailer ? options.mailer(outbox) : outbox,
    outbox,
    sealCredentials: options.sealCredentials ?? localSealCredentials(join(options.files, "seal")),
    publicBaseUrl: options.publicBaseUrl ?? "http://localhost",
    // The in-process queue keeps its dead letters for the console page.
    monitoring: {
      ...("deadLetterQueue" in tasks ? { deadLetters: tasks.deadLetterQueue as DeadLetters } : {}),
      ...options.monitoring,
    },
  });
  tasks.setHandler(platform.handleTask);
  return {
    ...platform,
    tasks,
    documents,
    outbox,
    /** The table as tests and benchmarks read it back (the platform itself hands out no repositories). */
    repositories: createRepositories(clients, tables),
  };
}

export type LocalPlatformInstance = ReturnType<typeof createLocalPlatform>;
