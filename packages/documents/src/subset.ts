/**
 * A TrueType subsetter that keeps glyph ids. fontkit's subsetter (what pdf-lib's `subset: true` uses)
 * renumbers glyphs and loses the components of composite glyphs: with Noto Sans most accented Vietnamese
 * letters (ễ, ộ, ự, …) came out blank or as bare accents. Here every glyph keeps its id; the outlines of
 * glyphs not used are emptied (zero-length `glyf` entries), composite glyphs keep their components, and
 * the tables a PDF viewer never reads for an embedded CID font (GSUB, GPOS, GDEF, glyph names, …) are
 * dropped. The `cmap` is rebuilt to map exactly the characters used, so pdf-lib's layout (fontkit over
 * this subset) finds the same glyph for each character as the measuring done on the full font.
 */

export interface TrueTypeFont {
  bytes: Uint8Array;
  tables: Map<string, { offset: number; length: number }>;
  numGlyphs: number;
  /** `glyf` offsets from `loca`, numGlyphs + 1 entries. */
  glyphOffsets: Uint32Array;
}

const view = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

function tag(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at] ?? 0, bytes[at + 1] ?? 0, bytes[at + 2] ?? 0, bytes[at + 3] ?? 0);
}

export function parseTrueType(bytes: Uint8Array): TrueTypeFont {
  const dv = view(bytes);
  const version = dv.getUint32(0);
  if (version !== 0x00010000 && version !== 0x74727565) throw new Error("not a TrueType font");
  const tables = new Map<string, { offset: number; length: number }>();
  const count = dv.getUint16(4);
  for (let i = 0; i < count; i++) {
    const at = 12 + 16 * i;
    tables.set(tag(bytes, at), { offset: dv.getUint32(at + 8), length: dv.getUint32(at + 12) });
  }
  const table = (name: string) => {
    const t = tables.get(name);
    if (!t) throw new Error(`font has no ${name} table`);
    return t;
  };
  const numGlyphs = dv.getUint16(table("maxp").offset + 4);
  const longLoca = dv.getInt16(table("head").offset + 50) === 1;
  const loca = table("loca").offset;
  const glyphOffsets = new Uint32Array(numGlyphs + 1);
  for (let i = 0; i <= numGlyphs; i++) {
    glyphOffsets[i] = longLoca ? dv.getUint32(loca + 4 * i) : dv.getUint16(loca + 2 * i) * 2;
  }
  table("glyf");
  table("hhea");
  table("hmtx");
  return { bytes, tables, numGlyphs, glyphOffsets };
}

function glyphData(font: TrueTypeFont, gid: number): Uint8Array {
  const glyf = font.tables.get("glyf");
  const from = font.glyphOffsets[gid] ?? 0;
  const to = font.glyphOffsets[gid + 1] ?? from;
  if (!glyf || to <= from) return new Uint8Array(0);
  return font.bytes.subarray(glyf.offset + from, glyf.offset + to);
}

/** The glyphs a composite glyph is built from (empty for a simple glyph). */
export function componentGlyphs(font: TrueTypeFont, gid: number): number[] {
  const data = glyphData(font, gid);
  if (data.length < 10) return [];
  const dv = view(data);
  if (dv.getInt16(0) >= 0) return [];
  const components: number[] = [];
  let at = 10;
  for (;;) {
    if (at + 4 > data.length) break;
    const flags = dv.getUint16(at);
    components.push(dv.getUint16(at + 2));
    at += 4;
    at += flags & 0x0001 ? 4 : 2; // ARG_1_AND_2_ARE_WORDS
    if (flags & 0x0008)
      at += 2; // WE_HAVE_A_SCALE
    else if (flags & 0x0040)
      at += 4; // WE_HAVE_AN_X_AND_Y_SCALE
    else if (flags & 0x0080) at += 8; // WE_HAVE_A_TWO_BY_TWO
    if (!(flags & 0x0020)) break; // MORE_COMPONENTS
  }
  return components;
}

/** The glyphs to keep: .notdef, the ones given, and (recursively) their components. */
export function glyphClosure(font: TrueTypeFont, glyphs: Iterable<number>): Set<number> {
  const keep = new Set<number>([0]);
  const queue = [...glyphs];
  while (queue.length > 0) {
    const gid = queue.pop() ?? 0;
    if (gid < 0 || gid >= font.numGlyphs || keep.has(gid)) continue;
    keep.add(gid);
    queue.push(...componentGlyphs(font, gid));
  }
  return keep;
}

/** A format 12 cmap (platform 3, encoding 10) mapping exactly the given characters. */
function buildCmap(map: ReadonlyMap<number, number>): Uint8Array {
  const entries = [...map].sort((a, b) => a[0] - b[0]);
  const groups: [number, number, number][] = [];
  for (const [cp, gid] of entries) {
    const last = groups[groups.length - 1];
    if (last && cp === last[1] + 1 && gid === last[2] + (cp - last[0])) last[1] = cp;
    else groups.push([cp, cp, gid]);
  }
  const subtableLength = 16 + 12 * groups.length;
  const out = new Uint8Array(12 + subtableLength);
  const dv = view(out);
  dv.setUint16(0, 0); // version
  dv.setUint16(2, 1); // one encoding record
  dv.setUint16(4, 3); // Windows
  dv.setUint16(6, 10); // Unicode full repertoire
  dv.setUint32(8, 12);
  dv.setUint16(12, 12); // format 12
  dv.setUint32(16, subtableLength);
  dv.setUint32(20, 0); // language
  dv.setUint32(24, groups.length);
  groups.forEach(([start, end, gid], i) => {
    dv.setUint32(28 + 12 * i, start);
    dv.setUint32(32 + 12 * i, end);
    dv.setUint32(36 + 12 * i, gid);
  });
  return out;
}

function checksum(data: Uint8Array): number {
  let sum = 0;
  const padded =
    data.length % 4 === 0
      ? data
      : Uint8Array.from({ length: data.length + 4 - (data.length % 4) }, (_, i) => data[i] ?? 0);
  const dv = view(padded);
  for (let i = 0; i < padded.length; i += 4) sum = (sum + dv.getUint32(i)) >>> 0;
  return sum;
}

/** Tables copied unchanged, when the font has them. */
const KEPT_TABLES = ["OS/2", "cvt ", "fpgm", "gasp", "hhea", "maxp", "name", "prep"];

/**
 * A subset of `font` that draws the characters in `characters` (code point → glyph id in `font`).
 * Glyph ids are unchanged, so widths and glyph ids measured on the full font stay valid.
 */
export function subsetTrueType(font: TrueTypeFont, characters: ReadonlyMap<number, number>): Uint8Array {
  const { bytes, tables, numGlyphs } = font;
  const keep = glyphClosure(font, characters.values());
  const slice = (name: string) => {
    const t = tables.get(name);
    return t ? bytes.slice(t.offset, t.offset + t.length) : undefined;
  };

  // glyf and a long-format loca: kept glyphs copied (4-byte aligned), the others empty.
  const glyfParts: Uint8Array[] = [];
  const loca = new Uint8Array(4 * (numGlyphs + 1));
  const locaView = view(loca);
  let glyfLength = 0;
  for (let gid = 0; gid < numGlyphs; gid++) {
    locaView.setUint32(4 * gid, glyfLength);
    if (!keep.has(gid)) continue;
    const data = glyphData(font, gid);
    if (data.length === 0) continue;
    const padded = new Uint8Array(Math.ceil(data.length / 4) * 4);
    padded.set(data);
    glyfParts.push(padded);
    glyfLength += padded.length;
  }
  locaView.setUint32(4 * numGlyphs, glyfLength);
  const glyf = new Uint8Array(glyfLength);
  let at = 0;
  for (const part of glyfParts) {
    glyf.set(part, at);
    at += part.length;
  }

  // hmtx: metrics of unused glyphs zeroed (they compress to nothing); the last long metric is kept, as
  // glyphs after it take their advance from it.
  const hmtx = slice("hmtx") ?? new Uint8Array(0);
  const hhea = slice("hhea") ?? new Uint8Array(36);
  const longMetrics = view(hhea).getUint16(34);
  for (let gid = 0; gid < numGlyphs; gid++) {
    if (keep.has(gid) || gid === longMetrics - 1) continue;
    const offset = gid < longMetrics ? 4 * gid : 4 * longMetrics + 2 * (gid - longMetrics);
    const size = gid < longMetrics ? 4 : 2;
    if (offset + size <= hmtx.length) hmtx.fill(0, offset, offset + size);
  }

  // head: long loca; checkSumAdjustment set at the end.
  const head = slice("head") ?? new Uint8Array(54);
  view(head).setInt16(50, 1);
  view(head).setUint32(8, 0);

  // post: version 3 (no glyph names), the metrics of the original kept.
  const post = new Uint8Array(32);
  const originalPost = slice("post");
  if (originalPost) post.set(originalPost.subarray(0, 32));
  view(post).setUint32(0, 0x00030000);

  const out = new Map<string, Uint8Array>();
  for (const name of KEPT_TABLES) {
    const t = slice(name);
    if (t) out.set(name, t);
  }
  out.set("cmap", buildCmap(characters));
  out.set("glyf", glyf);
  out.set("head", head);
  out.set("hmtx", hmtx);
  out.set("loca", loca);
  out.set("post", post);

  const names = [...out.keys()].sort();
  const headerLength = 12 + 16 * names.length;
  let total = headerLength;
  for (const name of names) total += Math.ceil((out.get(name)?.length ?? 0) / 4) * 4;
  const file = new Uint8Array(total);
  const dv = view(file);
  const entrySelector = Math.floor(Math.log2(names.length));
  dv.setUint32(0, 0x00010000);
  dv.setUint16(4, names.length);
  dv.setUint16(6, 16 * 2 ** entrySelector);
  dv.setUint16(8, entrySelector);
  dv.setUint16(10, 16 * names.length - 16 * 2 ** entrySelector);
  let offset = headerLength;
  let headOffset = 0;
  names.forEach((name, i) => {
    const data = out.get(name) ?? new Uint8Array(0);
    const record = 12 + 16 * i;
    for (let c = 0; c < 4; c++) file[record + c] = name.charCodeAt(c);
    dv.setUint32(record + 4, checksum(data));
    dv.setUint32(record + 8, offset);
    dv.setUint32(record + 12, data.length);
    file.set(data, offset);
    if (name === "head") headOffset = offset;
    offset += Math.ceil(data.length / 4) * 4;
  });
  dv.setUint32(headOffset + 8, (0xb1b0afba - checksum(file)) >>> 0);
  return file;
}
