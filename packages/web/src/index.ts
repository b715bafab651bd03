export { type App, createApp } from "./app";
export { createDocsAssetReader } from "./docs-assets";
export type { AppEnv, Logger, WebDeps } from "./env";
export { VIETNAMESE_EMAILS } from "./i18n/emails";
export { cookieNames } from "./middleware";
export { ruleToValues } from "./pages/rule-form";
export { type ClientLimits, DEFAULT_CLIENT_LIMITS } from "./routes/rate-limit";
