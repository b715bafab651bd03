export * from "./engine";
export * from "./labelled";
export * from "./matcher";
export * from "./normalize";
export * from "./own-set";
export * from "./price";
export * from "./quality";
export * from "./seed/index";
