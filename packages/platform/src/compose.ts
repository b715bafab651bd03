import { randomUUID } from "node:crypto";
import {
  createCognitoIdentityProvider,
  createDynamoAttemptCounter,
  createDynamoHealthProbe,
  createDynamoImportRepository,
  createDynamoPartyRepository,
  createDynamoSessionStore,
  createDynamoStaffRepository,
  createIdTokenVerifier,
  type DynamoClients,
  principalFromClaims,
} from "@pledgewatch/aws";
import {
  type Clock,
  createImportService,
  createPartyService,
  createPasswordIdentityProvider,
  createSessions,
  createSignIn,
  createStaffService,
  type IdentityProvider,
  IMPORT_COMMIT_TASK,
  type Principal,
  systemClock,
  type Task,
  type TaskQueue,
} from "@pledgewatch/core";
import { createApp, createDocsAssetReader, type Logger, type WebDeps } from "@pledgewatch/web";

export type AuthSettings =
  | { mode: "local" }
  | { mode: "cognito"; region: string; userPoolId: string; clientId: string };

export interface PlatformSettings {
  dynamo: DynamoClients;
  tableName: string;
  auth: AuthSettings;
  sessionTtlSeconds: number;
  secureCookies: boolean;
  stage: string;
  logger: Logger;
  /** Where background work goes: SQS on AWS, an in-process queue locally. */
  tasks: TaskQueue;
  clock?: Clock;
  /** Where the Lambda bundle keeps copied assets. */
  bundleDir?: string | undefined;
}

/** The composition root: the one place where adapters are plugged into use cases and the HTTP app. */
export function createPlatform(settings: PlatformSettings) {
  const { dynamo, tableName, logger } = settings;
  const clock = settings.clock ?? systemClock;
  const staffRepository = createDynamoStaffRepository(dynamo.doc, tableName);
  const partyRepository = createDynamoPartyRepository(dynamo.doc, tableName);
  const importRepository = createDynamoImportRepository(dynamo.doc, tableName);
  const imports = createImportService({
    parties: partyRepository,
    imports: importRepository,
    tasks: settings.tasks,
    clock,
    newId: randomUUID,
  });

  let identities: IdentityProvider;
  let verifyBearer: ((token: string) => Promise<Principal | null>) | undefined;
  if (settings.auth.mode === "cognito") {
    const verifier = createIdTokenVerifier(settings.auth);
    identities = createCognitoIdentityProvider(settings.auth, verifier);
    verifyBearer = async (token) => principalFromClaims(await verifier.verify(token));
  } else {
    identities = createPasswordIdentityProvider(staffRepository);
  }

  const sessions = createSessions({
    store: createDynamoSessionStore(dynamo.doc, tableName),
    identities,
    clock,
    ttlSeconds: settings.sessionTtlSeconds,
  });
  const attempts = createDynamoAttemptCounter(dynamo.doc, tableName);

  const deps: WebDeps = {
    health: createDynamoHealthProbe(dynamo.client, tableName),
    sessions,
    signIn: createSignIn({ identities, sessions, attempts, clock }),
    staff: createStaffService({
      staff: staffRepository,
      clock,
      newId: randomUUID,
      credentials: settings.auth.mode === "cognito" ? "external" : "local",
    }),
    parties: createPartyService({ parties: partyRepository, clock, newId: randomUUID }),
    imports,
    verifyBearer,
    logger,
    secureCookies: settings.secureCookies,
    stage: settings.stage,
    readDocsAsset: createDocsAssetReader(settings.bundleDir),
  };

  /** Runs one background task: what the jobs worker Lambda and the local queue call. */
  async function handleTask(task: Task): Promise<void> {
    switch (task.type) {
      case IMPORT_COMMIT_TASK:
        await imports.runCommit(String(task.payload.importId));
        return;
      default:
        throw new Error(`unknown task type ${task.type}`);
    }
  }

  return {
    app: createApp(deps),
    deps,
    handleTask,
    repositories: { staff: staffRepository, parties: partyRepository, imports: importRepository },
  };
}

export type Platform = ReturnType<typeof createPlatform>;
