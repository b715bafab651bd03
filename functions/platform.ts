import { Logger } from "@aws-lambda-powertools/logger";
import { SQSClient } from "@aws-sdk/client-sqs";
import { createDynamoClients, createSqsTaskQueue } from "@pledgewatch/aws";
import { loadConfig } from "@pledgewatch/core";
import { createPlatform } from "@pledgewatch/platform";
import { ApiConfigSchema } from "./api-config";

/** The platform as every function of this deployment builds it, once per execution environment. */
export function platformFromEnvironment(serviceName: string) {
  const config = loadConfig(ApiConfigSchema, process.env);
  const logger = new Logger({ serviceName });
  const platform = createPlatform({
    dynamo: createDynamoClients({ region: config.AWS_REGION }),
    tableName: config.TABLE_NAME,
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
    tasks: createSqsTaskQueue(new SQSClient({ region: config.AWS_REGION }), config.JOBS_QUEUE_URL),
    bundleDir: config.LAMBDA_TASK_ROOT,
  });
  return { platform, logger };
}
