import { randomUUID } from "node:crypto";
import {
  createCognitoIdentityProvider,
  createDynamoAttemptCounter,
  createDynamoCoverageRepository,
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
  COVERAGE_RECONCILE_TASK,
  COVERAGE_REPORT_TASK,
  createCoverageService,
  createFlaggingService,
  createImportService,
  createPartyService,
  createPasswordIdentityProvider,
  createRenewalService,
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
  RENEWAL_DAILY_TASK,
  RENEWAL_INVITE_BATCH_TASK,
  RENEWAL_INVITE_PARTY_TASK,
  RENEWAL_TICK_TASK,
  type SealCredentials,
  systemClock,
  type Task,
  type TaskQueue,
  type TravelClock,
} from "@pledgewatch/core";
import {
  createCoverageReportRenderer,
  createPdfSealer,
  createPledgeRenderer,
  createUploadedPdfInspector,
} from "@pledgewatch/documents";
import { compileRuleSet, seedRuleSet } from "@pledgewatch/rules";
import { writeCoverageXlsx } from "@pledgewatch/sheets";
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
  /**
   * A clock that can be moved (local runs and tests only): offered to admins as the time-travel control.
   * Refused with Cognito sign-in, i.e. in every AWS deployment.
   */
  timeTravel?: TravelClock | undefined;
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
  if (settings.timeTravel && settings.auth.mode === "cognito") {
    throw new Error("Time travel is for local runs and tests only; a deployed platform keeps real time");
  }
  const clock = settings.timeTravel ?? settings.clock ?? systemClock;
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
  const baseParties = createPartyService({ parties: partyRepository, clock, newId: randomUUID });
  // A party registered after the quarter's rollover is invited the same day, in the background.
  const partyService: typeof baseParties = {
    ...baseParties,
    async create(actor, input) {
      const party = await baseParties.create(actor, input);
      // Nothing is sent unless this quarter's rollover has run (see renewal.invitePartyNow).
      await settings.tasks.enqueue({ type: RENEWAL_INVITE_PARTY_TASK, payload: { partyId: party.id } });
      return party;
    },
  };

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
  const coverageRepository = createDynamoCoverageRepository(dynamo.doc, tableName);
  const coverage = createCoverageService({
    coverage: coverageRepository,
    parties: partyRepository,
    signing: signingRepository,
    signingService: signing,
    documents: settings.documents,
    tasks: settings.tasks,
    clock,
    newId: randomUUID,
    renderPdf: createCoverageReportRenderer({ bundleDir: settings.bundleDir }),
    writeXlsx: writeCoverageXlsx,
  });
  const renewal = createRenewalService({
    coverage: coverageRepository,
    coverageService: coverage,
    parties: partyRepository,
    signing: signingRepository,
    signingService: signing,
    staff: staffRepository,
    mailer: settings.mailer,
    tasks: settings.tasks,
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
    coverage,
    renewal,
    timeTravel: settings.timeTravel,
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
      case IMPORT_COMMIT_TASK: {
        const job = await imports.runCommit(String(task.payload.importId));
        // The parties an import registered after the quarter's rollover are invited the same day.
        if (job.status === "committed")
          await renewal.inviteImported(job.agency, [job.province], job.createdAt);
        return;
      }
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
      case RENEWAL_TICK_TASK:
        logger.info("renewal tick", await renewal.tick());
        return;
      case RENEWAL_INVITE_BATCH_TASK: {
        const { invited } = await renewal.inviteBatch(
          task.payload as { agency: string; province: string; quarter: string; cursor?: string },
        );
        logger.info("rollover batch", { ...task.payload, cursor: undefined, invited });
        return;
      }
      case RENEWAL_DAILY_TASK:
        logger.info("renewal day", {
          ...task.payload,
          ...(await renewal.daily(
            task.payload as { agency: string; province: string; date: string; quarter: string },
          )),
        });
        return;
      case RENEWAL_INVITE_PARTY_TASK:
        await renewal.invitePartyNow(String(task.payload.partyId));
        return;
      case COVERAGE_RECONCILE_TASK: {
        const record = await coverage.reconcile();
        const log = record.drift.length > 0 ? logger.warn : logger.info;
        log.call(logger, "coverage reconciled", {
          quarter: record.quarter,
          parties: record.parties,
          driftCells: record.drift.length,
        });
        return;
      }
      case COVERAGE_REPORT_TASK:
        await coverage.runReport(String(task.payload.reportId));
        return;
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
    coverage,
    renewal,
    clock,
    repositories: {
      coverage: coverageRepository,
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
