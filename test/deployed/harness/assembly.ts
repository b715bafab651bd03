import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** A CloudFormation template as `cdk synth` writes it: only the parts the harness reads. */
export interface Template {
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
  Outputs?: Record<string, { Value: unknown }>;
}

/** A Lambda function of the synthesized app: what Lambda would load and how it would run it. */
export interface DeployedFunction {
  stack: string;
  logicalId: string;
  /** The asset folder in cdk.out: the files of the function's zip, as Lambda unpacks them to /var/task. */
  assetDir: string;
  handler: string;
  runtime: string;
  timeoutSeconds: number;
  memoryMb: number;
  /** The environment as the template gives it (strings and references to resolve). */
  environment: Record<string, unknown>;
}

export interface EventSourceMapping {
  stack: string;
  functionLogicalId: string;
  eventSourceArn: unknown;
  batchSize: number;
  reportsBatchItemFailures: boolean;
}

export interface CloudAssembly {
  dir: string;
  templates: Record<string, Template>;
  functions: DeployedFunction[];
  eventSources: EventSourceMapping[];
}

/** Reads the stacks, functions and SQS event sources of a cloud assembly (the output of `cdk synth`). */
export function readAssembly(dir: string): CloudAssembly {
  const templates: Record<string, Template> = {};
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".template.json"))) {
    templates[file.replace(/\.template\.json$/, "")] = JSON.parse(readFileSync(join(dir, file), "utf8"));
  }
  const functions: DeployedFunction[] = [];
  const eventSources: EventSourceMapping[] = [];
  for (const [stack, template] of Object.entries(templates)) {
    for (const [logicalId, resource] of Object.entries(template.Resources)) {
      const p = resource.Properties ?? {};
      if (resource.Type === "AWS::Lambda::Function") {
        const key = (p.Code as { S3Key?: string } | undefined)?.S3Key;
        if (!key?.endsWith(".zip")) throw new Error(`${stack}/${logicalId}: code is not a zip asset`);
        const assetDir = join(dir, `asset.${key.replace(/\.zip$/, "")}`);
        if (!existsSync(assetDir)) throw new Error(`${stack}/${logicalId}: asset ${assetDir} is missing`);
        functions.push({
          stack,
          logicalId,
          assetDir,
          handler: String(p.Handler),
          runtime: String(p.Runtime),
          timeoutSeconds: Number(p.Timeout ?? 3),
          memoryMb: Number(p.MemorySize ?? 128),
          environment:
            (p.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {},
        });
      }
      if (resource.Type === "AWS::Lambda::EventSourceMapping") {
        const fn = (p.FunctionName as { Ref?: string }).Ref;
        if (!fn) throw new Error(`${stack}/${logicalId}: FunctionName is not a Ref`);
        eventSources.push({
          stack,
          functionLogicalId: fn,
          eventSourceArn: p.EventSourceArn,
          batchSize: Number(p.BatchSize ?? 10),
          reportsBatchItemFailures: ((p.FunctionResponseTypes as string[]) ?? []).includes(
            "ReportBatchItemFailures",
          ),
        });
      }
    }
  }
  return { dir, templates, functions, eventSources };
}

/** The physical values of provisioned resources: `Ref` and each `Fn::GetAtt` attribute. */
export type PhysicalResources = Map<string, { ref: string; attributes: Record<string, string> }>;

/**
 * Resolves a template value (a string, a Ref, Fn::GetAtt, Fn::GetStackOutput, Fn::Join, Fn::Select,
 * Fn::Split) against the
 * resources the harness provisioned. An unknown reference throws, naming it: the harness never guesses.
 */
export function resolveValue(
  assembly: CloudAssembly,
  stack: string,
  value: unknown,
  physical: PhysicalResources,
  pseudo: Record<string, string>,
): string {
  if (typeof value === "string" || typeof value === "number") return String(value);
  const v = value as Record<string, unknown>;
  if ("Ref" in v) {
    const name = String(v.Ref);
    if (name in pseudo) return pseudo[name] as string;
    const found = physical.get(`${stack}/${name}`);
    if (!found) throw new Error(`unresolved Ref ${stack}/${name}`);
    return found.ref;
  }
  if ("Fn::GetAtt" in v) {
    const [id, attribute] = v["Fn::GetAtt"] as [string, string];
    const found = physical.get(`${stack}/${id}`)?.attributes[attribute];
    if (found === undefined) throw new Error(`unresolved Fn::GetAtt ${stack}/${id}.${attribute}`);
    return found;
  }
  if ("Fn::GetStackOutput" in v) {
    const { StackName, OutputName } = v["Fn::GetStackOutput"] as { StackName: string; OutputName: string };
    const output = assembly.templates[StackName]?.Outputs?.[OutputName];
    if (!output) throw new Error(`unresolved output ${StackName}.${OutputName}`);
    return resolveValue(assembly, StackName, output.Value, physical, pseudo);
  }
  if ("Fn::Join" in v) {
    const [separator, parts] = v["Fn::Join"] as [string, unknown[]];
    return parts.map((part) => resolveValue(assembly, stack, part, physical, pseudo)).join(separator);
  }
  if ("Fn::Select" in v) {
    // Its list is an Fn::Split here (CDK's secret name, parsed from the ARN): resolved to a JSON array.
    const [index, list] = v["Fn::Select"] as [number, unknown];
    const items = JSON.parse(resolveValue(assembly, stack, list, physical, pseudo)) as string[];
    const item = items[index];
    if (item === undefined) throw new Error(`Fn::Select ${index} out of ${JSON.stringify(items)}`);
    return item;
  }
  if ("Fn::Split" in v) {
    const [separator, source] = v["Fn::Split"] as [string, unknown];
    return JSON.stringify(resolveValue(assembly, stack, source, physical, pseudo).split(separator));
  }
  throw new Error(`unsupported template value ${JSON.stringify(value).slice(0, 200)}`);
}
