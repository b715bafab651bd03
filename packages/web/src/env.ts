import type {
  AttemptCounter,
  Clock,
  ContinueSignIn,
  CoverageService,
  createStaffService,
  DataRequestService,
  DeadLetter,
  DocumentStore,
  DownloadLinks,
  FlaggingService,
  HealthProbe,
  ImportService,
  Logger,
  MonitoringService,
  OutboxReader,
  PartyFilter,
  PartyService,
  Principal,
  QueueFilter,
  Reevaluation,
  RenewalService,
  ReviewMetricsService,
  ReviewReportService,
  ReviewService,
  Sessions,
  SignIn,
  SigningService,
  TakedownService,
  TipService,
  TravelClock,
  UploadInbox,
} from "@pledgewatch/core";
import type { Language, Messages } from "./i18n";
import type { FormBody } from "./middleware";
import type { ClientLimits } from "./routes/rate-limit";

/** The logging port lives in core (every layer logs); re-exported for the web package's users. */
export type { Logger };

/** Everything the HTTP app needs, passed in once by the entry point (Lambda or local runtime). */
export interface WebDeps {
  health: HealthProbe;
  sessions: Sessions;
  signIn: SignIn;
  continueSignIn: ContinueSignIn;
  staff: ReturnType<typeof createStaffService>;
  parties: PartyService;
  imports: ImportService;
  signing: SigningService;
  /** Flagging rules, their preview and the recorded evaluations. */
  flagging: FlaggingService;
  coverage: CoverageService;
  renewal: RenewalService;
  /** The movable clock of local runs and tests; absent on AWS, where the time-travel routes answer 404. */
  timeTravel?: TravelClock | undefined;
  /** The local e-mail outbox; absent on AWS (mail goes through SES). */
  outbox?: OutboxReader | undefined;
  /** Signed documents and outbox attachments. */
  documents: DocumentStore;
  /**
   * Large uploads straight to S3 (AWS): present, the console's import and /verify forms post files there
   * and the direct path takes DIRECT_UPLOAD_MAX_BYTES at most. Absent (`npm start`): direct uploads.
   */
  uploads?: UploadInbox | undefined;
  /** Large downloads by short-lived links (AWS); absent locally, where every file is sent directly. */
  downloads?: DownloadLinks | undefined;
  /** The public site's origin (S3 sends browsers back there after an upload). */
  publicBaseUrl?: string | undefined;
  /** Fixed-window counters for rate limits on public pages and per client. */
  attempts: AttemptCounter;
  /** Per-address and per-account request limits (routes/rate-limit.ts); DEFAULT_CLIENT_LIMITS if absent. */
  clientLimits?: ClientLimits | undefined;
  clock: Clock;
  /** Verifies `Authorization: Bearer` tokens (Cognito ID tokens on AWS); absent locally. */
  verifyBearer?: ((token: string) => Promise<Principal | null>) | undefined;
  logger: Logger;
  /** Secure cookies (`__Host-` prefix) everywhere but plain-http local runs. */
  secureCookies: boolean;
  /** Where the app is served, e.g. "local" or "aws"; shown on /health. */
  stage: string;
  /** Reads a static asset of the API docs page (swagger-ui-dist). */
  readDocsAsset: (name: string) => Promise<Uint8Array | null>;
  /** Crawl targets, captures with evidence, captured items. */
  monitoring: MonitoringService;
  /** Review metrics recounted from the case logs (issue 8). */
  reviewMetrics: ReviewMetricsService;
  /** The review reports: periodic and quick, generated in the background (issue 8). */
  reviewReports: ReviewReportService;
  /** Public tips: the form, the tracking page and their API (issue 8). */
  tips: TipService;
  reevaluation: Reevaluation;
  dataRequests: DataRequestService;
  /** Background tasks that failed every attempt; absent where the deployment does not expose them. */
  deadLetters?:
    | { list(limit: number): Promise<DeadLetter[]>; redrive(id: string): Promise<void> }
    | undefined;
  /** Review queues, cases, decisions (issue 8). */
  review: ReviewService;
  /** Takedown requests: the platform's token page. */
  takedowns: TakedownService;
}

export interface AppEnv {
  Variables: {
    requestId: string;
    lang: Language;
    t: Messages;
    principal: Principal | undefined;
    /** CSRF token of the cookie session; absent for bearer-token calls and anonymous requests. */
    csrfToken: string | undefined;
    sessionExpiresAt: Date | undefined;
    /** The local e-mail outbox is available (local runs only). */
    outbox: boolean;
    /** The time-travel control is available (local runs and tests only). */
    timeTravel: boolean;
    /** A console form's fields, parsed and CSRF-checked by `consoleForm()`. */
    form: FormBody;
  };
}

export type PartyFilterInput = Omit<PartyFilter, "limit" | "cursor">;
export type QueueFilterInput = Partial<Omit<QueueFilter, "limit" | "cursor">>;
