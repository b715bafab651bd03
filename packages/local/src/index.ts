export * from "./documents";
export * from "./dynamodb-local";
export * from "./ports";
export * from "./seed/demo-parties";
export * from "./seed/demo-staff";
export * from "./seed/seed";
export * from "./server";
export * from "./tables";
