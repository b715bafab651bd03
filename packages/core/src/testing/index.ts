export * from "./contracts";
export * from "./emails";
export * from "./memory";
