import type { Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";

type Json = unknown;
interface Resource {
  Type: string;
  Properties?: Record<string, Json>;
}

/** A logical id without CDK's 8-character hash: "MainTable74195DAB" → "MainTable". */
const bare = (logicalId: string) => logicalId.replace(/[0-9A-F]{8}$/, "");

/**
 * Every grant of each function's role in the app, one line per action × resource (and condition), in a
 * form a person can read and a test can compare: `s3:GetObject <DocumentsBucket>/evidence/*`. References are
 * written as the bare logical id of what they name, in whichever stack: `<MonitoringTable>/index/gsi1`.
 */
export function grantTable(stacks: readonly Stack[]): Record<string, string[]> {
  const templates = new Map(stacks.map((stack) => [stack.stackName, Template.fromStack(stack).toJSON()]));
  // Exports by name → the value they export (a cross-stack reference resolves through them).
  const exports = new Map<string, Json>();
  for (const template of templates.values()) {
    for (const output of Object.values((template.Outputs ?? {}) as Record<string, Record<string, Json>>)) {
      const name = (output.Export as { Name?: string } | undefined)?.Name;
      if (name) exports.set(name, output.Value);
    }
  }
  const resources = new Map<string, Resource>();
  for (const template of templates.values())
    for (const [id, resource] of Object.entries((template.Resources ?? {}) as Record<string, Resource>))
      resources.set(id, resource);

  const text = (value: Json): string => {
    if (typeof value === "string") return value;
    if (Array.isArray(value)) return value.map(text).join(",");
    if (value && typeof value === "object") {
      const [fn, arg] = Object.entries(value)[0] ?? [];
      if (fn === "Ref") return String(arg).startsWith("AWS::") ? `\${${arg}}` : `<${bare(String(arg))}>`;
      if (fn === "Fn::GetAtt") {
        const [id, attribute] = arg as [string, string];
        return attribute === "Arn" ? `<${bare(id)}>` : `<${bare(id)}.${attribute}>`;
      }
      if (fn === "Fn::Join") {
        const [separator, parts] = arg as [string, Json[]];
        return parts.map(text).join(separator);
      }
      if (fn === "Fn::GetStackOutput") {
        const { StackName, OutputName } = arg as { StackName: string; OutputName: string };
        const output = (templates.get(StackName)?.Outputs as Record<string, { Value: Json }> | undefined)?.[
          OutputName
        ];
        if (!output) throw new Error(`no output ${OutputName} of ${StackName}`);
        return text(output.Value);
      }
      if (fn === "Fn::ImportValue") {
        const resolved = exports.get(text(arg));
        if (resolved === undefined) throw new Error(`no export ${text(arg)}`);
        return text(resolved);
      }
      if (fn === "Fn::Select" || fn === "Fn::Split") return JSON.stringify(value);
    }
    return JSON.stringify(value);
  };
  // ARNs the CDK spells out with the partition, region and account read as `arn:…:service:…`.
  const arn = (resource: string) =>
    resource.replace(/^arn:\$\{AWS::Partition\}:([a-z0-9-]+):\$\{AWS::Region\}:\$\{AWS::AccountId\}:/, "$1:");

  const lines = (statement: Record<string, Json>): string[] => {
    const actions = ([] as Json[]).concat(statement.Action ?? []).map(text);
    const targets = ([] as Json[]).concat(statement.Resource ?? []).map((r) => arn(text(r)));
    const condition = statement.Condition ? ` if ${JSON.stringify(statement.Condition)}` : "";
    const effect = statement.Effect === "Allow" ? "" : `${String(statement.Effect)} `;
    return actions.flatMap((action) => targets.map((target) => `${effect}${action} ${target}${condition}`));
  };
  const statementsOf = (document: Json) =>
    ((document as { Statement?: Record<string, Json>[] }).Statement ?? []).flatMap(lines);

  const table: Record<string, string[]> = {};
  for (const [id, resource] of resources) {
    if (resource.Type !== "AWS::Lambda::Function") continue;
    const roleId = bare(text(resource.Properties?.Role).replace(/^<|>$/g, ""));
    const grants: string[] = [];
    for (const [otherId, other] of resources) {
      // Inline policies attached to the role.
      if (other.Type === "AWS::IAM::Policy") {
        const roles = ((other.Properties?.Roles ?? []) as Json[]).map((r) => text(r).replace(/^<|>$/g, ""));
        if (roles.some((r) => bare(r) === roleId))
          grants.push(...statementsOf(other.Properties?.PolicyDocument));
      }
      // The role itself: its managed policies (ours, resolved; AWS's, by name) and inline ones.
      if (other.Type === "AWS::IAM::Role" && bare(otherId) === roleId) {
        for (const managed of (other.Properties?.ManagedPolicyArns ?? []) as Json[]) {
          const name = text(managed);
          const policy = resources.get(
            [...resources.keys()].find(
              (key) => `<${bare(key)}>` === name && resources.get(key)?.Type === "AWS::IAM::ManagedPolicy",
            ) ?? "",
          );
          if (policy) grants.push(...statementsOf(policy.Properties?.PolicyDocument));
          else grants.push(`managed ${name}`);
        }
        for (const inline of (other.Properties?.Policies ?? []) as { PolicyDocument: Json }[])
          grants.push(...statementsOf(inline.PolicyDocument));
      }
    }
    const description = String(resource.Properties?.Description ?? id);
    table[description] = [...new Set(grants)].sort();
  }
  return table;
}
