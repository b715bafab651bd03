import { handle } from "hono/aws-lambda";
import { platformFromEnvironment } from "./app";

const { platform, logger } = platformFromEnvironment("pledgewatch-api");
const honoHandler = handle(platform.app);

/** API Gateway HTTP API (payload 2.0) → Hono. The Lambda context's request id goes into every log line. */
export const handler: typeof honoHandler = async (event, context) => {
  if (context) logger.addContext(context as Parameters<typeof logger.addContext>[0]);
  return honoHandler(event, context);
};
