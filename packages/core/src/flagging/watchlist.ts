import { foldVietnamese, nfc } from "../text/fold";

/**
 * A regulator's published list (the Drug Administration's counterfeit-drug notices, the Food Safety
 * Department's advertising warnings) read from a spreadsheet's header and rows into a product watchlist's
 * entries. The file is the regulator's own format: one product per row, the name in a column staff
 * recognise, everything else a reviewer should see in the note.
 */

export interface WatchlistRow {
  rowNumber: number;
  cells: string[];
}

export interface WatchlistEntry {
  name: string;
  note: string;
}

export type WatchlistProblem =
  | { code: "no_name_column"; columns: string[] }
  | { code: "empty" }
  | { code: "too_many"; max: number; found: number }
  | { code: "rows_without_name"; rows: number[] };

export type WatchlistResult =
  | { ok: true; entries: WatchlistEntry[]; rows: number }
  | { ok: false; problem: WatchlistProblem };

export const WATCHLIST_MAX_ENTRIES = 5_000;

/** A column name as compared: no case, no diacritics, "_" between words ("Tên sản phẩm" → "ten_san_pham"). */
const fold = (s: string) => foldVietnamese(s).replaceAll(" ", "_");

/** Accepted names of the product column, folded (no diacritics, "_" for spaces). */
export const WATCHLIST_NAME_COLUMNS = [
  "counterfeited_product",
  "product",
  "product_name",
  "name",
  "ten_san_pham",
  "san_pham",
  "ten_thuoc",
  "ten",
];

/** Columns that go into the note, in this order, with a Vietnamese lead word; the rest follow as they are. */
const NOTE_COLUMNS: Record<string, string> = {
  registration_number: "SĐK",
  so_dang_ky: "SĐK",
  active_ingredient: "hoạt chất",
  hoat_chat: "hoạt chất",
  product_type: "loại",
  violation: "vi phạm",
  vi_pham: "vi phạm",
  genuine_manufacturer: "nhà sản xuất hàng thật",
  responsible_company: "công ty",
  packaging_of_fake: "hàng giả",
  channels: "kênh",
  authority: "cơ quan",
  co_quan: "cơ quan",
  date: "ngày",
  ngay: "ngày",
  source_url: "nguồn",
  nguon: "nguồn",
};

const NOTE_MAX = 500;

/**
 * The phrases a product is found by: its name without a parenthesised remark ("Osimert 80mg
 * (Osimertinib)" → "Osimert 80mg"), and, when the name ends in a strength or size, the name without it
 * ("Osimert"), since listings often leave it out. The matcher's own syntax ("=" first, "*") is taken out.
 */
export function watchlistNames(raw: string): string[] {
  const base = nfc(raw.replace(/\([^)]*\)/g, " ").replace(/[=*|]/g, " "));
  if (base === "") return [];
  const names = [base.slice(0, 200).trim()];
  const short = base.replace(/(\s+\d[\d.,]*\s*(mg|mcg|g|ml|viên|gói)?)+$/iu, "").trim();
  if (short !== base && /\p{L}{3,}/u.test(short)) names.push(short.slice(0, 200).trim());
  return names;
}

export function watchlistFromTable(
  headers: readonly string[],
  rows: readonly WatchlistRow[],
): WatchlistResult {
  const folded = headers.map(fold);
  const nameColumn = WATCHLIST_NAME_COLUMNS.map((c) => folded.indexOf(c)).find((i) => i >= 0);
  if (nameColumn === undefined)
    return { ok: false, problem: { code: "no_name_column", columns: [...headers] } };
  const data = rows.filter((row) => row.cells.some((c) => c.trim() !== ""));
  if (data.length === 0) return { ok: false, problem: { code: "empty" } };
  const missing = data.filter((row) => (row.cells[nameColumn] ?? "").trim() === "").map((r) => r.rowNumber);
  if (missing.length > 0)
    return { ok: false, problem: { code: "rows_without_name", rows: missing.slice(0, 20) } };
  const order = folded
    .map((column, index) => ({ column, index }))
    .filter(({ index }) => index !== nameColumn)
    .sort((a, b) => rank(a.column) - rank(b.column));
  const entries: WatchlistEntry[] = [];
  const seen = new Set<string>();
  for (const row of data) {
    const product = (row.cells[nameColumn] ?? "").trim();
    const parts = [`${product}`];
    for (const { column, index } of order) {
      const value = (row.cells[index] ?? "").trim();
      if (value === "") continue;
      const lead = NOTE_COLUMNS[column] ?? headers[index];
      parts.push(`${lead}: ${value}`);
    }
    const note = parts.join("; ").normalize("NFC").slice(0, NOTE_MAX);
    for (const name of watchlistNames(product)) {
      const key = name.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      entries.push({ name, note });
    }
  }
  if (entries.length > WATCHLIST_MAX_ENTRIES) {
    return { ok: false, problem: { code: "too_many", max: WATCHLIST_MAX_ENTRIES, found: entries.length } };
  }
  return { ok: true, entries, rows: data.length };
}

function rank(column: string): number {
  const keys = Object.keys(NOTE_COLUMNS);
  const i = keys.indexOf(column);
  return i === -1 ? keys.length : i;
}
