import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The repository root: the folder holding package-lock.json. Resolved from this file's location (not the
 * current directory) so the CDK CLI, vitest and an editor agree on it.
 */
function findRepoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, "package-lock.json")) && existsSync(join(dir, "infra"))) return dir;
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error("infra: cannot find the repository root (no package-lock.json above infra/lib)");
    dir = parent;
  }
}

export const REPO_ROOT = findRepoRoot();
export const LOCK_FILE = join(REPO_ROOT, "package-lock.json");

/** Absolute path of a file given relative to the repository root. */
export function fromRoot(...segments: string[]): string {
  return join(REPO_ROOT, ...segments);
}
