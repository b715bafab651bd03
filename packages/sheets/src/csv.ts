import { messages } from "./messages";

export type RawRow = { rowNumber: number; cells: string[] };
export type ParsedCsv = { ok: true; rows: RawRow[] } | { ok: false; error: string };

type Delimiter = "\t" | ";" | ",";
/** On a tie the earlier one wins: a TAB-separated header often holds commas in its text, rarely the reverse. */
const DELIMITERS: readonly Delimiter[] = ["\t", ";", ","];

/**
 * RFC 4180 records with the usual leniencies of files from the field: TAB or ";" instead of "," (Excel's
 * "Unicode text" export, and Excel's CSV in locales with a decimal comma), CRLF, LF or a lone CR as record
 * end, a quote that is not at the start of a field is an ordinary character, text after a closing quote is
 * kept. `rowNumber` is the record's position, which is what Excel shows as the row number even when a
 * quoted field spans several lines.
 */
export function parseCsv(text: string): ParsedCsv {
  // Excel honours a first line "sep=;" and does not show it as a row, so neither do we.
  const sepLine = /^sep=([\t;,])(?:\r\n|\r|\n|$)/i.exec(text);
  const body = sepLine ? text.slice(sepLine[0].length) : text;
  const delimiter = (sepLine?.[1] as Delimiter | undefined) ?? detectDelimiter(body);
  return parseRecords(body, delimiter);
}

/** The candidate that occurs most often outside quotes in the first record. */
export function detectDelimiter(text: string): Delimiter {
  const counts: Record<Delimiter, number> = { "\t": 0, ";": 0, ",": 0 };
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') inQuotes = !inQuotes;
    else if (inQuotes) continue;
    else if (c === "\n" || c === "\r") break;
    else if (c === "\t" || c === ";" || c === ",") counts[c]++;
  }
  let best: Delimiter = ",";
  let bestCount = 0;
  for (const candidate of DELIMITERS) {
    if (counts[candidate] > bestCount) {
      best = candidate;
      bestCount = counts[candidate];
    }
  }
  return best;
}

function parseRecords(text: string, delimiter: Delimiter): ParsedCsv {
  const rows: RawRow[] = [];
  let cells: string[] = [];
  const n = text.length;
  const endsField = (c: string | undefined) => c === delimiter || c === "\n" || c === "\r";
  let i = 0;
  for (;;) {
    let value: string;
    if (text[i] === '"') {
      value = "";
      let from = i + 1;
      for (;;) {
        const quote = text.indexOf('"', from);
        if (quote === -1) return { ok: false, error: messages.unterminatedQuote(rows.length + 1) };
        value += text.slice(from, quote);
        if (text[quote + 1] === '"') {
          value += '"';
          from = quote + 2;
        } else {
          from = quote + 1;
          break;
        }
      }
      i = from;
      while (i < n && !endsField(text[i])) i++;
      value += text.slice(from, i);
    } else {
      const start = i;
      while (i < n && !endsField(text[i])) i++;
      value = text.slice(start, i);
    }
    cells.push(value);
    if (i >= n) break;
    if (text[i] === delimiter) {
      i++;
      continue;
    }
    i += text[i] === "\r" && text[i + 1] === "\n" ? 2 : 1;
    rows.push({ rowNumber: rows.length + 1, cells });
    cells = [];
    // A final line break ends the last record; it does not start an empty one.
    if (i >= n) return { ok: true, rows };
  }
  rows.push({ rowNumber: rows.length + 1, cells });
  return { ok: true, rows };
}

/**
 * One CSV record per row, CRLF after each (as Excel writes them). A field is quoted when it holds a quote, a
 * line break, or any of the three delimiters a reader might pick (ours guesses from the header line), or
 * starts or ends with white space that a reader might otherwise trim.
 */
export function formatCsv(rows: readonly (readonly string[])[]): string {
  return rows.map((row) => `${row.map(csvField).join(",")}\r\n`).join("");
}

function csvField(value: string): string {
  if (/[",;\t\r\n]|^\s|\s$/.test(value)) return `"${value.replaceAll('"', '""')}"`;
  return value;
}
