import { parseCsv, type RawRow } from "./csv";
import { messages } from "./messages";
import { decodeText, startsWith } from "./text";
import { readXlsxRows } from "./xlsx-read";

export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
export const DEFAULT_MAX_ROWS = 20_000;

export type ReadOptions = {
  /** Upload size limit in bytes; default 10 MB. */
  maxBytes?: number;
  /** Limit on non-empty data rows (the header row not counted); default 20,000. */
  maxRows?: number;
};

export type TableRow = {
  /** The row number Excel shows for this row: the header is usually row 1, so data starts at 2. */
  rowNumber: number;
  /**
   * One string per header column (missing cells are ""). A row with text beyond the last header keeps it
   * in extra trailing cells, so the caller can report data in a column without a header.
   */
  cells: string[];
};

export type ReadResult =
  | { ok: true; format: "xlsx" | "csv"; headers: string[]; rows: TableRow[] }
  | { ok: false; error: string };

const ZIP = [0x50, 0x4b, 0x03, 0x04];
/** OLE2 compound file: Excel 97-2003 .xls, and also any password-protected .xlsx. */
const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
/** Files people pick by mistake whose first bytes still happen to be valid UTF-8. */
const OTHER_BINARY = [[0x25, 0x50, 0x44, 0x46, 0x2d] /* %PDF- */];

/**
 * A spreadsheet upload as a header row and data rows of trimmed, NFC-normalised strings. Nothing in a cell
 * is ever evaluated: formulas and strings such as "=1+1" come back as text, for the caller to store as text.
 */
export async function readTable(bytes: Uint8Array, options: ReadOptions = {}): Promise<ReadResult> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
  if (bytes.byteLength > maxBytes) return { ok: false, error: messages.tooLarge(maxBytes) };

  if (startsWith(bytes, ZIP)) {
    const xlsx = await readXlsxRows(bytes);
    return xlsx.ok ? toTable("xlsx", xlsx.rows, maxRows) : xlsx;
  }
  if (startsWith(bytes, OLE2)) return { ok: false, error: messages.legacyOrEncrypted };
  if (OTHER_BINARY.some((magic) => startsWith(bytes, magic)))
    return { ok: false, error: messages.notSpreadsheet };

  const text = decodeText(bytes);
  if (!text.ok) return text;
  const csv = parseCsv(text.text);
  return csv.ok ? toTable("csv", csv.rows, maxRows) : csv;
}

/** The first non-empty row is the header; empty rows after it are skipped, row numbers stay Excel's. */
function toTable(format: "xlsx" | "csv", raw: readonly RawRow[], maxRows: number): ReadResult {
  let headers: string[] | undefined;
  const rows: TableRow[] = [];
  for (const row of raw) {
    const cells = withoutTrailingEmpty(row.cells.map(normalizeCell));
    if (cells.length === 0) continue;
    if (!headers) {
      headers = cells;
      continue;
    }
    if (rows.length === maxRows) return { ok: false, error: messages.tooManyRows(maxRows) };
    while (cells.length < headers.length) cells.push("");
    rows.push({ rowNumber: row.rowNumber, cells });
  }
  if (!headers) return { ok: false, error: messages.noHeader };
  return { ok: true, format, headers, rows };
}

/**
 * Trimmed (which also drops a stray BOM and non-breaking spaces), every line break as "\n" (XLSX stores
 * CR LF as LF, CSV keeps what the editor wrote), and NFC: macOS and some Vietnamese input methods produce
 * decomposed letters ("ệ" as e + two combining marks), which would otherwise never match the same name
 * typed elsewhere.
 */
function normalizeCell(value: string): string {
  return value.replace(/\r\n?/g, "\n").trim().normalize("NFC");
}

function withoutTrailingEmpty(cells: string[]): string[] {
  let end = cells.length;
  while (end > 0 && cells[end - 1] === "") end--;
  return end === cells.length ? cells : cells.slice(0, end);
}
