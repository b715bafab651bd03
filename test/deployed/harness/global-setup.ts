import type { TestProject } from "vitest/node";
import { type DeploymentDescription, deploy } from "./deployment";

declare module "vitest" {
  export interface ProvidedContext {
    deployment: DeploymentDescription;
  }
}

/** One synthesized app and one set of stand-ins for the whole deployed run; each file starts its functions. */
export default async function setup(project: TestProject) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
  const deployment = await deploy();
  project.provide("deployment", deployment.description);
  return () => deployment.stop();
}
