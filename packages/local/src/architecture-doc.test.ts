import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// docs/architecture.md walks one request and one task through the code file by file: the files and the
// functions it names must exist, so the walk cannot drift from the code unnoticed.
const root = join(import.meta.dirname, "../../..");
const doc = readFileSync(join(root, "docs/architecture.md"), "utf8");
const ticked = [...doc.matchAll(/`([^`\n]+)`/g)].map((m) => m[1] as string);

function sourceText(dir: string): string {
  let text = "";
  for (const entry of readdirSync(dir)) {
    if (entry === "node_modules" || entry === "cdk.out") continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) text += sourceText(path);
    else if (/\.tsx?$/.test(entry)) text += readFileSync(path, "utf8");
  }
  return text;
}

describe("docs/architecture.md", () => {
  it("names only files that exist", () => {
    const files = ticked.filter((t) => /^(packages|functions|infra|test)\/[\w./-]+\.tsx?$/.test(t));
    expect(files.length).toBeGreaterThan(30);
    expect(files.filter((f) => !existsSync(join(root, f)))).toEqual([]);
  });

  it("names in its walks only functions the code defines", () => {
    const walks = ["## Following one request, file by file", "## Following one background task, file by file"]
      .map((heading) => {
        const start = doc.indexOf(heading);
        expect(start, heading).toBeGreaterThanOrEqual(0);
        return doc.slice(start, doc.indexOf("\n## ", start + heading.length));
      })
      .join("\n");
    const names = [...walks.matchAll(/`([a-z][A-Za-z]+)(?:\([^`]*\))?`/g)].map((m) => m[1] as string);
    const code = ["packages", "functions"].map((d) => sourceText(join(root, d))).join("\n");
    const missing = [...new Set(names)].filter(
      (name) => !new RegExp(`(function|const|let)\\s+${name}\\b|\\b${name}\\s*[(:]`).test(code),
    );
    expect(names.length).toBeGreaterThan(10);
    expect(missing).toEqual([]);
  });
});
