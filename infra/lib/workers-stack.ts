import { Duration, Stack, type StackProps, TimeZone } from "aws-cdk-lib";
import { SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
import { Schedule, ScheduleExpression, ScheduleTargetInput, TimeWindow } from "aws-cdk-lib/aws-scheduler";
import { SqsSendMessage } from "aws-cdk-lib/aws-scheduler-targets";
import type { Construct } from "constructs";
import { NodeFunction } from "./constructs/node-function";
import { documentFontBundleFiles } from "./fonts";
import { fromRoot } from "./paths";
import { bindPlatform, STAFF_DIRECTORY_ACTIONS } from "./platform";
import { checkVisibilityTimeout, type StatefulResources } from "./stateful-stack";

/**
 * Timeout of the jobs function. One task per invocation; the longest is committing a 10,000-row import
 * (2,500 transactions of 4 parties, 8 in flight, plus an undo record per batch). Not measured on AWS yet:
 * raise it if commits come close. The jobs queue's visibility timeout must stay ≥ 6× this (checked at
 * synth, so raising this alone fails `cdk synth` until WORK_QUEUE_VISIBILITY_TIMEOUT follows).
 */
export const JOBS_TIMEOUT = Duration.minutes(5);

/**
 * How the jobs function polls its queue. One message per invocation: a task may run for minutes, and in
 * a larger batch a slow one would spend the others' time and, on a timeout, bring them all back.
 * Partial batch responses stay on so that a larger batch size needs no other change.
 */
export const JOBS_EVENT_SOURCE = {
  batchSize: 1,
  /** Concurrent invocations the mapping may start: caps the write load a burst of imports puts on the table. */
  maxConcurrency: 5,
} as const;

/**
 * The renewal cycle's clock on AWS: EventBridge Scheduler puts one `renewal.tick` task on the jobs queue
 * every hour. The tick itself decides what is due (a quarter's rollover once, the day's reminders and
 * digests once, the nightly reconciliation after 02:00 in Vietnam), each guarded by a mark written once,
 * so a late, repeated or redelivered tick sends nothing twice.
 */
export const RENEWAL_TICK = {
  rate: Duration.hours(1),
  message: { type: "renewal.tick", payload: {} },
} as const;

/**
 * The retention sweep's clock on AWS (issue 19, item 8): one `privacy.retention` task a day at 03:00 in
 * Vietnam. The sweep is idempotent, so a repeated or late delivery erases nothing twice.
 */
export const RETENTION_SWEEP = {
  cron: { minute: "0", hour: "3", timeZone: TimeZone.ASIA_HO_CHI_MINH },
  message: { type: "privacy.retention", payload: {} },
} as const;

export interface WorkersStackProps extends StackProps {
  resources: StatefulResources;
  /** Value of STAGE in the functions. @default "aws" */
  stage?: string;
  /** Sender address of e-mail. @default the `pledgewatch:mailFrom` context (cdk.json) */
  mailFrom?: string;
}

/** The stateless background side: the jobs function, fed by the jobs queue of the stateful stack. */
export class WorkersStack extends Stack {
  readonly jobs: NodeFunction;
  readonly renewalTick: Schedule;
  readonly retentionSweep: Schedule;

  constructor(scope: Construct, id: string, props: WorkersStackProps) {
    super(scope, id, props);
    const jobsQueue = props.resources.queues.jobs;
    checkVisibilityTimeout("jobs", jobsQueue, JOBS_TIMEOUT);

    this.jobs = bindPlatform(
      new NodeFunction(this, "Jobs", {
        entry: fromRoot("functions", "jobs.ts"),
        description: "Pledgewatch background tasks (jobs queue consumer)",
        timeout: JOBS_TIMEOUT,
        // The pledge PDF's fonts (tasks render and send signed copies), read from
        // `${LAMBDA_TASK_ROOT}/fonts/` by packages/documents.
        copyFiles: documentFontBundleFiles(),
      }),
      props.resources,
      // Sends too: a task may enqueue a follow-up. No health check here, so no DescribeTable. No sealing
      // certificate: no task seals (a signed copy is the stored PDF).
      { stage: props.stage, describeTable: false, mailFrom: props.mailFrom, seal: false },
    );
    // The staff directory is the user pool (overdue digests go to the leads of an agency and province).
    props.resources.userPool.grant(this.jobs.function, ...STAFF_DIRECTORY_ACTIONS);
    // Grants receive, delete and change-visibility on the queue. Failed messages go back to the queue
    // and, after its maxReceiveCount, to its dead-letter queue.
    this.jobs.function.addEventSource(
      new SqsEventSource(jobsQueue.queue, {
        batchSize: JOBS_EVENT_SOURCE.batchSize,
        maxConcurrency: JOBS_EVENT_SOURCE.maxConcurrency,
        reportBatchItemFailures: true,
      }),
    );

    // The scheduler's own role may only send to the jobs queue (and its dead-letter queue on failure).
    this.renewalTick = new Schedule(this, "RenewalTick", {
      description: "Pledgewatch renewal cycle: hourly tick (rollover, reminders, digests, reconciliation)",
      schedule: ScheduleExpression.rate(RENEWAL_TICK.rate),
      timeWindow: TimeWindow.off(),
      target: new SqsSendMessage(jobsQueue.queue, {
        input: ScheduleTargetInput.fromObject(RENEWAL_TICK.message),
        deadLetterQueue: jobsQueue.deadLetterQueue,
        retryAttempts: 3,
        maxEventAge: Duration.hours(1),
      }),
    });
    this.retentionSweep = new Schedule(this, "RetentionSweep", {
      description:
        "Pledgewatch retention sweep: daily at 03:00 Asia/Ho_Chi_Minh (docs/decisions.md, Retention)",
      schedule: ScheduleExpression.cron(RETENTION_SWEEP.cron),
      timeWindow: TimeWindow.off(),
      target: new SqsSendMessage(jobsQueue.queue, {
        input: ScheduleTargetInput.fromObject(RETENTION_SWEEP.message),
        deadLetterQueue: jobsQueue.deadLetterQueue,
        retryAttempts: 3,
        maxEventAge: Duration.hours(6),
      }),
    });
  }
}
