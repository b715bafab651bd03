import { servicesFromEnvironment } from "./platform";
import { sqsTaskHandler } from "./sqs-tasks";

const { platform, logger } = servicesFromEnvironment("pledgewatch-jobs");

/** SQS (jobs queue) → background tasks, one per message; a failing one is reported alone. */
export const handler = sqsTaskHandler({ logger, failure: "task failed", run: platform.handleTask });
