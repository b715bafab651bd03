export * from "./compose";
