import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type CloudAssembly, type DeployedFunction, readAssembly, resolveValue } from "./assembly";
import { LambdaEnvironment } from "./lambda";
import { PSEUDO_PARAMETERS, startStandIns } from "./stand-ins";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));

/** The four functions of the app, by the start of their logical id in the templates. */
export const FUNCTIONS = {
  api: "ApiFunction",
  jobs: "JobsFunction",
  dispatch: "DispatchFunction",
  capture: "CaptureFunction",
} as const;
export type FunctionName = keyof typeof FUNCTIONS;

export interface Deployment {
  assembly: CloudAssembly;
  /** AWS_ENDPOINT_URL_* of each stand-in. */
  endpoints: Record<string, string>;
  fn(name: FunctionName): DeployedFunction;
  /** The function's environment as Lambda would set it: the template's variables, resolved. */
  environment(name: FunctionName): Record<string, string>;
  /** A cold start of the function: a new execution environment. */
  start(name: FunctionName, extra?: Record<string, string>): Promise<LambdaEnvironment>;
  /** The physical value (Ref, or an attribute) of a resource of a stack, by the start of its logical id. */
  resource(stack: string, idPrefix: string, attribute?: string): string;
  /** A stack output's value, as `aws cloudformation describe-stacks` gives it to the operator. */
  output(stack: string, name: string): string;
  /** Ends the execution environments this file started. */
  stop(): Promise<void>;
}

/** What the global setup hands the test files: the synthesized app and where the stand-ins are. */
export interface DeploymentDescription {
  dir: string;
  endpoints: Record<string, string>;
  physical: [string, { ref: string; attributes: Record<string, string> }][];
}

/**
 * Synthesizes the CDK app into a fresh folder (`cdk synth`, bundling each function with esbuild as a
 * deployment does), starts the AWS stand-ins and creates the stateful stack's resources in them.
 */
export async function deploy(): Promise<{ description: DeploymentDescription; stop(): Promise<void> }> {
  const out = mkdtempSync(join(tmpdir(), "pledgewatch-cdk-out-"));
  execFileSync("npx", ["cdk", "synth", "--quiet", "--output", out], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "pipe"],
  });
  const standIns = await startStandIns(readAssembly(out));
  return {
    description: { dir: out, endpoints: standIns.endpoints, physical: [...standIns.physical] },
    async stop() {
      await standIns.stop();
      rmSync(out, { recursive: true, force: true });
    },
  };
}

/** The deployment as one test file uses it: its functions' cold starts, its resources. */
export function connect(description: DeploymentDescription): Deployment {
  const assembly = readAssembly(description.dir);
  const physical = new Map(description.physical);
  const environments: LambdaEnvironment[] = [];
  const fn = (name: FunctionName) => {
    const found = assembly.functions.filter((f) => f.logicalId.startsWith(FUNCTIONS[name]));
    if (found.length !== 1)
      throw new Error(`expected one ${FUNCTIONS[name]} in the templates, found ${found.length}`);
    return found[0] as DeployedFunction;
  };
  const environment = (name: FunctionName) => {
    const f = fn(name);
    return Object.fromEntries(
      Object.entries(f.environment).map(([key, value]) => [
        key,
        resolveValue(assembly, f.stack, value, physical, PSEUDO_PARAMETERS),
      ]),
    );
  };
  return {
    assembly,
    endpoints: description.endpoints,
    fn,
    environment,
    async start(name, extra = {}) {
      const env = await LambdaEnvironment.start(fn(name), `pledgewatch-${name}`, {
        ...environment(name),
        ...description.endpoints,
        ...extra,
      });
      environments.push(env);
      return env;
    },
    resource(stack, idPrefix, attribute) {
      const key = [...physical.keys()].find((k) => k.startsWith(`${stack}/${idPrefix}`));
      const found = key ? physical.get(key) : undefined;
      if (!found) throw new Error(`no resource ${stack}/${idPrefix}*`);
      return attribute ? (found.attributes[attribute] as string) : found.ref;
    },
    output(stack, name) {
      const output = assembly.templates[stack]?.Outputs?.[name];
      if (!output) throw new Error(`no output ${stack}.${name}`);
      return resolveValue(assembly, stack, output.Value, physical, PSEUDO_PARAMETERS);
    },
    async stop() {
      await Promise.all(environments.map((e) => e.stop()));
    },
  };
}
