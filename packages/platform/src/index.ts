export * from "./compose";
export * from "./in-process-tasks";
