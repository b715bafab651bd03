import middy from "@middy/core";
import { DISPATCH_TASK, describeIssues, fieldIssues } from "@pledgewatch/core";
import type { Context, ScheduledEvent } from "aws-lambda";
import { z } from "zod";
import { monitoringWorkerFromEnvironment } from "./monitoring-worker";

const { worker, logger } = monitoringWorkerFromEnvironment("pledgewatch-dispatch", DISPATCH_TASK);

/** The EventBridge rule's scheduled event (infra/lib/capture-stack.ts): the only event this function runs on. */
export const ScheduledEventSchema = z.object({
  source: z.literal("aws.events"),
  "detail-type": z.literal("Scheduled Event"),
  time: z.iso.datetime(),
});

/** An event that is not the schedule's: the error names the field, and nothing is dispatched. */
export class BadScheduleEventError extends Error {
  constructor(readonly issues: { field: string; message: string }[]) {
    super(`bad schedule event: ${describeIssues(issues, "(event)")}`);
    this.name = "BadScheduleEventError";
  }
}

/**
 * EventBridge (every minute) → the capture dispatcher: due targets become capture jobs on the capture
 * queue, and open jobs whose lease ran out (a worker that died) are sent again.
 */
async function dispatch(event: ScheduledEvent, context: Context): Promise<void> {
  logger.addContext(context);
  const parsed = ScheduledEventSchema.safeParse(event);
  if (!parsed.success) {
    const error = new BadScheduleEventError(fieldIssues(parsed.error));
    logger.error("refused event", { error: error.message });
    throw error;
  }
  await worker.handleTask({ type: DISPATCH_TASK, payload: {} });
}

export const handler = middy<ScheduledEvent, void, Error, Context>().handler(dispatch);
