export * from "./engine";
export * from "./labelled";
export * from "./matcher";
export * from "./normalize";
export * from "./price";
export * from "./quality";
export * from "./seed/index";
