import { formatCsv } from "./csv";
import { plainNumber } from "./number";

export type CellInput = string | number | null;

export type SheetInput = {
  /** Tab name; characters Excel forbids are replaced and it is cut to Excel's 31 characters. */
  name: string;
  headers: string[];
  rows: CellInput[][];
  /** Widths in Excel's units (about one character each), by column; estimated from the content when absent. */
  columnWidths?: number[];
};

/**
 * OWASP's advice against CSV/formula injection: a text starting with "=", "+", "-", "@", TAB, CR or LF is
 * prefixed with a single quote so that no spreadsheet program opening the export treats it as a formula
 * (or as DDE). The same for the look-alikes some programs read as operators: full-width (＝ ＋ － ＠),
 * small (﹦ ﹢ ﹣ ﹫) and the minus sign (−). A text starting with a space is left alone: no spreadsheet
 * reads " =1" as a formula. Applied to every string both writers emit, headers included.
 */
export function neutralizeFormula(value: string): string {
  const first = (value[0] ?? "").normalize("NFKC").replace("\u2212", "-");
  return /^[=+\-@\t\r\n]/.test(first) ? `'${value}` : value;
}

/**
 * An XLSX workbook with one sheet: bold header row, frozen below the header, autofilter on it. Strings are
 * written as string cells (exceljs only writes a formula when given a { formula } object, which we never
 * pass) and are neutralised as well, because the file may be re-saved as CSV or pasted elsewhere.
 */
export async function writeXlsx(sheet: SheetInput): Promise<Uint8Array> {
  return writeXlsxWorkbook([sheet]);
}

/** The same, one sheet per input (a report's tables), in order. */
export async function writeXlsxWorkbook(sheets: SheetInput[]): Promise<Uint8Array> {
  const { default: ExcelJS } = await import("exceljs");
  const workbook = new ExcelJS.Workbook();
  for (const sheet of sheets) {
    const worksheet = workbook.addWorksheet(sheetName(sheet.name), {
      views: [{ state: "frozen", xSplit: 0, ySplit: 1 }],
    });

    const header = worksheet.getRow(1);
    sheet.headers.forEach((text, i) => {
      header.getCell(i + 1).value = neutralizeFormula(text);
    });
    header.font = { bold: true };

    sheet.rows.forEach((values, r) => {
      const row = worksheet.getRow(r + 2);
      values.forEach((value, c) => {
        if (value === null) return;
        row.getCell(c + 1).value = typeof value === "number" ? finite(value) : neutralizeFormula(value);
      });
    });

    if (sheet.headers.length > 0) {
      worksheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: sheet.headers.length } };
    }
    const widths = sheet.columnWidths ?? estimateWidths(sheet);
    widths.forEach((width, i) => {
      worksheet.getColumn(i + 1).width = width;
    });
  }

  // Typed as an ArrayBuffer by exceljs (it declares its own `Buffer extends ArrayBuffer`), a Node Buffer at
  // run time; copying into a plain Uint8Array is right for both.
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];

/**
 * CSV for Excel: UTF-8 with a BOM (without it Excel decodes the file in the Windows code page and garbles
 * Vietnamese), comma-separated, CRLF, RFC 4180 quoting, strings neutralised like in `writeXlsx`. Numbers are
 * written in plain decimal notation.
 */
export function writeCsv(headers: string[], rows: CellInput[][]): Uint8Array {
  const cells = (values: readonly CellInput[]) =>
    values.map((value) =>
      value === null ? "" : typeof value === "number" ? plainNumber(finite(value)) : neutralizeFormula(value),
    );
  const text = new TextEncoder().encode(formatCsv([cells(headers), ...rows.map(cells)]));
  const bytes = new Uint8Array(UTF8_BOM.length + text.byteLength);
  bytes.set(UTF8_BOM);
  bytes.set(text, UTF8_BOM.length);
  return bytes;
}

/** NaN and Infinity have no representation in a spreadsheet; writing them as empty would hide a bug. */
function finite(value: number): number {
  if (!Number.isFinite(value)) throw new RangeError(`Cannot write ${value} to a spreadsheet cell`);
  return value;
}

/**
 * Excel refuses a workbook whose sheet name contains : \ / ? * [ ], starts or ends with an apostrophe, is
 * empty, longer than 31 characters, or is "History" (exceljs throws or warns on these), so export code can
 * pass a human title such as "Doanh nghiệp 01/2025" and get a valid name.
 */
function sheetName(name: string): string {
  const cleaned = name
    .normalize("NFC")
    .replace(/[:\\/?*[\]]/g, "-")
    .trim()
    .replace(/^'+|'+$/g, "")
    .slice(0, 31)
    .trim();
  if (cleaned === "" || cleaned.toLowerCase() === "history") return "Sheet1";
  return cleaned;
}

const MIN_WIDTH = 8;
const MAX_WIDTH = 60;
const SAMPLE_ROWS = 200;

/** Widest text of the header and the first rows, within bounds so one long note does not hide the rest. */
function estimateWidths(sheet: SheetInput): number[] {
  const widths: number[] = [];
  for (const values of [sheet.headers, ...sheet.rows.slice(0, SAMPLE_ROWS)]) {
    values.forEach((value, i) => {
      const text = value === null ? "" : typeof value === "number" ? String(value) : value;
      const longestLine = Math.max(...text.split("\n").map((line) => [...line].length));
      widths[i] = Math.max(widths[i] ?? MIN_WIDTH, Math.min(MAX_WIDTH, longestLine + 2));
    });
  }
  return Array.from(widths, (width) => width ?? MIN_WIDTH);
}
