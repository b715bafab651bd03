import { z } from "zod";

/** Environment of the API and jobs functions, set by infra/lib/platform.ts (bindPlatform). */
export const ApiConfigSchema = z.object({
  AWS_REGION: z.string().min(1),
  TABLE_NAME: z.string().min(1),
  MONITORING_TABLE_NAME: z.string().min(1),
  USER_POOL_ID: z.string().regex(/^[\w-]+_[0-9a-zA-Z]+$/, "must look like <region>_<id>"),
  USER_POOL_CLIENT_ID: z.string().min(1),
  JOBS_QUEUE_URL: z.url(),
  /** Monitoring capture: its work queue, and the dead-letter queues the console page reads. */
  CAPTURE_QUEUE_URL: z.url(),
  JOBS_DLQ_URL: z.url().optional(),
  CAPTURE_DLQ_URL: z.url().optional(),
  SESSION_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(300)
    .max(86_400)
    .default(8 * 3600),
  STAGE: z.string().min(1).default("aws"),
  /** Pledge signing: the documents bucket, the seal credentials secret, the sender address. */
  DOCUMENTS_BUCKET: z.string().min(3),
  /** Large uploads by presigned POST (the API function only). */
  UPLOADS_BUCKET: z.string().min(3).optional(),
  /** The sealing certificate's secret: the API function's only (the jobs function seals nothing). */
  SEAL_SECRET_ID: z.string().min(1).optional(),
  MAIL_FROM: z.email(),
  MAIL_CONFIGURATION_SET: z.string().optional(),
  /** The public site (custom domain) used in e-mailed links and QR codes, e.g. https://camket.example.gov.vn. */
  PUBLIC_BASE_URL: z.url(),
  LAMBDA_TASK_ROOT: z.string().optional(),
});
export type ApiConfig = z.infer<typeof ApiConfigSchema>;

/**
 * Environment of the capture worker and the dispatcher, set by infra/lib/platform.ts
 * (bindMonitoringWorker): the monitoring table, the two queues, and for the capture worker the documents
 * bucket (evidence/ only). Nothing of the main table, the user pool, the sealing secret or the mail.
 */
export const MonitoringWorkerConfigSchema = z.object({
  AWS_REGION: z.string().min(1),
  MONITORING_TABLE_NAME: z.string().min(1),
  /** The capture worker's: where a capture's evaluations and a tip's next step go. */
  JOBS_QUEUE_URL: z.url().optional(),
  /** The dispatcher's: where capture jobs go. */
  CAPTURE_QUEUE_URL: z.url().optional(),
  /** The capture worker's: evidence/ of the documents bucket. */
  DOCUMENTS_BUCKET: z.string().min(3).optional(),
  LAMBDA_TASK_ROOT: z.string().optional(),
});
