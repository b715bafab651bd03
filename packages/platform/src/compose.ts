import { randomUUID } from "node:crypto";
import { lookup } from "node:dns/promises";
import {
  createCognitoIdentityProvider,
  createDynamoAttemptCounter,
  createDynamoCaseLogIndex,
  createDynamoCaseRepository,
  createDynamoCoverageRepository,
  createDynamoEvaluationRepository,
  createDynamoHealthProbe,
  createDynamoHostGate,
  createDynamoImportRepository,
  createDynamoMonitoringRepository,
  createDynamoPartyRepository,
  createDynamoReviewReportRepository,
  createDynamoRuleRepository,
  createDynamoSessionStore,
  createDynamoSigningRepository,
  createDynamoStaffRepository,
  createDynamoTipRepository,
  createIdTokenVerifier,
  type DynamoClients,
  principalFromClaims,
} from "@pledgewatch/aws";
import {
  CAPTURE_TASK,
  type CaptureAllowlist,
  type CaptureRefusal,
  type CaseSource,
  type Clock,
  COVERAGE_RECONCILE_TASK,
  COVERAGE_REPORT_TASK,
  checkUrlSafety,
  createCaseIntake,
  createCoverageService,
  createFlaggingService,
  createImportService,
  createMonitoringService,
  createPartyService,
  createPasswordIdentityProvider,
  createRenewalService,
  createReviewMetricsService,
  createReviewReportService,
  createReviewService,
  createSessions,
  createSignIn,
  createSigningService,
  createStaffService,
  createTakedownService,
  createTipService,
  DEFAULT_MONITORING_LIMITS,
  type DeadLetters,
  type DocumentStore,
  EMAIL_SIGNED_COPY_TASK,
  EVALUATE_TASK,
  FLAG_ITEM_TASK,
  type IdentityProvider,
  IMPORT_COMMIT_TASK,
  INVITE_MANY_TASK,
  type ItemEvaluator,
  type Mailer,
  type MonitoringLimits,
  type OutboxReader,
  type PageRenderer,
  type Principal,
  PrincipalSchema,
  RENEWAL_DAILY_TASK,
  RENEWAL_INVITE_BATCH_TASK,
  RENEWAL_INVITE_PARTY_TASK,
  RENEWAL_TICK_TASK,
  REVIEW_REPORT_TASK,
  REVIEW_TICK_TASK,
  type SealCredentials,
  SignerGroupSchema,
  systemClock,
  type Task,
  type TaskQueue,
  TIP_CAPTURED_TASK,
  type TravelClock,
} from "@pledgewatch/core";
import {
  createCaptureCertificateRenderer,
  createCoverageReportRenderer,
  createPdfSealer,
  createPledgeRenderer,
  createReviewReportRenderers,
  createUploadedPdfInspector,
} from "@pledgewatch/documents";
import { compileRuleSet, seedRuleSet } from "@pledgewatch/rules";
import { writeCoverageXlsx, writePeriodicReviewXlsx, writeQuickCaseXlsx } from "@pledgewatch/sheets";
import { createApp, createDocsAssetReader, type Logger, type WebDeps } from "@pledgewatch/web";
import { z } from "zod";
import { createFlaggingEvaluator } from "./capture-evaluator";
import { createCasePartyLookup, createRecapture, createTakedownContactLookup } from "./review-lookups";
import { createTaskDispatcher, defineTask } from "./tasks";

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
  /** Monitoring capture (issue 6); every field optional. */
  monitoring?: MonitoringSettings | undefined;
}

export const DISPATCH_TASK = "monitoring.dispatch";

export interface MonitoringSettings {
  /** The browser of the capture worker. Absent where no browser runs (the API function on AWS). */
  renderer?: PageRenderer | undefined;
  /** Where capture tasks go: the capture queue on AWS (its worker has Chromium); `tasks` otherwise. */
  captureTasks?: TaskQueue | undefined;
  /** The dead-letter queues, for the console page (SQS on AWS, the in-process list locally). */
  deadLetters?: DeadLetters | undefined;
  limits?: Partial<MonitoringLimits> | undefined;
  /** Holder name of the leases this process takes. */
  workerId?: string | undefined;
  /**
   * The flagging rules behind the ItemEvaluator port. Until issue 7 is plugged in, items are marked
   * "awaiting evaluation".
   */
  evaluator?: ItemEvaluator | undefined;
  /**
   * The `host:port` origins the crawler may reach although they are not public (the local demo
   * market); the same set the renderer is given. Empty on AWS.
   */
  captureAllowlist?: CaptureAllowlist | undefined;
  /** Name resolution for the tips' pre-flight URL check; the system resolver by default (tests pin it). */
  resolveHost?: ((hostname: string) => Promise<string[]>) | undefined;
}

const systemResolveHost = async (hostname: string): Promise<string[]> =>
  (await lookup(hostname, { all: true, verbatim: true })).map((a) => a.address);

/**
 * The crawler's URL-safety verdict for a URL, before anything is written: where its host resolves and
 * whether the crawler may go there. The crawler checks every hop again when it captures.
 */
export function createUrlCheck(
  allowlist: CaptureAllowlist,
  resolveHost: (hostname: string) => Promise<string[]> = systemResolveHost,
): (url: string) => Promise<CaptureRefusal | null> {
  return async (raw) => {
    const verdict = await checkUrlSafety(new URL(raw), resolveHost, allowlist);
    return verdict.ok ? null : verdict.code;
  };
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
  // ---- Review (issue 8): every flagged evaluation with a context opens or joins its item's case ---------
  const caseRepository = createDynamoCaseRepository(dynamo.doc, tableName);
  const intake = createCaseIntake({
    cases: caseRepository,
    parties: createCasePartyLookup(partyRepository, clock),
    clock,
  });
  const flagging = createFlaggingService({
    rules: ruleRepository,
    evaluations: evaluationRepository,
    compile: (ruleSet) => compileRuleSet(ruleSet),
    seed: seedRuleSet,
    clock,
    onEvaluated: ({ item, decision, context }) => {
      // Submitted by staff, captured by the pipeline, or demo data (neither).
      const source: CaseSource = context.by
        ? { kind: "evaluation", by: context.by }
        : context.captureId
          ? { kind: "capture", captureId: context.captureId }
          : { kind: "seed" };
      return intake({
        item,
        evaluation: decision,
        source,
        province: context.province,
        captureId: context.captureId,
        pageNo: context.pageNo,
        partyId: context.partyId,
      });
    },
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
  // ---- Monitoring: targets, capture jobs, evidence, items ---------------------------------------------
  const monitoringSettings = settings.monitoring ?? {};
  const monitoringLimits = { ...DEFAULT_MONITORING_LIMITS, ...monitoringSettings.limits };
  const monitoringRepository = createDynamoMonitoringRepository(dynamo.doc, tableName);
  const captureTasks = monitoringSettings.captureTasks ?? settings.tasks;
  const monitoring = createMonitoringService({
    repository: monitoringRepository,
    hostGate: createDynamoHostGate(dynamo.doc, tableName, {
      concurrency: monitoringLimits.hostConcurrency,
      minIntervalMs: monitoringLimits.hostMinIntervalMs,
    }),
    renderer: monitoringSettings.renderer,
    // Evidence shares the documents store (write-once; S3 Object Lock on AWS), under evidence/.
    evidence: settings.documents,
    tasks: {
      enqueue: (task) => (task.type === CAPTURE_TASK ? captureTasks : settings.tasks).enqueue(task),
    },
    evaluator: monitoringSettings.evaluator ?? createFlaggingEvaluator(flagging, monitoringRepository, clock),
    certificate: createCaptureCertificateRenderer({ bundleDir: settings.bundleDir }),
    clock,
    newId: randomUUID,
    workerId: monitoringSettings.workerId ?? `worker-${randomUUID()}`,
    limits: monitoringLimits,
  });
  const deadLetters = monitoringSettings.deadLetters
    ? {
        list: (limit: number) => (monitoringSettings.deadLetters as DeadLetters).list(limit),
        /** A failed capture job is reopened first, or its re-driven message would fail again at once. */
        async redrive(id: string) {
          const source = monitoringSettings.deadLetters as DeadLetters;
          const letter = (await source.list(100)).find((d) => d.id === id);
          if (letter?.type === CAPTURE_TASK && typeof letter.payload.jobId === "string") {
            await monitoring.reopenJob(letter.payload.jobId);
          }
          await source.redrive(id);
        },
      }
    : undefined;

  const caseEvidence = {
    capture: (id: string) => monitoring.evidence(id),
    artefact: (id: string, key: string) => monitoring.evidenceArtefact(id, key),
  };
  const takedowns = createTakedownService({
    cases: caseRepository,
    pledges: signing,
    contacts: createTakedownContactLookup(partyRepository, signingRepository),
    recapture: createRecapture(monitoring),
    mailer: settings.mailer,
    clock,
    newId: randomUUID,
    publicBaseUrl: settings.publicBaseUrl,
  });
  const review = createReviewService({
    cases: caseRepository,
    staff: staffRepository,
    takedowns,
    evidence: caseEvidence,
    clock,
  });

  // ---- Public tips and review metrics (issue 8) ----------------------------------------------------
  const tipRepository = createDynamoTipRepository(dynamo.doc, tableName);
  const tips = createTipService({
    tips: tipRepository,
    attempts,
    capture: monitoring,
    captures: monitoringRepository,
    evidence: settings.documents,
    flagging,
    intake,
    cases: caseRepository,
    clock,
    newId: randomUUID,
    checkUrl: createUrlCheck(
      monitoringSettings.captureAllowlist ?? new Set(),
      monitoringSettings.resolveHost ?? systemResolveHost,
    ),
  });
  const caseLog = createDynamoCaseLogIndex(dynamo.doc, tableName);
  const reviewMetrics = createReviewMetricsService({ log: caseLog, clock });
  const reviewRenderers = createReviewReportRenderers({ bundleDir: settings.bundleDir });
  const reviewReports = createReviewReportService({
    reports: createDynamoReviewReportRepository(dynamo.doc, tableName),
    marks: coverageRepository,
    log: caseLog,
    cases: caseRepository,
    evidence: caseEvidence,
    documents: settings.documents,
    tasks: settings.tasks,
    clock,
    newId: randomUUID,
    render: {
      periodicPdf: reviewRenderers.periodic,
      periodicXlsx: writePeriodicReviewXlsx,
      quickPdf: reviewRenderers.quick,
      quickXlsx: writeQuickCaseXlsx,
    },
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
    monitoring,
    deadLetters,
    review,
    takedowns,
    tips,
    reviewMetrics,
    reviewReports,
  };

  /** Runs one background task: what the jobs worker Lambda and the local queue call. */
  // ---- Background tasks: each declared with the schema of its payload ------------------------------
  const tasks = createTaskDispatcher([
    defineTask({
      type: IMPORT_COMMIT_TASK,
      schema: z.object({ importId: z.string().min(1) }),
      async run({ importId }) {
        const job = await imports.runCommit(importId);
        // The parties an import registered after the quarter's rollover are invited the same day.
        if (job.status === "committed")
          await renewal.inviteImported(job.agency, [job.province], job.createdAt);
      },
    }),
    defineTask({
      type: FLAG_ITEM_TASK,
      schema: z.object({ item: z.unknown(), source: z.string().optional() }),
      async run({ item, source }) {
        // The item is checked by evaluateItem itself (FlagItemSchema), which names a bad field.
        await flagging.evaluateItem(item, { source: source ?? "capture" });
      },
    }),
    defineTask({
      type: EMAIL_SIGNED_COPY_TASK,
      schema: z.object({ documentCode: z.string().min(1) }),
      run: async (p) => signing.emailSignedCopy(p.documentCode),
    }),
    defineTask({
      type: INVITE_MANY_TASK,
      schema: z.object({
        actor: PrincipalSchema,
        filter: z
          .object({ group: SignerGroupSchema.optional(), province: z.string().optional() })
          .default({}),
      }),
      async run({ actor, filter }) {
        const result = await signing.runInviteMany(actor, filter, (cursor) =>
          partyService.list(actor, {
            province: filter.province,
            group: filter.group,
            status: "active",
            limit: 200,
            cursor,
          }),
        );
        logger.info("invitations sent", { ...result });
      },
    }),
    defineTask({
      type: RENEWAL_TICK_TASK,
      schema: z.object({}),
      async run() {
        logger.info("renewal tick", await renewal.tick());
        // The same hourly tick drives the takedown requests, as a task of its own (retried on its own).
        await settings.tasks.enqueue({ type: REVIEW_TICK_TASK, payload: {} });
      },
    }),
    defineTask({
      type: REVIEW_TICK_TASK,
      schema: z.object({}),
      async run() {
        const counts = await takedowns.tick();
        const reports = await reviewReports.generateDue();
        if (Object.keys(counts).length > 0 || reports > 0) logger.info("review tick", { ...counts, reports });
      },
    }),
    defineTask({
      type: RENEWAL_INVITE_BATCH_TASK,
      schema: z.object({
        agency: z.string().min(1),
        province: z.string().min(1),
        quarter: z.string().min(1),
        cursor: z.string().optional(),
        registeredSince: z.string().optional(),
      }),
      async run(payload) {
        const { invited } = await renewal.inviteBatch(payload);
        logger.info("rollover batch", { ...payload, cursor: undefined, invited });
      },
    }),
    defineTask({
      type: RENEWAL_DAILY_TASK,
      schema: z.object({
        agency: z.string().min(1),
        province: z.string().min(1),
        date: z.string().min(1),
        quarter: z.string().min(1),
      }),
      async run(payload) {
        logger.info("renewal day", { ...payload, ...(await renewal.daily(payload)) });
      },
    }),
    defineTask({
      type: RENEWAL_INVITE_PARTY_TASK,
      schema: z.object({ partyId: z.string().min(1) }),
      run: async (p) => renewal.invitePartyNow(p.partyId),
    }),
    defineTask({
      type: COVERAGE_RECONCILE_TASK,
      schema: z.object({}),
      async run() {
        const record = await coverage.reconcile();
        const log = record.drift.length > 0 ? logger.warn : logger.info;
        log.call(logger, "coverage reconciled", {
          quarter: record.quarter,
          parties: record.parties,
          driftCells: record.drift.length,
        });
      },
    }),
    defineTask({
      type: COVERAGE_REPORT_TASK,
      schema: z.object({ reportId: z.string().min(1) }),
      run: async (p) => coverage.runReport(p.reportId),
    }),
    defineTask({
      type: REVIEW_REPORT_TASK,
      schema: z.object({ reportId: z.string().min(1) }),
      run: async (p) => reviewReports.run(p.reportId),
    }),
    defineTask({
      type: CAPTURE_TASK,
      schema: z.object({ jobId: z.string().min(1) }),
      async run(p) {
        const result = await monitoring.runCaptureJob(p.jobId);
        logger.info("capture job", { jobId: p.jobId, ...result });
      },
    }),
    defineTask({
      type: EVALUATE_TASK,
      schema: z.object({ itemId: z.string().min(1) }),
      run: async (p) => monitoring.evaluate(p.itemId),
    }),
    defineTask({
      type: TIP_CAPTURED_TASK,
      schema: z.object({ captureId: z.string().min(1) }),
      run: async (p) => tips.afterCapture(p.captureId),
    }),
    defineTask({
      type: DISPATCH_TASK,
      schema: z.object({}),
      async run() {
        const result = await monitoring.dispatch();
        if (result.created + result.resent > 0) logger.info("capture dispatch", { ...result });
      },
    }),
  ]);
  const handleTask = (task: Task): Promise<void> => tasks.handle(task);

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
    monitoring,
    /** The review queues (issue 8) and the case intake other sources (public tips) call. */
    review,
    takedowns,
    intake,
    tips,
    reviewMetrics,
    reviewReports,
    repositories: {
      cases: caseRepository,
      tips: tipRepository,
      coverage: coverageRepository,
      monitoring: monitoringRepository,
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
