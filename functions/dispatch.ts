import middy from "@middy/core";
import { DISPATCH_TASK } from "@pledgewatch/platform";
import type { Context, ScheduledEvent } from "aws-lambda";
import { platformFromEnvironment } from "./platform";

const { platform, logger } = platformFromEnvironment("pledgewatch-dispatch");

/**
 * EventBridge (every minute) → the capture dispatcher: due targets become capture jobs on the capture
 * queue, and open jobs whose lease ran out (a worker that died) are sent again.
 */
async function dispatch(_event: ScheduledEvent, context: Context): Promise<void> {
  logger.addContext(context);
  await platform.handleTask({ type: DISPATCH_TASK, payload: {} });
}

export const handler = middy<ScheduledEvent, void, Error, Context>().handler(dispatch);
