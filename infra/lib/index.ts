export { API_THROTTLE, ApiStack, type ApiStackProps } from "./api-stack";
export { buildApp, type PledgewatchApp } from "./app";
export {
  type BindTableOptions,
  NODE_RUNTIME,
  NodeFunction,
  type NodeFunctionProps,
} from "./constructs/node-function";
export {
  STAFF_GROUPS,
  type StatefulResources,
  StatefulStack,
  WORK_QUEUES,
  type WorkQueue,
  type WorkQueueName,
} from "./stateful-stack";
