import type { PageRenderer } from "@pledgewatch/core";
import { createPlatform } from "@pledgewatch/platform";
import { awsPlatformSettings } from "./platform";

/** The whole platform, web app included, as the API function builds it once per execution environment. */
export function platformFromEnvironment(serviceName: string, options: { renderer?: PageRenderer } = {}) {
  const settings = awsPlatformSettings(serviceName, options);
  return { platform: createPlatform(settings), logger: settings.logger };
}
