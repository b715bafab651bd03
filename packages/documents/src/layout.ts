/**
 * A small page-layout engine: wraps text with measured widths, breaks pages, and records what to draw as
 * plain operations per page. Nothing is drawn here; render.ts turns the operations into PDF content once
 * the number of pages is known (for "Trang x/y") and the fonts are subset to the characters used.
 */

import { drawable, type Face, type Faces, textWidth, UsedCharacters } from "./faces";
import type { FontStyle } from "./fonts";
import { cleanText } from "./text";

export const A4 = { width: 595.28, height: 841.89 } as const;
/** Left 30 mm, right 20 mm (Nghị định 30/2020/NĐ-CP asks for 30–35 and 15–20), 22 mm top and bottom. */
export const MARGIN = { left: 85, right: 57, top: 62, bottom: 62 } as const;
export const CONTENT_WIDTH = A4.width - MARGIN.left - MARGIN.right;

export type Align = "left" | "center" | "right" | "justify";

export interface TextOp {
  kind: "text";
  x: number;
  y: number;
  text: string;
  style: FontStyle;
  size: number;
  gray: number;
  /** Extra space added after each space character (justified lines), in points. */
  wordSpacing: number;
}

export interface LineOp {
  kind: "line";
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  width: number;
  gray: number;
}

export interface RectsOp {
  kind: "rects";
  /** [x, y, width, height] each, filled in one path. */
  rects: [number, number, number, number][];
  gray: number;
  /** A colour instead of the gray (charts), components 0–1. */
  rgb?: [number, number, number];
}

export interface ImageOp {
  kind: "image";
  x: number;
  y: number;
  width: number;
  height: number;
}

export type Op = TextOp | LineOp | RectsOp | ImageOp;

export interface TextStyle {
  style?: FontStyle;
  size?: number;
  gray?: number;
}

export interface ParagraphOptions extends TextStyle {
  align?: Align;
  /** Left edge and width of the text block; the content area by default. */
  x?: number;
  width?: number;
  /** Extra indent of the first line (positive) . */
  firstIndent?: number;
  /** Line height as a multiple of the size. */
  leading?: number;
  /** Space after the paragraph, in points. */
  after?: number;
  /** Start a new page rather than split the paragraph, when it fits on one page. Default true. */
  keepTogether?: boolean;
  /** Drawn in the left margin of the first line (numbers of a list), with the paragraph's style. */
  label?: string;
  labelX?: number;
}

export interface WrappedLine {
  text: string;
  width: number;
  /** Last line of the paragraph, or a line ended by a word broken across lines: never justified. */
  last: boolean;
}

/**
 * Breaks text into lines of at most `width` points (the first line `firstWidth`). Words longer than a line
 * (URLs, user agents, hashes) are broken between characters.
 */
export function wrapText(
  face: Face,
  text: string,
  size: number,
  width: number,
  firstWidth = width,
): WrappedLine[] {
  const lines: WrappedLine[] = [];
  const space = textWidth(face, " ", size);
  let current = "";
  let currentWidth = 0;
  const limit = () => (lines.length === 0 ? firstWidth : width);
  const flush = (last: boolean) => {
    lines.push({ text: current, width: currentWidth, last });
    current = "";
    currentWidth = 0;
  };
  for (const word of text.split(" ")) {
    if (word === "") continue;
    const w = textWidth(face, word, size);
    if (current !== "" && currentWidth + space + w <= limit()) {
      current += ` ${word}`;
      currentWidth += space + w;
      continue;
    }
    if (current !== "") flush(false);
    if (w <= limit()) {
      current = word;
      currentWidth = w;
      continue;
    }
    // A word longer than a whole line: as many characters per line as fit.
    for (const ch of word) {
      const cw = textWidth(face, ch, size);
      if (current !== "" && currentWidth + cw > limit()) flush(true);
      current += ch;
      currentWidth += cw;
    }
  }
  if (current !== "" || lines.length === 0) flush(true);
  const final = lines[lines.length - 1];
  if (final) final.last = true;
  return lines;
}

export class Flow {
  readonly pages: Op[][] = [];
  y = 0;
  private readonly used: Record<FontStyle, UsedCharacters>;

  constructor(readonly faces: Faces) {
    this.used = {
      regular: new UsedCharacters(faces.regular),
      bold: new UsedCharacters(faces.bold),
      italic: new UsedCharacters(faces.italic),
    };
    this.newPage();
  }

  get top(): number {
    return A4.height - MARGIN.top;
  }

  get usedCharacters(): UsedCharacters[] {
    return Object.values(this.used);
  }

  newPage(): void {
    this.pages.push([]);
    this.y = this.top;
  }

  get pageIndex(): number {
    return this.pages.length - 1;
  }

  /** Moves to a new page unless `height` points still fit above the bottom margin. */
  ensure(height: number): void {
    if (this.y - height < MARGIN.bottom && this.y < this.top) this.newPage();
  }

  space(points: number): void {
    this.y -= points;
  }

  /** Cleans and fits text for drawing with a style: the exact string later drawn and measured. */
  prepare(text: string, style: FontStyle = "regular"): string {
    return drawable(this.faces[style], cleanText(text));
  }

  width(text: string, style: FontStyle, size: number): number {
    return textWidth(this.faces[style], text, size);
  }

  /** Draws one prepared line with its baseline at y on page `page` (the current page by default). */
  drawText(
    text: string,
    x: number,
    y: number,
    s: Required<TextStyle>,
    wordSpacing = 0,
    page = this.pageIndex,
  ) {
    if (text === "") return;
    this.used[s.style].add(text);
    this.pages[page]?.push({
      kind: "text",
      x,
      y,
      text,
      style: s.style,
      size: s.size,
      gray: s.gray,
      wordSpacing,
    });
  }

  line(x1: number, y1: number, x2: number, y2: number, width = 0.5, gray = 0, page = this.pageIndex): void {
    this.pages[page]?.push({ kind: "line", x1, y1, x2, y2, width, gray });
  }

  add(op: Op): void {
    this.pages[this.pageIndex]?.push(op);
  }

  /** Wraps prepared text into lines for a block `width` wide (first line `firstWidth`). */
  wrap(text: string, style: FontStyle, size: number, width: number, firstWidth = width): WrappedLine[] {
    return wrapText(this.faces[style], text, size, width, firstWidth);
  }

  /** How `paragraph` lays out text: its style, wrapped lines, line height and height. */
  private measure(raw: string, options: ParagraphOptions) {
    const s = { style: options.style ?? "regular", size: options.size ?? 11, gray: options.gray ?? 0 };
    const text = this.prepare(raw, s.style);
    const width = options.width ?? CONTENT_WIDTH;
    const firstIndent = options.firstIndent ?? 0;
    const lineHeight = s.size * (options.leading ?? 1.45);
    const lines = this.wrap(text, s.style, s.size, width, width - firstIndent);
    return { s, width, firstIndent, lineHeight, lines, height: lines.length * lineHeight };
  }

  /** The height `paragraph(raw, options)` would take, spacing after it included, without drawing it. */
  paragraphHeight(raw: string, options: ParagraphOptions = {}): number {
    return this.measure(raw, options).height + (options.after ?? 0);
  }

  /** A paragraph at the current position; breaks pages as needed. */
  paragraph(raw: string, options: ParagraphOptions = {}): void {
    const { s, width, firstIndent, lineHeight, lines, height } = this.measure(raw, options);
    const x = options.x ?? MARGIN.left;
    const align = options.align ?? "left";
    if (options.keepTogether !== false && height <= this.top - MARGIN.bottom) this.ensure(height);
    lines.forEach((line, i) => {
      this.ensure(lineHeight);
      this.y -= s.size;
      const indent = i === 0 ? firstIndent : 0;
      const room = width - indent;
      let lx = x + indent;
      let wordSpacing = 0;
      if (align === "center") lx += (room - line.width) / 2;
      else if (align === "right") lx += room - line.width;
      else if (align === "justify" && !line.last) {
        const spaces = line.text.split(" ").length - 1;
        // Stretch only moderately: a line with one long word and a large gap stays ragged.
        if (spaces > 0 && (room - line.width) / spaces < s.size * 1.2)
          wordSpacing = (room - line.width) / spaces;
      }
      if (i === 0 && options.label) {
        const label = this.prepare(options.label, s.style);
        this.drawText(label, options.labelX ?? MARGIN.left, this.y, s);
      }
      this.drawText(line.text, lx, this.y, s, wordSpacing);
      this.y -= lineHeight - s.size;
    });
    this.y -= options.after ?? 0;
  }

  /**
   * A row of cells side by side (label/value pairs, table rows); each cell wraps within its width. The row
   * is kept on one page when it fits on one, else split between lines. `beforeBreak` runs at the top of
   * every new page the row moves to (table headers).
   */
  row(
    cells: { text: string; x: number; width: number; style?: FontStyle; size?: number; gray?: number }[],
    options: { leading?: number; padding?: number; beforeBreak?: () => void; rule?: boolean } = {},
  ): void {
    const padding = options.padding ?? 0;
    const prepared = cells.map((c) => {
      const s = { style: c.style ?? "regular", size: c.size ?? 10, gray: c.gray ?? 0 };
      const text = this.prepare(c.text, s.style);
      return { c, s, lines: this.wrap(text, s.style, s.size, c.width) };
    });
    const lineHeight = Math.max(...prepared.map((p) => p.s.size)) * (options.leading ?? 1.4);
    const count = Math.max(...prepared.map((p) => p.lines.length));
    const breakPage = () => {
      this.newPage();
      options.beforeBreak?.();
    };
    const height = count * lineHeight + 2 * padding;
    if (this.y - height < MARGIN.bottom && this.y < this.top) breakPage();
    this.y -= padding;
    for (let k = 0; k < count; k++) {
      if (this.y - lineHeight < MARGIN.bottom) breakPage();
      for (const p of prepared) {
        const line = p.lines[k];
        if (line) this.drawText(line.text, p.c.x, this.y - p.s.size, p.s);
      }
      this.y -= lineHeight;
    }
    this.y -= padding;
    if (options.rule) this.line(MARGIN.left, this.y, A4.width - MARGIN.right, this.y, 0.4, 0.6);
  }
}
