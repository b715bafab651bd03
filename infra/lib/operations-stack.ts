import { CfnOutput, Duration, Stack, type StackProps } from "aws-cdk-lib";
import { Alarm, ComparisonOperator, type IMetric, TreatMissingData } from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import { ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { Key } from "aws-cdk-lib/aws-kms";
import { Topic } from "aws-cdk-lib/aws-sns";
import { EmailSubscription } from "aws-cdk-lib/aws-sns-subscriptions";
import type { Construct } from "constructs";
import type { NodeFunction } from "./constructs/node-function";
import type { StatefulResources, WorkQueue, WorkQueueName } from "./stateful-stack";

/** cdk.json context keys of the alarm topic's name and of the address subscribed to it. */
export const ALARM_TOPIC_CONTEXT = "pledgewatch:alarmTopicName";
export const ALARM_EMAIL_CONTEXT = "pledgewatch:alarmEmail";
export const DEFAULT_ALARM_TOPIC = "pledgewatch-alarms";

/** What each alarm watches and when it fires; README "Deploying to AWS" says what to do about each. */
export const ALARM_RULES = {
  /** A task that failed every attempt: one message in a dead-letter queue is one lost piece of work. */
  deadLetters: { threshold: 1, period: Duration.minutes(5) },
  /** Any failed invocation (an uncaught error, a timeout, an out-of-memory). */
  errors: { threshold: 1, period: Duration.minutes(5) },
  /** Any throttled invocation: the account's concurrency or the function's reserved limit was reached. */
  throttles: { threshold: 1, period: Duration.minutes(5) },
} as const;

export interface OperationsStackProps extends StackProps {
  resources: StatefulResources;
  /** The functions watched, by the name their alarms carry. */
  functions: Readonly<Record<string, NodeFunction>>;
  /** @default the `pledgewatch:alarmTopicName` context, else "pledgewatch-alarms" */
  alarmTopicName?: string;
  /** @default the `pledgewatch:alarmEmail` context; no subscription when neither is set */
  alarmEmail?: string;
}

/**
 * What an operator watches: one SNS topic (named by context, encrypted) that every alarm notifies — one
 * alarm per dead-letter queue with any message in it, and per function on errors and on throttles.
 */
export class OperationsStack extends Stack {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: OperationsStackProps) {
    super(scope, id, props);
    const context = (key: string) => {
      const value: unknown = this.node.tryGetContext(key);
      return typeof value === "string" && value.trim() ? value.trim() : undefined;
    };
    const topicName = props.alarmTopicName ?? context(ALARM_TOPIC_CONTEXT) ?? DEFAULT_ALARM_TOPIC;
    if (!/^[A-Za-z0-9_-]{1,256}$/.test(topicName)) {
      throw new Error(`${ALARM_TOPIC_CONTEXT} must be an SNS topic name (letters, digits, - and _)`);
    }
    const key = new Key(this, "AlarmTopicKey", {
      description: "Pledgewatch alarm topic",
      enableKeyRotation: true,
    });
    this.topic = new Topic(this, "AlarmTopic", {
      topicName,
      displayName: "Pledgewatch alarms",
      masterKey: key,
      enforceSSL: true,
    });
    // CloudWatch publishes to the encrypted topic: it needs the key.
    key.grant(new ServicePrincipal("cloudwatch.amazonaws.com"), "kms:Decrypt", "kms:GenerateDataKey*");
    const email = props.alarmEmail ?? context(ALARM_EMAIL_CONTEXT);
    if (email) this.topic.addSubscription(new EmailSubscription(email));
    const notify = new SnsAction(this.topic);

    const alarm = (name: string, description: string, metric: IMetric, threshold: number) => {
      const created = new Alarm(this, name, {
        alarmName: `pledgewatch-${name}`,
        alarmDescription: description,
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(notify);
      this.alarms.push(created);
    };

    for (const [name, queue] of Object.entries(props.resources.queues) as [WorkQueueName, WorkQueue][]) {
      alarm(
        `${name}-dead-letters`,
        `A ${name} task failed every attempt and waits in the ${name} dead-letter queue. Read it on the console's dead-letter page, fix the cause, then re-drive it.`,
        queue.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
          period: ALARM_RULES.deadLetters.period,
          statistic: "Maximum",
        }),
        ALARM_RULES.deadLetters.threshold,
      );
    }
    for (const [name, fn] of Object.entries(props.functions)) {
      alarm(
        `${name}-errors`,
        `The ${name} function failed an invocation (error, timeout or out of memory). Its log group has the request id and the stack.`,
        fn.function.metricErrors({ period: ALARM_RULES.errors.period, statistic: "Sum" }),
        ALARM_RULES.errors.threshold,
      );
      alarm(
        `${name}-throttles`,
        `The ${name} function was throttled: the account's concurrency limit was reached. Raise the limit or lower the event source's concurrency.`,
        fn.function.metricThrottles({ period: ALARM_RULES.throttles.period, statistic: "Sum" }),
        ALARM_RULES.throttles.threshold,
      );
    }
    new CfnOutput(this, "AlarmTopicArn", { value: this.topic.topicArn });
  }
}
