export { createTaskDispatcher, DISPATCH_TASK, defineTask } from "@pledgewatch/core";
export * from "./app";
export * from "./compose";
export * from "./in-process-tasks";
export * from "./repositories";
