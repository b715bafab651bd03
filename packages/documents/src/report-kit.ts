/**
 * What the report documents share (the coverage report, the review reports): the national motto and
 * title, section headings, ruled tables that repeat their header on a new page, the signature block, page
 * footers, a clipped excerpt of a screenshot, and embedding the used glyphs (a Noto Sans subset) on save.
 */
import fontkit from "@pdf-lib/fontkit";
import {
  clip,
  concatTransformationMatrix,
  drawObject,
  endPath,
  PDFDocument,
  type PDFImage,
  type PDFPage,
  popGraphicsState,
  pushGraphicsState,
  rectangle,
} from "pdf-lib";
import { A4, CONTENT_WIDTH, type Flow, MARGIN } from "./layout";
import { drawOps, embedUsedFonts } from "./render";
import { cleanMetadata, vietnamLongDate } from "./text";

export const formatCount = (n: number) => n.toLocaleString("vi-VN");

export function nationalHeader(flow: Flow): void {
  flow.paragraph("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", { style: "bold", size: 11, align: "center" });
  flow.paragraph("Độc lập – Tự do – Hạnh phúc", { style: "bold", size: 11, align: "center", after: 14 });
}

export function heading(flow: Flow, text: string): void {
  flow.space(6);
  flow.paragraph(text, { style: "bold", size: 12, after: 4 });
}

export interface Column {
  title: string;
  width: number;
}

/** A ruled table; its header is drawn again at the top of each new page. */
export function table(flow: Flow, columns: readonly Column[], rows: readonly string[][]): void {
  const xs: number[] = [];
  let x = MARGIN.left;
  for (const c of columns) {
    xs.push(x);
    x += c.width;
  }
  const header = () =>
    flow.row(
      columns.map((c, i) => ({
        text: c.title,
        x: xs[i] ?? 0,
        width: c.width - 6,
        style: "bold" as const,
        size: 9,
      })),
      { padding: 2, rule: true },
    );
  header();
  for (const row of rows) {
    flow.row(
      row.map((text, i) => ({ text, x: xs[i] ?? 0, width: (columns[i]?.width ?? 60) - 6, size: 9 })),
      { padding: 2, rule: true, beforeBreak: header },
    );
  }
  flow.space(6);
}

/**
 * A numbered list as a table, cut at `max` rows (the rest is in the XLSX: `rest(n)` says so), or the
 * `empty` sentence when there is nothing to list.
 */
export function listTable(
  flow: Flow,
  list: {
    columns: readonly Column[];
    rows: readonly string[][];
    max: number;
    empty: string;
    rest: (n: number) => string;
  },
): void {
  if (list.rows.length === 0) {
    flow.paragraph(list.empty, { size: 10, after: 4 });
    return;
  }
  const shown = list.rows.slice(0, list.max);
  table(
    flow,
    [{ title: "STT", width: 28 }, ...list.columns],
    shown.map((row, i) => [String(i + 1), ...row]),
  );
  if (list.rows.length > shown.length)
    flow.paragraph(list.rest(list.rows.length - shown.length), { size: 10, style: "italic", after: 4 });
}

/** Label → value rows (the report's summary figures, the quick report's fields). */
export function fieldTable(flow: Flow, rows: readonly [string, string][], labelWidth = 170): void {
  table(
    flow,
    [
      { title: "Nội dung", width: labelWidth },
      { title: "Chi tiết", width: CONTENT_WIDTH - labelWidth },
    ],
    rows.map(([label, value]) => [label, value]),
  );
}

/** The date line and the signer's title on the right half, kept together. */
export function signatureBlock(flow: Flow, at: Date, title: string): void {
  flow.ensure(120);
  flow.space(14);
  const half = {
    x: MARGIN.left + CONTENT_WIDTH * 0.35,
    width: CONTENT_WIDTH * 0.65,
    align: "center" as const,
  };
  flow.paragraph(`……, ${vietnamLongDate(at)}`, { ...half, style: "italic", size: 11 });
  flow.paragraph(title, { ...half, style: "bold", size: 10 });
  flow.paragraph("(Ký, ghi rõ họ tên và đóng dấu)", { ...half, style: "italic", size: 10, after: 60 });
}

/** "<text> – Trang n/N" at the foot of every page. */
export function pageFooters(flow: Flow, text: string): void {
  const total = flow.pages.length;
  const small = { style: "regular" as const, size: 8, gray: 0.4 };
  for (let page = 0; page < total; page++) {
    const line = flow.prepare(`${text} – Trang ${page + 1}/${total}`);
    flow.drawText(line, A4.width - MARGIN.right - flow.width(line, "regular", 8), 34, small, 0, page);
  }
}

/** Where a screenshot excerpt was laid out: drawn once the document exists (see `savePdf`). */
export interface PlacedImage {
  png: Uint8Array;
  x: number;
  top: number;
  width: number;
  height: number;
  page: number;
  /** The image's own size in pixels. */
  pixels: { width: number; height: number };
}

/** The pixel size of a PNG (its IHDR), or null when it is not one. */
export function pngSize(png: Uint8Array): { width: number; height: number } | null {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (png.length < 24 || signature.some((b, i) => png[i] !== b)) return null;
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  return width > 0 && height > 0 ? { width, height } : null;
}

/**
 * Reserves room for the top of a screenshot, the content width wide and at most `maxHeight` tall (a
 * full-page screenshot is much taller than a page: the rest is clipped). Null for anything not a PNG.
 */
export function placeScreenshot(flow: Flow, png: Uint8Array, maxHeight: number): PlacedImage | null {
  const pixels = pngSize(png);
  if (!pixels) return null;
  const width = CONTENT_WIDTH;
  const height = Math.min((pixels.height / pixels.width) * width, maxHeight);
  flow.ensure(height + 4);
  const placed = { png, x: MARGIN.left, top: flow.y, width, height, page: flow.pageIndex, pixels };
  flow.line(MARGIN.left, flow.y - height - 1, MARGIN.left + width, flow.y - height - 1, 0.4, 0.5);
  flow.y -= height + 6;
  return placed;
}

/** Draws a placed screenshot, scaled to its width and clipped to its box. */
export function drawPlacedImage(page: PDFPage, image: PDFImage, placed: Omit<PlacedImage, "png">): void {
  const fullHeight = (image.height / image.width) * placed.width;
  page.pushOperators(
    pushGraphicsState(),
    rectangle(placed.x, placed.top - placed.height, placed.width, placed.height),
    clip(),
    endPath(),
    concatTransformationMatrix(placed.width, 0, 0, fullHeight, placed.x, placed.top - fullHeight),
    drawObject(page.node.newXObject(`Shot${placed.page}`, image.ref)),
    popGraphicsState(),
  );
}

/** Embeds the subset fonts, draws every page (and the placed images), sets the metadata, saves. */
export async function savePdf(
  flow: Flow,
  meta: { title: string; author: string; subject?: string; at: Date },
  images: readonly PlacedImage[] = [],
): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.registerFontkit(fontkit);
  const fonts = await embedUsedFonts(doc, flow);
  const embedded: { placed: PlacedImage; image: PDFImage }[] = [];
  for (const placed of images) {
    try {
      embedded.push({ placed, image: await doc.embedPng(placed.png) });
    } catch {
      // A PNG header on something that does not decode: the report stands without the picture.
    }
  }
  flow.pages.forEach((ops, index) => {
    const page = doc.addPage([A4.width, A4.height]);
    drawOps(page, ops, fonts, undefined);
    for (const { placed, image } of embedded) if (placed.page === index) drawPlacedImage(page, image, placed);
  });
  doc.setTitle(cleanMetadata(meta.title), { showInWindowTitleBar: true });
  doc.setAuthor(cleanMetadata(meta.author));
  if (meta.subject) doc.setSubject(cleanMetadata(meta.subject));
  doc.setProducer("Pledgewatch");
  doc.setCreator("Pledgewatch");
  doc.setLanguage("vi-VN");
  doc.setCreationDate(meta.at);
  doc.setModificationDate(meta.at);
  return doc.save({ useObjectStreams: false });
}
