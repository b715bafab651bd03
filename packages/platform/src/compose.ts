import { randomUUID } from "node:crypto";
import {
  createCognitoIdentityProvider,
  createDynamoAttemptCounter,
  createDynamoEvaluationRepository,
  createDynamoHealthProbe,
  createDynamoImportRepository,
  createDynamoPartyRepository,
  createDynamoRuleRepository,
  createDynamoSessionStore,
  createDynamoSigningRepository,
  createDynamoStaffRepository,
  createIdTokenVerifier,
  type DynamoClients,
  principalFromClaims,
} from "@pledgewatch/aws";
import {
  type Clock,
  createFlaggingService,
  createImportService,
  createPartyService,
  createPasswordIdentityProvider,
  createSessions,
  createSignIn,
  createSigningService,
  createStaffService,
  type DocumentStore,
  EMAIL_SIGNED_COPY_TASK,
  FLAG_ITEM_TASK,
  type IdentityProvider,
  IMPORT_COMMIT_TASK,
  INVITE_MANY_TASK,
  type Mailer,
  type OutboxReader,
  type Principal,
  PrincipalSchema,
  type SealCredentials,
  systemClock,
  type Task,
  type TaskQueue,
} from "@pledgewatch/core";
import { createPdfSealer, createPledgeRenderer, createUploadedPdfInspector } from "@pledgewatch/documents";
import { compileRuleSet, seedRuleSet } from "@pledgewatch/rules";
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
  /** Signed documents (S3 on AWS, a folder locally). */
  documents: DocumentStore;
  /** SES on AWS; the DynamoDB outbox locally. */
  mailer: Mailer;
  /** The outbox page's source: local runs only. */
  outbox?: OutboxReader | undefined;
  /** The issuing authority's sealing certificate (Secrets Manager on AWS, generated locally). */
  sealCredentials: () => Promise<SealCredentials>;
  /** Absolute URL of the public site, for links in e-mails and the QR code. */
  publicBaseUrl: string | (() => string);
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
  const partyService = createPartyService({ parties: partyRepository, clock, newId: randomUUID });

  // The sealing credentials are read once, on first use (a Secrets Manager call on AWS).
  let sealer: ReturnType<typeof createPdfSealer> | undefined;
  let inspector: ReturnType<typeof createUploadedPdfInspector> | undefined;
  const credentials = async () => {
    const creds = await settings.sealCredentials();
    sealer ??= createPdfSealer(creds);
    inspector ??= createUploadedPdfInspector(creds);
    return { sealer, inspector };
  };
  const signingRepository = createDynamoSigningRepository(dynamo.doc, tableName);
  const signing = createSigningService({
    parties: partyRepository,
    signing: signingRepository,
    mailer: settings.mailer,
    documents: settings.documents,
    render: createPledgeRenderer({ bundleDir: settings.bundleDir }),
    seal: async (pdf, info) => (await credentials()).sealer(pdf, info),
    inspect: async (pdf) => (await credentials()).inspector(pdf),
    attempts,
    tasks: settings.tasks,
    clock,
    newId: randomUUID,
    publicBaseUrl: settings.publicBaseUrl,
  });

  const ruleRepository = createDynamoRuleRepository(dynamo.doc, tableName);
  const evaluationRepository = createDynamoEvaluationRepository(dynamo.doc, tableName);
  const flagging = createFlaggingService({
    rules: ruleRepository,
    evaluations: evaluationRepository,
    compile: (ruleSet) => compileRuleSet(ruleSet),
    seed: seedRuleSet,
    clock,
  });

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
    parties: partyService,
    imports,
    signing,
    flagging,
    outbox: settings.outbox,
    documents: settings.documents,
    attempts,
    clock,
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
      case FLAG_ITEM_TASK:
        await flagging.evaluateItem(task.payload.item, {
          source: typeof task.payload.source === "string" ? task.payload.source : "capture",
        });
        return;
      case EMAIL_SIGNED_COPY_TASK:
        await signing.emailSignedCopy(String(task.payload.documentCode));
        return;
      case INVITE_MANY_TASK: {
        const actor = PrincipalSchema.parse(task.payload.actor);
        const filter = (task.payload.filter ?? {}) as { group?: string; province?: string };
        const result = await signing.runInviteMany(actor, filter, (cursor) =>
          partyService.list(actor, {
            province: filter.province,
            group: filter.group as never,
            status: "active",
            limit: 200,
            cursor,
          }),
        );
        logger.info("invitations sent", { ...result });
        return;
      }
      default:
        throw new Error(`unknown task type ${task.type}`);
    }
  }

  return {
    app: createApp(deps),
    deps,
    handleTask,
    signing,
    flagging,
    /**
     * What the capture pipeline (issue 6) calls for each captured listing, post or ad: validates the item
     * (FlagItemSchema), evaluates it with the current rules (re-read by version, so console edits apply at
     * once) and records it with its decision for the rules preview and the review queues. Rejects with
     * InvalidError (field issues) for a malformed item; a re-evaluation of the same item id replaces it.
     */
    evaluateCapturedItem: (item: unknown) => flagging.evaluateItem(item, { source: "capture" }),
    repositories: {
      staff: staffRepository,
      parties: partyRepository,
      imports: importRepository,
      signing: signingRepository,
      rules: ruleRepository,
      evaluations: evaluationRepository,
    },
  };
}

export type Platform = ReturnType<typeof createPlatform>;
