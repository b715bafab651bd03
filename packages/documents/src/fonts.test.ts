import { copyFile, mkdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FONT_FILES, loadFonts } from "./fonts";
import { withTempDir } from "./test-support";

const require = createRequire(import.meta.url);

describe("loadFonts", () => {
  it("lists the three Noto Sans files, which resolve from node_modules", async () => {
    expect(FONT_FILES.map((f) => f.style)).toEqual(["regular", "bold", "italic"]);
    const fonts = await loadFonts();
    for (const f of FONT_FILES) {
      expect(f.specifier.endsWith(`/${f.file}`)).toBe(true);
      const bytes = await readFile(require.resolve(f.specifier));
      expect(Buffer.from(fonts[f.style]).equals(bytes)).toBe(true);
      expect(bytes.readUInt32BE(0)).toBe(0x00010000); // TrueType
    }
  });

  it("reads a Lambda bundle's fonts/ folder first, and node_modules when the folder lacks them", async () => {
    await withTempDir(async (dir) => {
      await mkdir(join(dir, "fonts"));
      // a recognisable stand-in: the bold face under the regular face's name
      const bold = FONT_FILES.find((f) => f.style === "bold");
      const regular = FONT_FILES.find((f) => f.style === "regular");
      if (!bold || !regular) throw new Error("font list incomplete");
      await copyFile(require.resolve(bold.specifier), join(dir, "fonts", regular.file));
      const fonts = await loadFonts(dir);
      expect(Buffer.from(fonts.regular).equals(Buffer.from(fonts.bold))).toBe(true);
      const fallback = await loadFonts(join(dir, "missing"));
      expect(Buffer.from(fallback.regular).equals(Buffer.from(fallback.bold))).toBe(false);
    });
  });
});
