import { freePort, startDynamoLocal } from "@pledgewatch/local";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}

/** One in-memory DynamoDB Local for the integration run, on a free port; each test file makes its own tables. */
export default async function setup(project: TestProject) {
  // Global setup runs in vitest's own process, where the config's test.env does not apply.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
  const dynamo = await startDynamoLocal({ port: await freePort() });
  project.provide("dynamoEndpoint", dynamo.endpoint);
  return async () => {
    await dynamo.stop();
  };
}
