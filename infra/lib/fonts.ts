import { createRequire } from "node:module";
import type { BundledFile } from "./constructs/node-function";
import { fromRoot } from "./paths";

/**
 * The Noto Sans files the signed documents embed. Must match FONT_FILES of packages/documents/src/fonts.ts
 * (same specifiers and file names; infra/test checks it): packages/documents reads them from
 * `${LAMBDA_TASK_ROOT}/fonts/<file>` in Lambda, where there is no node_modules. Kept here rather than
 * imported so that synthesis does not load the documents package.
 */
export const DOCUMENT_FONT_FILES = [
  {
    specifier: "@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf",
    file: "NotoSans_400Regular.ttf",
  },
  {
    specifier: "@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf",
    file: "NotoSans_700Bold.ttf",
  },
  {
    specifier: "@expo-google-fonts/noto-sans/400Regular_Italic/NotoSans_400Regular_Italic.ttf",
    file: "NotoSans_400Regular_Italic.ttf",
  },
] as const;

/** Resolves a font the way packages/documents does at run time (Node resolution from that package). */
export function documentFontPath(specifier: string): string {
  return createRequire(fromRoot("packages", "documents", "package.json")).resolve(specifier);
}

/** The fonts as files copied into a function's bundle, to `fonts/<file>`. */
export function documentFontBundleFiles(): BundledFile[] {
  return DOCUMENT_FONT_FILES.map(({ specifier, file }) => ({
    from: documentFontPath(specifier),
    to: `fonts/${file}`,
  }));
}
