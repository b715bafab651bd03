import type { TestProject } from "vitest/node";
import type { DeploymentDescription } from "./deployment";

declare module "vitest" {
  export interface ProvidedContext {
    deployment: DeploymentDescription;
  }
}

/** The Node major the functions run on (their runtime, nodejs24.x) and the stand-ins need (node:sqlite). */
const NODE_MAJOR = 24;

/** One synthesized app and one set of stand-ins for the whole deployed run; each file starts its functions. */
export default async function setup(project: TestProject) {
  const here = Number(process.versions.node.split(".")[0]);
  if (here < NODE_MAJOR) {
    // Said before anything is imported: the stand-ins' own imports fail on an older Node with an error
    // about a missing built-in module that does not name the cause.
    throw new Error(
      `The deployed tests run on Node ${NODE_MAJOR} (the functions' runtime) and this is Node ${process.versions.node}: install it as README "Quick start" says`,
    );
  }
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
  const { deploy } = await import("./deployment");
  const deployment = await deploy();
  project.provide("deployment", deployment.description);
  return () => deployment.stop();
}
