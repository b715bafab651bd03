import { MAIN_TABLE } from "@pledgewatch/aws/tables";
import type { NodeFunction } from "./constructs/node-function";
import type { StatefulResources } from "./stateful-stack";

/**
 * What functions/platform.ts reads from the environment (ApiConfigSchema in functions/api-config.ts),
 * apart from what Lambda sets itself (AWS_REGION, LAMBDA_TASK_ROOT) and what has a default there.
 */
export const PLATFORM_ENVIRONMENT = [
  "TABLE_NAME",
  "USER_POOL_ID",
  "USER_POOL_CLIENT_ID",
  "JOBS_QUEUE_URL",
  "STAGE",
] as const;

export interface BindPlatformOptions {
  /** Value of STAGE. @default "aws" */
  stage?: string;
  /** Grant DescribeTable on the table (only the API's health check calls it). @default true */
  describeTable?: boolean;
}

/**
 * Gives a function that builds the platform (`platformFromEnvironment`) its environment and grants: the
 * main table (items read/write, Query on the GSIs by name), the staff user pool's ids, and send on the
 * jobs queue (any function may enqueue a background task).
 */
export function bindPlatform(
  fn: NodeFunction,
  resources: StatefulResources,
  options: BindPlatformOptions = {},
): NodeFunction {
  fn.function.addEnvironment("USER_POOL_ID", resources.userPool.userPoolId);
  fn.function.addEnvironment("USER_POOL_CLIENT_ID", resources.userPoolClient.userPoolClientId);
  fn.function.addEnvironment("STAGE", options.stage ?? "aws");
  return fn
    .bindTable(resources.mainTable, {
      envName: "TABLE_NAME",
      access: "readwrite",
      indexes: MAIN_TABLE.globalSecondaryIndexes.map((index) => index.indexName),
      describeTable: options.describeTable ?? true,
    })
    .bindQueue(resources.queues.jobs.queue, "JOBS_QUEUE_URL", "send");
}
