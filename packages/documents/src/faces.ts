/**
 * The three Noto Sans faces, parsed once: fontkit for the character map and advances, the TrueType tables
 * for subsetting. Every document measures its text here, records which characters each face drew, and
 * embeds a subset of exactly those (see subset.ts).
 */
import { createHash } from "node:crypto";
import fontkit from "@pdf-lib/fontkit";
import { type FontStyle, loadFonts } from "./fonts";
import { parseTrueType, subsetTrueType, type TrueTypeFont } from "./subset";

export interface Face {
  style: FontStyle;
  postscriptName: string;
  ttf: TrueTypeFont;
  unitsPerEm: number;
  /** Glyph id and advance (font units) per code point; null when the font has no glyph for it. */
  glyph(codePoint: number): { gid: number; advance: number } | null;
}

export type Faces = Record<FontStyle, Face>;

function makeFace(style: FontStyle, bytes: Uint8Array): Face {
  const font = fontkit.create(bytes);
  const cache = new Map<number, { gid: number; advance: number } | null>();
  return {
    style,
    postscriptName: font.postscriptName || `NotoSans-${style}`,
    ttf: parseTrueType(bytes),
    unitsPerEm: font.unitsPerEm,
    glyph(codePoint) {
      let entry = cache.get(codePoint);
      if (entry === undefined) {
        entry = null;
        if (font.hasGlyphForCodePoint(codePoint)) {
          const g = font.glyphForCodePoint(codePoint);
          if (g.id > 0) entry = { gid: g.id, advance: g.advanceWidth };
        }
        cache.set(codePoint, entry);
      }
      return entry;
    },
  };
}

const faces = new Map<string, Promise<Faces>>();

export function loadFaces(bundleDir?: string): Promise<Faces> {
  const key = bundleDir ?? "";
  let pending = faces.get(key);
  if (!pending) {
    pending = loadFonts(bundleDir).then((bytes) => ({
      regular: makeFace("regular", bytes.regular),
      bold: makeFace("bold", bytes.bold),
      italic: makeFace("italic", bytes.italic),
    }));
    pending.catch(() => faces.delete(key));
    faces.set(key, pending);
  }
  return pending;
}

/** `text` with every character the face cannot draw replaced by "?". */
export function drawable(face: Face, text: string): string {
  let out = "";
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    out += face.glyph(cp) ? ch : "?";
  }
  return out;
}

/** Width in points of drawable text (see `drawable`) at `size`. */
export function textWidth(face: Face, text: string, size: number): number {
  let units = 0;
  for (const ch of text) units += face.glyph(ch.codePointAt(0) ?? 0)?.advance ?? 0;
  return (units * size) / face.unitsPerEm;
}

/** The characters one face drew in a document, and its subset font made from them. */
export class UsedCharacters {
  readonly map = new Map<number, number>();

  constructor(readonly face: Face) {}

  add(text: string): void {
    for (const ch of text) {
      const cp = ch.codePointAt(0) ?? 0;
      if (this.map.has(cp)) continue;
      const g = this.face.glyph(cp);
      if (g) this.map.set(cp, g.gid);
    }
  }

  /** The subset font, and its PDF name: a tag of six capitals derived from the characters, "+", the name. */
  subset(): { bytes: Uint8Array; name: string } {
    const codePoints = [...this.map.keys()].sort((a, b) => a - b);
    const digest = createHash("sha256")
      .update(`${this.face.style}:${codePoints.join(",")}`)
      .digest();
    const tag = Array.from(digest.subarray(0, 6), (b) => String.fromCharCode(65 + (b % 26))).join("");
    return { bytes: subsetTrueType(this.face.ttf, this.map), name: `${tag}+${this.face.postscriptName}` };
  }
}
