import { randomUUID } from "node:crypto";
import {
  createCognitoIdentityProvider,
  createDynamoAttemptCounter,
  createDynamoHealthProbe,
  createDynamoPartyRepository,
  createDynamoSessionStore,
  createDynamoStaffRepository,
  createIdTokenVerifier,
  type DynamoClients,
  principalFromClaims,
} from "@pledgewatch/aws";
import {
  type Clock,
  createPartyService,
  createPasswordIdentityProvider,
  createSessions,
  createSignIn,
  createStaffService,
  type IdentityProvider,
  type Principal,
  systemClock,
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
    verifyBearer,
    logger,
    secureCookies: settings.secureCookies,
    stage: settings.stage,
    readDocsAsset: createDocsAssetReader(settings.bundleDir),
  };

  return { app: createApp(deps), deps, repositories: { staff: staffRepository, parties: partyRepository } };
}

export type Platform = ReturnType<typeof createPlatform>;
