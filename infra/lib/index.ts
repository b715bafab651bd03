export { API_THROTTLE, ApiStack, type ApiStackProps } from "./api-stack";
export { buildApp, type PledgewatchApp } from "./app";
export { CAPTURE_EVENT_SOURCE, CAPTURE_TIMEOUT, CaptureStack, captureBundleFiles } from "./capture-stack";
export {
  type BindTableOptions,
  NODE_RUNTIME,
  NodeFunction,
  type NodeFunctionProps,
} from "./constructs/node-function";
export { DOCUMENT_FONT_FILES, documentFontBundleFiles } from "./fonts";
export {
  ALARM_EMAIL_CONTEXT,
  ALARM_RULES,
  ALARM_TOPIC_CONTEXT,
  DEFAULT_ALARM_TOPIC,
  OperationsStack,
  type OperationsStackProps,
} from "./operations-stack";
export {
  type BindPlatformOptions,
  bindPlatform,
  DEFAULT_MAIL_FROM,
  MAIL_FROM_CONTEXT,
  PLATFORM_ENVIRONMENT,
  resolveMailFrom,
} from "./platform";
export {
  checkVisibilityTimeout,
  DOCUMENT_RETENTION,
  STAFF_GROUPS,
  type StatefulResources,
  StatefulStack,
  VISIBILITY_TIMEOUT_FACTOR,
  WORK_QUEUE_VISIBILITY_TIMEOUT,
  WORK_QUEUES,
  type WorkQueue,
  type WorkQueueName,
} from "./stateful-stack";
export { JOBS_EVENT_SOURCE, JOBS_TIMEOUT, WorkersStack, type WorkersStackProps } from "./workers-stack";
