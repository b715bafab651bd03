import { Logger } from "@aws-lambda-powertools/logger";
import { createDynamoClients } from "@pledgewatch/aws";
import { loadConfig } from "@pledgewatch/core";
import { createPlatform } from "@pledgewatch/platform";
import { handle } from "hono/aws-lambda";
import { ApiConfigSchema } from "./api-config";

// Created once per execution environment, reused across invocations.
const config = loadConfig(ApiConfigSchema, process.env);
const logger = new Logger({ serviceName: "pledgewatch-api" });

const { app } = createPlatform({
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
  bundleDir: config.LAMBDA_TASK_ROOT,
});

const honoHandler = handle(app);

/** API Gateway HTTP API (payload 2.0) → Hono. The Lambda context's request id goes into every log line. */
export const handler: typeof honoHandler = async (event, context) => {
  logger.addContext(context);
  return honoHandler(event, context);
};
