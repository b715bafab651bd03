import type { Cell, CellValue, Worksheet } from "exceljs";
import type { RawRow } from "./csv";
import { messages } from "./messages";
import { plainNumber } from "./number";
import { checkZip, MAX_UNPACKED_BYTES } from "./zip-guard";

export type XlsxRows = { ok: true; rows: RawRow[] } | { ok: false; error: string };

/**
 * Worksheet parts exceljs would otherwise parse and cross-link. We need none of them, and skipping them
 * also avoids exceljs crashes on drawings and links whose relationship it cannot resolve. Skipping
 * "hyperlinks" matters for correctness too: exceljs turns a linked cell into a hyperlink value, and for a
 * formula cell that replaces the formula with its cached result, which we must never return.
 */
const IGNORED_SHEET_PARTS = [
  "hyperlinks",
  "dataValidations",
  "conditionalFormatting",
  "extLst",
  "drawing",
  "picture",
];

export async function readXlsxRows(bytes: Uint8Array): Promise<XlsxRows> {
  const zip = checkZip(bytes);
  if (!zip.ok) {
    const error =
      zip.reason === "too-large" ? messages.xlsxUnpackedTooLarge(MAX_UNPACKED_BYTES) : messages.brokenXlsx;
    return { ok: false, error };
  }
  // exceljs only ever reads this exact part name; a ZIP without it is a .docx, .ods, .zip or the like.
  if (!zip.names.has("xl/workbook.xml")) return { ok: false, error: messages.notSpreadsheet };

  // Loaded on first use: exceljs takes about a third of a second to import, which callers that only
  // handle CSV should not pay.
  const { default: ExcelJS } = await import("exceljs");
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs types its input as its own `Buffer extends ArrayBuffer`. An exact copy of the bytes satisfies
    // that and keeps it from seeing memory around a view (`bytes.buffer` may be a larger pool).
    await workbook.xlsx.load(bytes.slice().buffer, {
      ignoreNodes: IGNORED_SHEET_PARTS,
    });
  } catch {
    return { ok: false, error: messages.brokenXlsx };
  }
  // The first sheet the user sees: hidden sheets (lookup lists, macros' scratch space) are skipped.
  const sheet = workbook.worksheets.find((ws) => ws.state === "visible") ?? workbook.worksheets[0];
  if (!sheet) return { ok: false, error: messages.noWorksheet };
  return { ok: true, rows: sheetRows(sheet) };
}

function sheetRows(sheet: Worksheet): RawRow[] {
  const rows: RawRow[] = [];
  sheet.eachRow((row, rowNumber) => {
    const sparse: string[] = [];
    row.eachCell((cell, column) => {
      sparse[column - 1] = cellText(cell);
    });
    rows.push({ rowNumber, cells: Array.from(sparse, (text) => text ?? "") });
  });
  return rows;
}

export function cellText(cell: Cell): string {
  // Only the top-left cell of a merged range holds a value in Excel; exceljs would repeat it in every cell.
  if (cell.isMerged && cell.master !== cell) return "";
  const value = cell.value;
  if (value !== null && typeof value === "object" && ("formula" in value || "sharedFormula" in value)) {
    // The formula itself, never its cached result: the caller stores it as inert text. For a shared
    // formula exceljs derives this cell's own formula from the master cell's.
    const formula = cell.formula;
    return formula ? `=${formula}` : "";
  }
  return valueText(value);
}

function valueText(value: CellValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number") return Number.isFinite(value) ? plainNumber(value) : "";
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (value instanceof Date) return isoDate(value);
  if ("error" in value) return value.error;
  if ("richText" in value) return value.richText.map((run) => run.text).join("");
  // A hyperlink's text is typed as a string but is whatever the cell held, rich text included.
  if ("hyperlink" in value) return valueText(value.text as CellValue);
  return "";
}

/** The calendar date in UTC: exceljs turns the serial number into a Date at UTC midnight (plus any time). */
function isoDate(date: Date): string {
  const time = date.getTime();
  if (Number.isNaN(time)) return "";
  const year = date.getUTCFullYear();
  const month = String(date.getUTCMonth() + 1).padStart(2, "0");
  const day = String(date.getUTCDate()).padStart(2, "0");
  return `${String(year).padStart(4, "0")}-${month}-${day}`;
}
