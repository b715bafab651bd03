import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";

export type FontStyle = "regular" | "bold" | "italic";

/**
 * The Noto Sans files the documents use (SIL Open Font License 1.1, from @expo-google-fonts/noto-sans):
 * `specifier` resolves them from node_modules; a Lambda bundle has no node_modules, so its bundling step
 * copies each to `<bundleDir>/fonts/<file>`.
 */
export const FONT_FILES: readonly { style: FontStyle; specifier: string; file: string }[] = [
  {
    style: "regular",
    specifier: "@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf",
    file: "NotoSans_400Regular.ttf",
  },
  {
    style: "bold",
    specifier: "@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf",
    file: "NotoSans_700Bold.ttf",
  },
  {
    style: "italic",
    specifier: "@expo-google-fonts/noto-sans/400Regular_Italic/NotoSans_400Regular_Italic.ttf",
    file: "NotoSans_400Regular_Italic.ttf",
  },
];

export type FontBytes = Record<FontStyle, Uint8Array>;

const cache = new Map<string, Promise<FontBytes>>();

async function readFirst(paths: string[]): Promise<Uint8Array> {
  const failures: string[] = [];
  for (const path of paths) {
    try {
      return new Uint8Array(await readFile(path));
    } catch (error) {
      failures.push(`${path}: ${(error as Error).message}`);
    }
  }
  throw new Error(`font file not found (${failures.join("; ") || "no candidate path"})`);
}

async function loadAll(bundleDir: string | undefined): Promise<FontBytes> {
  const require = createRequire(import.meta.url);
  const entries = await Promise.all(
    FONT_FILES.map(async (font) => {
      const candidates: string[] = [];
      if (bundleDir) candidates.push(join(bundleDir, "fonts", font.file));
      try {
        candidates.push(require.resolve(font.specifier));
      } catch {
        // not installed here (Lambda bundle)
      }
      return [font.style, await readFirst(candidates)] as const;
    }),
  );
  return Object.fromEntries(entries) as FontBytes;
}

/** The TTF bytes of every style, read once per bundleDir and kept. Rejects when a file is missing. */
export function loadFonts(bundleDir?: string): Promise<FontBytes> {
  const key = bundleDir ?? "";
  let pending = cache.get(key);
  if (!pending) {
    pending = loadAll(bundleDir);
    // A failed read is not cached: a later call tries again.
    pending.catch(() => cache.delete(key));
    cache.set(key, pending);
  }
  return pending;
}
