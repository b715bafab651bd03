import { randomUUID } from "node:crypto";
import { lookup } from "node:dns/promises";
import {
  createCognitoIdentityProvider,
  createCognitoStaffDirectory,
  createDynamoHealthProbe,
  createDynamoHostGate,
  createIdTokenVerifier,
  type DynamoClients,
  principalFromClaims,
  type TableNames,
} from "@pledgewatch/aws";
import {
  anchoredSigningRepository,
  CAPTURE_TASK,
  type CaptureAllowlist,
  type CaptureRefusal,
  type Clock,
  caseIntakeOfEvaluations,
  checkUrlSafety,
  consoleDeadLetters,
  coverageTasks,
  createCaseIntake,
  createCaseUnflagging,
  createCoverageService,
  createDataRequestService,
  createDocumentAuditAnchors,
  createFlaggingService,
  createImportService,
  createMonitoringService,
  createPartyService,
  createPasswordIdentityProvider,
  createReevaluation,
  createRenewalService,
  createRetentionSweep,
  createReviewMetricsService,
  createReviewReportService,
  createReviewService,
  createSessions,
  createSignIn,
  createSigningService,
  createStaffService,
  createTakedownService,
  createTaskDispatcher,
  createTipService,
  DEFAULT_MONITORING_LIMITS,
  type DeadLetters,
  type DocumentStore,
  type DownloadLinks,
  flaggingTasks,
  type IdentityProvider,
  type ItemEvaluator,
  inviteWhenRegistered,
  type Mailer,
  type MonitoringLimits,
  monitoringTasks,
  type OutboxReader,
  type PageRenderer,
  type Principal,
  partyTasks,
  pledgeTasks,
  privacyTasks,
  renewalTasks,
  reviewTasks,
  type SealCredentials,
  type StaffRepository,
  systemClock,
  type Task,
  type TaskQueue,
  type TravelClock,
  tipTasks,
  type UploadInbox,
} from "@pledgewatch/core";
import {
  lazyCaptureCertificateRenderer,
  lazyCoverageReportRenderer,
  lazyPdfSealer,
  lazyPledgeRenderer,
  lazyReviewReportRenderers,
  lazyUploadedPdfInspector,
} from "@pledgewatch/documents/lazy";
import { compileRuleSet, seedRuleSet } from "@pledgewatch/rules";
import { writeCoverageXlsx, writePeriodicReviewXlsx, writeQuickCaseXlsx } from "@pledgewatch/sheets";
import type { ClientLimits, Logger, WebDeps } from "@pledgewatch/web";
// The e-mail texts only: this module is what the worker functions build, and they have no web app.
import { VIETNAMESE_EMAILS } from "@pledgewatch/web/emails";
import { createFlaggingEvaluator } from "./capture-evaluator";
import { createRepositories, type Repositories } from "./repositories";
import { createCasePartyLookup, createRecapture, createTakedownContactLookup } from "./review-lookups";

export type AuthSettings =
  | { mode: "local" }
  | { mode: "cognito"; region: string; userPoolId: string; clientId: string };

export interface PlatformSettings {
  dynamo: DynamoClients;
  /** The main table and monitoring's own (packages/aws/src/tables.ts). */
  tables: TableNames;
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
  /** Per-address and per-account request limits; the web app's defaults when absent. */
  clientLimits?: ClientLimits | undefined;
  /** Where the Lambda bundle keeps copied assets. */
  bundleDir?: string | undefined;
  /** Signed documents (S3 on AWS, a folder locally). */
  documents: DocumentStore;
  /** Large uploads by presigned POST (S3 on AWS); absent locally, where uploads are direct. */
  uploads?: UploadInbox;
  /** Large downloads by presigned GET (S3 on AWS); absent locally. */
  downloads?: DownloadLinks;
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

type Wiring = {
  settings: PlatformSettings;
  repos: Repositories;
  clock: Clock;
  /** Who is staff: the Cognito user pool on AWS, the table locally. */
  staff: StaffRepository;
};

/** Staff sign-in: Cognito on AWS (ID tokens for the API too), passwords in the table locally. */
function wireAuth({ settings, repos, clock, staff }: Wiring) {
  let identities: IdentityProvider;
  let verifyBearer: ((token: string) => Promise<Principal | null>) | undefined;
  if (settings.auth.mode === "cognito") {
    const cognito = settings.auth;
    const provider = createCognitoIdentityProvider(cognito);
    identities = provider;
    // Made on the first bearer token: the console (cookies) never needs it.
    let verifier: ReturnType<typeof createIdTokenVerifier> | undefined;
    verifyBearer = async (token) => {
      verifier ??= createIdTokenVerifier(cognito);
      const principal = principalFromClaims(await verifier.verify(token));
      // A lead's or an admin's token counts only once their authenticator is enrolled.
      return principal && (await provider.mayUseApi(principal)) ? principal : null;
    };
  } else {
    identities = createPasswordIdentityProvider(repos.staff);
  }
  const sessions = createSessions({
    store: repos.sessions,
    identities,
    clock,
    ttlSeconds: settings.sessionTtlSeconds,
  });
  return {
    sessions,
    verifyBearer,
    // signIn and continueSignIn.
    ...createSignIn({ identities, sessions, attempts: repos.attempts, pending: repos.pendingSignIns, clock }),
    staff: createStaffService({
      staff,
      clock,
      newId: randomUUID,
      credentials: settings.auth.mode === "cognito" ? "external" : "local",
    }),
  };
}

/** The registry, pledges, coverage and the renewal cycle. */
function wirePledges({ settings, repos, clock, staff }: Wiring) {
  const imports = createImportService({
    parties: repos.parties,
    imports: repos.imports,
    tasks: settings.tasks,
    clock,
    newId: randomUUID,
  });
  const parties = createPartyService({
    parties: repos.parties,
    clock,
    newId: randomUUID,
    onRegistered: inviteWhenRegistered(settings.tasks),
  });
  // The sealing credentials are read once, on first use (a Secrets Manager call on AWS).
  let sealer: ReturnType<typeof lazyPdfSealer> | undefined;
  let inspector: ReturnType<typeof lazyUploadedPdfInspector> | undefined;
  const credentials = async () => {
    const creds = await settings.sealCredentials();
    sealer ??= lazyPdfSealer(creds);
    inspector ??= lazyUploadedPdfInspector(creds);
    return { sealer, inspector };
  };
  const signing = createSigningService({
    parties: repos.parties,
    signing: repos.signing,
    mailer: settings.mailer,
    documents: settings.documents,
    render: lazyPledgeRenderer({ bundleDir: settings.bundleDir }),
    seal: async (pdf, info) => (await credentials()).sealer(pdf, info),
    inspect: async (pdf) => (await credentials()).inspector(pdf),
    attempts: repos.attempts,
    tasks: settings.tasks,
    clock,
    newId: randomUUID,
    publicBaseUrl: settings.publicBaseUrl,
    emails: VIETNAMESE_EMAILS,
  });
  const coverage = createCoverageService({
    coverage: repos.coverage,
    parties: repos.parties,
    signing: repos.signing,
    signingService: signing,
    documents: settings.documents,
    tasks: settings.tasks,
    clock,
    newId: randomUUID,
    renderPdf: lazyCoverageReportRenderer({ bundleDir: settings.bundleDir }),
    writeXlsx: writeCoverageXlsx,
  });
  const renewal = createRenewalService({
    coverage: repos.coverage,
    coverageService: coverage,
    parties: repos.parties,
    signing: repos.signing,
    signingService: signing,
    staff,
    mailer: settings.mailer,
    tasks: settings.tasks,
    clock,
    emails: VIETNAMESE_EMAILS,
  });
  return { imports, parties, signing, coverage, renewal };
}

/** Flagging, capture, the review queues with their takedowns, public tips, review metrics and reports. */
function wireMonitoring(
  { settings, repos, clock, staff }: Wiring,
  signing: ReturnType<typeof createSigningService>,
) {
  const intake = createCaseIntake({
    cases: repos.cases,
    parties: createCasePartyLookup(repos.parties, clock),
    clock,
  });
  const flagging = createFlaggingService({
    rules: repos.rules,
    evaluations: repos.evaluations,
    compile: (ruleSet) => compileRuleSet(ruleSet),
    seed: seedRuleSet,
    clock,
    onEvaluated: caseIntakeOfEvaluations(intake),
    // A rule or the catalogue saved: the items seen lately are evaluated again (issue 23, item 3).
    // A failure to start it does not undo the saved rule: it is logged, and the next save starts its own.
    onRuleSetSaved: (version, by) =>
      reevaluation.start(version, by).catch((error: unknown) =>
        settings.logger.error("re-evaluation not started", {
          ruleSetVersion: version,
          error: error instanceof Error ? error.message : String(error),
        }),
      ),
  });
  const reevaluation = createReevaluation({
    evaluations: repos.evaluations,
    current: () => flagging.current(),
    tasks: settings.tasks,
    clock,
    onNewlyFlagged: caseIntakeOfEvaluations(intake),
    onNoLongerFlagged: createCaseUnflagging({ cases: repos.cases, clock }),
  });
  const monitoringSettings = settings.monitoring ?? {};
  const limits = { ...DEFAULT_MONITORING_LIMITS, ...monitoringSettings.limits };
  const captureTasks = monitoringSettings.captureTasks ?? settings.tasks;
  const monitoring = createMonitoringService({
    repository: repos.monitoring,
    parties: repos.parties,
    hostGate: createDynamoHostGate(settings.dynamo.doc, settings.tables.monitoring, {
      concurrency: limits.hostConcurrency,
      minIntervalMs: limits.hostMinIntervalMs,
    }),
    renderer: monitoringSettings.renderer,
    // Evidence shares the documents store (write-once; S3 Object Lock on AWS), under evidence/.
    evidence: settings.documents,
    tasks: {
      enqueue: (task) => (task.type === CAPTURE_TASK ? captureTasks : settings.tasks).enqueue(task),
    },
    evaluator: monitoringSettings.evaluator ?? createFlaggingEvaluator(flagging, repos.monitoring, clock),
    certificate: lazyCaptureCertificateRenderer({ bundleDir: settings.bundleDir }),
    clock,
    newId: randomUUID,
    workerId: monitoringSettings.workerId ?? `worker-${randomUUID()}`,
    limits,
  });
  // Their console ids are sealed with the platform's secret (the one the tip forms are signed with, under
  // its own derived key).
  const deadLetters = monitoringSettings.deadLetters
    ? consoleDeadLetters(
        monitoringSettings.deadLetters,
        monitoring,
        () => repos.tips.formSecret(),
        // An atomic counter of the id's uses, kept a day (an id's receipt handle is stale long before).
        async (key) => (await repos.attempts.hit(key, 86_400, clock.now())) === 1,
      )
    : undefined;
  const evidence = {
    capture: (id: string) => monitoring.evidence(id),
    artefact: (id: string, key: string) => monitoring.evidenceArtefact(id, key),
  };
  const takedowns = createTakedownService({
    cases: repos.cases,
    pledges: signing,
    contacts: createTakedownContactLookup(repos.parties, repos.signing),
    recapture: createRecapture(monitoring),
    mailer: settings.mailer,
    clock,
    newId: randomUUID,
    publicBaseUrl: settings.publicBaseUrl,
    emails: VIETNAMESE_EMAILS,
  });
  const review = createReviewService({
    cases: repos.cases,
    staff,
    takedowns,
    evidence,
    clock,
  });
  const tips = createTipService({
    tips: repos.tips,
    attempts: repos.attempts,
    capture: monitoring,
    captures: repos.monitoring,
    evidence: settings.documents,
    flagging,
    intake,
    cases: repos.cases,
    clock,
    newId: randomUUID,
    checkUrl: createUrlCheck(
      monitoringSettings.captureAllowlist ?? new Set(),
      monitoringSettings.resolveHost ?? systemResolveHost,
    ),
  });
  const reviewRenderers = lazyReviewReportRenderers({ bundleDir: settings.bundleDir });
  const reviewReports = createReviewReportService({
    reports: repos.reviewReports,
    marks: repos.coverage,
    log: repos.caseLog,
    cases: repos.cases,
    evidence,
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
  const reviewMetrics = createReviewMetricsService({ log: repos.caseLog, clock });
  // Personal-data duties (issue 19, item 8): data subjects' requests, and the daily retention sweep.
  const dataRequests = createDataRequestService({
    requests: repos.dataRequests,
    tips: repos.tips,
    clock,
    newId: randomUUID,
  });
  const retention = createRetentionSweep({
    tips: repos.tips,
    cases: repos.cases,
    dataRequests: repos.dataRequests,
    clock,
  });
  return {
    intake,
    flagging,
    reevaluation,
    monitoring,
    deadLetters,
    takedowns,
    review,
    tips,
    reviewReports,
    reviewMetrics,
    dataRequests,
    retention,
  };
}

/**
 * The composition root: the one place where adapters are plugged into use cases and the HTTP app. It only
 * wires: rules live in the use cases, background tasks are declared by each capability (its tasks.ts).
 */
/**
 * Everything the platform does but its web app: the services, the background task handler and what the web
 * app is made of. The worker functions (jobs, dispatch, capture) build this alone, so their bundles carry no
 * routes, views or OpenAPI (functions/services.ts); createPlatform (./app.ts) adds the app.
 */
export function createPlatformServices(settings: PlatformSettings) {
  if (settings.timeTravel && settings.auth.mode === "cognito") {
    throw new Error("Time travel is for local runs and tests only; a deployed platform keeps real time");
  }
  const { logger } = settings;
  const clock = settings.timeTravel ?? settings.clock ?? systemClock;
  const stored = createRepositories(settings.dynamo, settings.tables);
  // Every audit event is checkpointed outside the table, in the documents store (write-once).
  const repos = {
    ...stored,
    signing: anchoredSigningRepository(stored.signing, createDocumentAuditAnchors(settings.documents)),
  };
  const wiring: Wiring = {
    settings,
    repos,
    clock,
    staff: settings.auth.mode === "cognito" ? createCognitoStaffDirectory(settings.auth) : repos.staff,
  };
  const auth = wireAuth(wiring);
  const { imports, parties, signing, coverage, renewal } = wirePledges(wiring);
  const m = wireMonitoring(wiring, signing);

  const deps: Omit<WebDeps, "readDocsAsset"> = {
    health: createDynamoHealthProbe(settings.dynamo.client, settings.tables.main),
    ...auth,
    parties,
    imports,
    signing,
    flagging: m.flagging,
    reevaluation: m.reevaluation,
    coverage,
    renewal,
    timeTravel: settings.timeTravel,
    outbox: settings.outbox,
    documents: settings.documents,
    uploads: settings.uploads,
    downloads: settings.downloads,
    publicBaseUrl: typeof settings.publicBaseUrl === "string" ? settings.publicBaseUrl : undefined,
    attempts: wiring.repos.attempts,
    clientLimits: settings.clientLimits,
    clock,
    logger,
    secureCookies: settings.secureCookies,
    stage: settings.stage,
    monitoring: m.monitoring,
    deadLetters: m.deadLetters,
    review: m.review,
    takedowns: m.takedowns,
    tips: m.tips,
    reviewMetrics: m.reviewMetrics,
    reviewReports: m.reviewReports,
    dataRequests: m.dataRequests,
  };

  // ---- Background tasks: what the jobs and capture workers and the local queue run ------------------
  const tasks = createTaskDispatcher([
    ...partyTasks(imports, renewal),
    ...flaggingTasks(m.flagging, m.reevaluation),
    ...pledgeTasks(
      signing,
      (actor, filter, cursor) =>
        parties.list(actor, {
          province: filter.province,
          group: filter.group,
          status: "active",
          limit: 200,
          cursor,
        }),
      logger,
    ),
    ...renewalTasks(renewal, settings.tasks, logger),
    ...coverageTasks(coverage, logger),
    ...reviewTasks(m.takedowns, m.reviewReports, logger),
    ...monitoringTasks(m.monitoring, logger),
    ...tipTasks(m.tips),
    ...privacyTasks(m.retention, logger),
  ]);
  const handleTask = (task: Task): Promise<void> => tasks.handle(task);

  return {
    /** What the web app is built from (./app.ts), but its docs assets. */
    webDeps: deps,
    /** Runs one background task: what the jobs worker Lambda and the local queue call. */
    handleTask,
    signing,
    flagging: m.flagging,
    /**
     * What the capture pipeline calls for each captured listing, post or ad: validates the item
     * (FlagItemSchema), evaluates it with the current rules (re-read by version, so console edits apply at
     * once) and records it with its decision for the rules preview and the review queues. Rejects with
     * InvalidError (field issues) for a malformed item; a re-evaluation of the same item id replaces it.
     */
    evaluateCapturedItem: (item: unknown) => m.flagging.evaluateItem(item, { source: "capture" }),
    coverage,
    renewal,
    clock,
    monitoring: m.monitoring,
    /** The review queues and the case intake other sources (public tips) call. */
    review: m.review,
    takedowns: m.takedowns,
    intake: m.intake,
    tips: m.tips,
    reviewMetrics: m.reviewMetrics,
    reviewReports: m.reviewReports,
    dataRequests: m.dataRequests,
    /** The daily retention sweep (also the RETENTION_SWEEP_TASK task). */
    retention: m.retention,
  };
}

export type PlatformServices = ReturnType<typeof createPlatformServices>;
