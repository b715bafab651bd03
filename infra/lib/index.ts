export { API_THROTTLE, ApiStack, type ApiStackProps } from "./api-stack";
export { buildApp, type PledgewatchApp } from "./app";
export {
  type BindTableOptions,
  NODE_RUNTIME,
  NodeFunction,
  type NodeFunctionProps,
} from "./constructs/node-function";
export { type BindPlatformOptions, bindPlatform, PLATFORM_ENVIRONMENT } from "./platform";
export {
  checkVisibilityTimeout,
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
