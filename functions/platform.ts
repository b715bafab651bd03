import { Logger } from "@aws-lambda-powertools/logger";
import { S3Client } from "@aws-sdk/client-s3";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { SQSClient } from "@aws-sdk/client-sqs";
import {
  createDynamoClients,
  createS3DocumentStore,
  createS3DownloadLinks,
  createS3UploadInbox,
  createSecretSealCredentials,
  createSesMailer,
  createSqsDeadLetters,
  createSqsTaskQueue,
} from "@pledgewatch/aws";
import { loadConfig, type PageRenderer } from "@pledgewatch/core";
import { createPlatformServices, type PlatformSettings } from "@pledgewatch/platform/services";
import { ApiConfigSchema } from "./api-config";

/**
 * The platform's settings on AWS, from the function's environment: Cognito sign-in, SQS, S3, SES and the
 * sealing secret. Named overrides replace one setting (the tests refuse a movable clock through one).
 */
export function awsPlatformSettings(
  serviceName: string,
  options: { renderer?: PageRenderer } = {},
  overrides: Partial<Omit<PlatformSettings, "logger">> = {},
): PlatformSettings & { logger: Logger } {
  const config = loadConfig(ApiConfigSchema, process.env);
  const logger = new Logger({ serviceName });
  const sqs = new SQSClient({ region: config.AWS_REGION });
  const s3 = new S3Client({ region: config.AWS_REGION });
  const deadLetterSources = [
    ...(config.JOBS_DLQ_URL
      ? [{ queueUrl: config.JOBS_QUEUE_URL, deadLetterQueueUrl: config.JOBS_DLQ_URL }]
      : []),
    ...(config.CAPTURE_DLQ_URL
      ? [{ queueUrl: config.CAPTURE_QUEUE_URL, deadLetterQueueUrl: config.CAPTURE_DLQ_URL }]
      : []),
  ];
  return {
    dynamo: createDynamoClients({ region: config.AWS_REGION }),
    tables: { main: config.TABLE_NAME, monitoring: config.MONITORING_TABLE_NAME },
    auth: {
      mode: "cognito",
      region: config.AWS_REGION,
      userPoolId: config.USER_POOL_ID,
      clientId: config.USER_POOL_CLIENT_ID,
    },
    sessionTtlSeconds: config.SESSION_TTL_SECONDS,
    secureCookies: true,
    stage: config.STAGE,
    logger,
    tasks: createSqsTaskQueue(sqs, config.JOBS_QUEUE_URL),
    monitoring: {
      renderer: options.renderer,
      // Capture tasks go to the capture queue, whose worker has Chromium.
      captureTasks: createSqsTaskQueue(sqs, config.CAPTURE_QUEUE_URL),
      deadLetters: deadLetterSources.length > 0 ? createSqsDeadLetters(sqs, deadLetterSources) : undefined,
      workerId: `${serviceName}-${process.env.AWS_LAMBDA_LOG_STREAM_NAME ?? process.pid}`,
    },
    bundleDir: config.LAMBDA_TASK_ROOT,
    documents: createS3DocumentStore(s3, config.DOCUMENTS_BUCKET),
    ...(config.UPLOADS_BUCKET
      ? {
          uploads: createS3UploadInbox(s3, config.UPLOADS_BUCKET),
          // Presigned URLs name the endpoint the SDK is given (a stand-in in the deployed tests), else
          // the bucket's regional virtual-hosted origin.
          downloads: createS3DownloadLinks(
            s3,
            config.UPLOADS_BUCKET,
            process.env.AWS_ENDPOINT_URL_S3
              ? new URL(process.env.AWS_ENDPOINT_URL_S3).origin
              : `https://${config.UPLOADS_BUCKET}.s3.${config.AWS_REGION}.amazonaws.com`,
          ),
        }
      : {}),
    mailer: createSesMailer(new SESv2Client({ region: config.AWS_REGION }), {
      from: config.MAIL_FROM,
      configurationSet: config.MAIL_CONFIGURATION_SET,
    }),
    sealCredentials: config.SEAL_SECRET_ID
      ? createSecretSealCredentials(
          new SecretsManagerClient({ region: config.AWS_REGION }),
          config.SEAL_SECRET_ID,
        )
      : async () => {
          throw new Error(
            "This function holds no sealing certificate (SEAL_SECRET_ID): pledges are sealed by the API function",
          );
        },
    publicBaseUrl: config.PUBLIC_BASE_URL,
    ...overrides,
  };
}

/**
 * The platform's services as a worker function (jobs, dispatch, capture) builds them, once per execution
 * environment: no web app, so its bundle carries none (the API function builds the whole platform,
 * functions/app.ts).
 */
export function servicesFromEnvironment(serviceName: string, options: { renderer?: PageRenderer } = {}) {
  const settings = awsPlatformSettings(serviceName, options);
  return { platform: createPlatformServices(settings), logger: settings.logger };
}
