import { MAIN_TABLE, MONITORING_TABLE } from "@pledgewatch/aws/tables";
import { Duration, Stack } from "aws-cdk-lib";
import { Grant } from "aws-cdk-lib/aws-iam";
import type { Construct } from "constructs";
import type { NodeFunction } from "./constructs/node-function";
import type { StatefulResources } from "./stateful-stack";

/**
 * What functions/platform.ts reads from the environment (ApiConfigSchema in functions/api-config.ts),
 * apart from what Lambda sets itself (AWS_REGION, LAMBDA_TASK_ROOT) and what has a default there.
 */
export const PLATFORM_ENVIRONMENT = [
  "TABLE_NAME",
  "MONITORING_TABLE_NAME",
  "USER_POOL_ID",
  "USER_POOL_CLIENT_ID",
  "JOBS_QUEUE_URL",
  "CAPTURE_QUEUE_URL",
  "STAGE",
  // Pledge signing: the documents bucket's name, the seal credentials secret's ARN, the sender address and
  // the SES configuration set to send through.
  "DOCUMENTS_BUCKET",
  "SEAL_SECRET_ID",
  "MAIL_FROM",
  "MAIL_CONFIGURATION_SET",
  // The public site (custom domain) in e-mailed links and QR codes.
  "PUBLIC_BASE_URL",
  // The staff session's lifetime, the same the user pool client's refresh tokens have.
  "SESSION_TTL_SECONDS",
] as const;

/**
 * What functions/monitoring-worker.ts reads (MonitoringWorkerConfigSchema), by function: the capture
 * worker sends to the jobs queue (evaluations, tips) and keeps evidence; the dispatcher sends capture jobs.
 */
export const MONITORING_WORKER_ENVIRONMENT = {
  capture: ["MONITORING_TABLE_NAME", "JOBS_QUEUE_URL", "DOCUMENTS_BUCKET"],
  dispatch: ["MONITORING_TABLE_NAME", "CAPTURE_QUEUE_URL"],
} as const;

/**
 * How long a staff session lasts (SESSION_TTL_SECONDS of every function). The user pool client's refresh
 * tokens last as long, its ID and access tokens one hour: no Cognito token outlives the session.
 */
export const STAFF_SESSION_TTL = Duration.hours(8);
export const COGNITO_TOKEN_VALIDITY = Duration.hours(1);

/** cdk.json context key of the custom domain in front of the HTTP API (its certificate is made for it). */
export const DOMAIN_NAME_CONTEXT = "pledgewatch:domainName";
/** cdk.json context key: "true" creates the SES domain identity of the sender address (DKIM). */
export const MAIL_IDENTITY_CONTEXT = "pledgewatch:createMailIdentity";

/** cdk.json context key of the public site's URL (the custom domain in front of the HTTP API). */
export const PUBLIC_BASE_URL_CONTEXT = "pledgewatch:publicBaseUrl";
export const DEFAULT_PUBLIC_BASE_URL = "https://camket.example.gov.vn";

/**
 * The public URL: `explicit`, else the context, else the placeholder. It cannot be the HTTP API's own URL:
 * the function would then depend on the API that depends on it.
 */
export function resolvePublicBaseUrl(scope: Construct, explicit?: string): string {
  const fromContext: unknown = scope.node.tryGetContext(PUBLIC_BASE_URL_CONTEXT);
  const url = explicit ?? (typeof fromContext === "string" ? fromContext : DEFAULT_PUBLIC_BASE_URL);
  if (!/^https:\/\/[a-z0-9.-]+(:\d+)?$/i.test(url)) {
    throw new Error(
      `${PUBLIC_BASE_URL_CONTEXT} must be an https origin without a path, such as ${DEFAULT_PUBLIC_BASE_URL}`,
    );
  }
  return url;
}

/** cdk.json context key of the platform's e-mail sender address (`cdk deploy -c key=…` overrides it). */
export const MAIL_FROM_CONTEXT = "pledgewatch:mailFrom";
/** Sender address when neither the stack props nor the context set one. */
export const DEFAULT_MAIL_FROM = "no-reply@pledgewatch.example.gov.vn";

/** What reading the staff directory from the user pool takes (packages/aws/src/cognito-staff-directory.ts). */
export const STAFF_DIRECTORY_ACTIONS = ["cognito-idp:ListUsers", "cognito-idp:ListUsersInGroup"];

/** SES actions of the functions: API v2 SendEmail (simple and raw content). */
export const MAIL_SEND_ACTIONS = ["ses:SendEmail", "ses:SendRawEmail"];

/** The domain of a bare e-mail address; throws (at synth) when `address` is not one. */
export function mailDomain(address: string): string {
  const match = /^[^\s@<>()[\]\\,;:"]+@([a-z0-9-]+(?:\.[a-z0-9-]+)+)$/i.exec(address);
  if (!match?.[1]) {
    throw new Error(
      `the sender address ${JSON.stringify(address)} (context ${MAIL_FROM_CONTEXT}) must be a bare address such as ${DEFAULT_MAIL_FROM}`,
    );
  }
  return match[1].toLowerCase();
}

/** The sender address: `explicit` (stack props), else the `pledgewatch:mailFrom` context, else the default */
export function resolveMailFrom(scope: Construct, explicit?: string): string {
  const fromContext: unknown = scope.node.tryGetContext(MAIL_FROM_CONTEXT);
  const address = explicit ?? (typeof fromContext === "string" ? fromContext : DEFAULT_MAIL_FROM);
  mailDomain(address);
  return address;
}

/**
 * ARN of the SES identity that sends as `mailFrom`: its domain's. The operator verifies the domain (DKIM
 * records) in SES; the functions may send as no other identity.
 */
export function mailIdentityArn(scope: Construct, mailFrom: string): string {
  return Stack.of(scope).formatArn({
    service: "ses",
    resource: "identity",
    resourceName: mailDomain(mailFrom),
  });
}

export interface BindPlatformOptions {
  /** Value of STAGE. @default "aws" */
  stage?: string;
  /**
   * Read the sealing certificate (Secrets Manager). Only the API function seals: a pledge is signed in the
   * signer's request. The jobs function e-mails the stored sealed copy and never seals. @default true
   */
  seal?: boolean;
  /** Grant DescribeTable on the table (only the API's health check calls it). @default true */
  describeTable?: boolean;
  /** Sender address of e-mail. @default the `pledgewatch:mailFrom` context, else DEFAULT_MAIL_FROM */
  mailFrom?: string;
  /** Public site URL. @default the `pledgewatch:publicBaseUrl` context, else DEFAULT_PUBLIC_BASE_URL */
  publicBaseUrl?: string;
  /**
   * Read and re-drive the work queues' dead-letter queues (the console's dead-letter page, API function
   * only): receive/delete on each DLQ, send on its work queue. @default false
   */
  readDeadLetters?: boolean;
}

/**
 * Gives a function that builds the platform (`platformFromEnvironment`) its environment and grants: the
 * main and monitoring tables (items read/write, Query on the GSIs by name), the staff user pool's ids, send on the jobs
 * queue (any function may enqueue a background task), and what pledge signing needs: the documents bucket
 * (read, create-only put, no delete), the seal credentials secret (read) and SES (send as the sender's
 * domain through the platform's configuration set).
 */
export function bindPlatform(
  fn: NodeFunction,
  resources: StatefulResources,
  options: BindPlatformOptions = {},
): NodeFunction {
  fn.function.addEnvironment("USER_POOL_ID", resources.userPool.userPoolId);
  fn.function.addEnvironment("USER_POOL_CLIENT_ID", resources.userPoolClient.userPoolClientId);
  fn.function.addEnvironment("STAGE", options.stage ?? "aws");
  fn.function.addEnvironment("SESSION_TTL_SECONDS", String(STAFF_SESSION_TTL.toSeconds()));

  // ---- Signing: documents, sealing certificate and e-mail -----------------------------------------------
  // Read and create-only, defined by the stateful stack next to the bucket (DocumentsWriteOncePolicy).
  fn.role.addManagedPolicy(resources.documentsWriteOncePolicy);
  fn.function.addEnvironment("DOCUMENTS_BUCKET", resources.documentsBucket.bucketName);

  if (options.seal !== false) {
    resources.sealCredentialsSecret.grantRead(fn.function);
    fn.function.addEnvironment("SEAL_SECRET_ID", resources.sealCredentialsSecret.secretArn);
  }

  const mailFrom = resolveMailFrom(fn, options.mailFrom);
  const configurationSetName = resources.mailConfigurationSet.configurationSetName;
  Grant.addToPrincipal({
    grantee: fn.function,
    actions: MAIL_SEND_ACTIONS,
    resourceArns: [
      mailIdentityArn(fn, mailFrom),
      Stack.of(fn).formatArn({
        service: "ses",
        resource: "configuration-set",
        resourceName: configurationSetName,
      }),
    ],
  });
  fn.function.addEnvironment("MAIL_FROM", mailFrom);
  fn.function.addEnvironment("MAIL_CONFIGURATION_SET", configurationSetName);
  fn.function.addEnvironment("PUBLIC_BASE_URL", resolvePublicBaseUrl(fn, options.publicBaseUrl));

  if (options.readDeadLetters) {
    resources.queues.jobs.deadLetterQueue.grantConsumeMessages(fn.function);
    resources.queues.capture.deadLetterQueue.grantConsumeMessages(fn.function);
    fn.function.addEnvironment("JOBS_DLQ_URL", resources.queues.jobs.deadLetterQueue.queueUrl);
    fn.function.addEnvironment("CAPTURE_DLQ_URL", resources.queues.capture.deadLetterQueue.queueUrl);
  }

  return fn
    .bindTable(resources.mainTable, {
      envName: "TABLE_NAME",
      access: "readwrite",
      indexes: MAIN_TABLE.globalSecondaryIndexes.map((index) => index.indexName),
      describeTable: options.describeTable ?? true,
    })
    .bindTable(resources.monitoringTable, {
      envName: "MONITORING_TABLE_NAME",
      access: "readwrite",
      indexes: MONITORING_TABLE.globalSecondaryIndexes.map((index) => index.indexName),
      describeTable: false,
    })
    .bindQueue(resources.queues.jobs.queue, "JOBS_QUEUE_URL", "send")
    .bindQueue(resources.queues.capture.queue, "CAPTURE_QUEUE_URL", "send");
}

/**
 * Gives the capture worker or the dispatcher (functions/monitoring-worker.ts) its environment and grants:
 * the monitoring table (items read/write, Query on its GSIs by name) and then by function — the capture
 * worker: send on the jobs queue (a capture's evaluations, a tip's next step) and read and create-only on
 * evidence/ of the documents bucket; the dispatcher: send on the capture queue. Nothing of the main table,
 * the user pool, the sealing secret or SES: these functions fetch hostile pages, and a renderer exploit
 * must find no key to sessions, pledges or the seal.
 */
export function bindMonitoringWorker(
  fn: NodeFunction,
  resources: StatefulResources,
  role: keyof typeof MONITORING_WORKER_ENVIRONMENT,
): NodeFunction {
  fn.bindTable(resources.monitoringTable, {
    envName: "MONITORING_TABLE_NAME",
    access: "readwrite",
    indexes: MONITORING_TABLE.globalSecondaryIndexes.map((index) => index.indexName),
    describeTable: false,
  });
  if (role === "capture") {
    fn.role.addManagedPolicy(resources.evidenceWriteOncePolicy);
    fn.function.addEnvironment("DOCUMENTS_BUCKET", resources.documentsBucket.bucketName);
    return fn.bindQueue(resources.queues.jobs.queue, "JOBS_QUEUE_URL", "send");
  }
  return fn.bindQueue(resources.queues.capture.queue, "CAPTURE_QUEUE_URL", "send");
}
