import { createApp, createDocsAssetReader, type WebDeps } from "@pledgewatch/web";
import { createPlatformServices, type PlatformSettings } from "./compose";

/**
 * The whole platform: its services (./compose.ts) and the web app over them, what the API function and
 * `npm start` serve.
 */
export function createPlatform(settings: PlatformSettings) {
  const services = createPlatformServices(settings);
  const deps: WebDeps = { ...services.webDeps, readDocsAsset: createDocsAssetReader(settings.bundleDir) };
  return { ...services, deps, app: createApp(deps) };
}

export type Platform = ReturnType<typeof createPlatform>;
