export * from "./contracts";
export * from "./memory";
