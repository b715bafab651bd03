import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";

/**
 * Reads Swagger UI's files from the swagger-ui-dist package; in a Lambda bundle (no node_modules) from
 * the `swagger-ui/` folder the CDK bundling step copies next to the handler.
 */
export function createDocsAssetReader(bundleDir?: string) {
  const cache = new Map<string, Uint8Array>();
  return async (name: string): Promise<Uint8Array | null> => {
    const cached = cache.get(name);
    if (cached) return cached;
    const candidates: string[] = [];
    if (bundleDir) candidates.push(join(bundleDir, "swagger-ui", name));
    try {
      candidates.push(createRequire(import.meta.url).resolve(`swagger-ui-dist/${name}`));
    } catch {
      // not installed here (Lambda bundle)
    }
    for (const path of candidates) {
      try {
        const body = new Uint8Array(await readFile(path));
        cache.set(name, body);
        return body;
      } catch {
        // try the next place
      }
    }
    return null;
  };
}
