export * from "./browser";
export * from "./extract";
export * from "./process-memory";
export * from "./renderer";
export * from "./safe-fetch";
