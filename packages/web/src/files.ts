import {
  EXPORT_HEADERS,
  InvalidError,
  type Party,
  type Principal,
  partyExportRow,
  type SignerGroup,
  templateColumns,
} from "@pledgewatch/core";
import { writeCsv, writeXlsx } from "@pledgewatch/sheets";
import type { PartyFilterInput, WebDeps } from "./env";
import { messages } from "./i18n";

export type FileFormat = "xlsx" | "csv";

const CONTENT_TYPES: Record<FileFormat, string> = {
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  csv: "text/csv; charset=utf-8",
};

/** The content types of a generated report's two files (coverage and review reports). */
export const REPORT_CONTENT_TYPES = {
  pdf: "application/pdf",
  xlsx: CONTENT_TYPES.xlsx,
} as const;

export interface DownloadFile {
  body: Uint8Array;
  contentType: string;
  fileName: string;
}

/** An export never grows past this; beyond it, narrow the filter. */
const MAX_EXPORT_ROWS = 50_000;

async function sheet(
  format: FileFormat,
  name: string,
  headers: string[],
  rows: string[][],
): Promise<Uint8Array> {
  return format === "xlsx" ? writeXlsx({ name, headers, rows }) : writeCsv(headers, rows);
}

/** The filtered list as a file. Both writers neutralise formula-like cells (OWASP CSV injection). */
export async function exportParties(
  deps: WebDeps,
  actor: Principal,
  filter: PartyFilterInput,
  format: FileFormat,
): Promise<DownloadFile> {
  const t = messages("vi");
  const rows: string[][] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.parties.list(actor, { ...filter, limit: 200, cursor });
    for (const party of page.items as Party[]) {
      rows.push(partyExportRow(party, { group: t.groups[party.group], agency: t.agencies[party.agency] }));
    }
    cursor = page.next;
    if (rows.length > MAX_EXPORT_ROWS) {
      throw new InvalidError("Export too large", [
        { field: "", message: `Danh sách quá lớn để xuất (trên ${MAX_EXPORT_ROWS} dòng); hãy lọc hẹp hơn` },
      ]);
    }
  } while (cursor);
  const date = new Date().toISOString().slice(0, 10);
  return {
    body: await sheet(format, "Doi tuong", [...EXPORT_HEADERS], rows),
    contentType: CONTENT_TYPES[format],
    fileName: `doi-tuong-cam-ket-${date}.${format}`,
  };
}

/** An empty import template for a group, with Vietnamese headers and one example row. */
export async function importTemplate(group: SignerGroup, format: FileFormat): Promise<DownloadFile> {
  const columns = templateColumns(group);
  return {
    body: await sheet(
      format,
      "Mau nhap",
      columns.map((c) => c.header),
      [],
    ),
    contentType: CONTENT_TYPES[format],
    fileName: `mau-nhap-${group}.${format}`,
  };
}

export function attachment(file: DownloadFile): Response {
  return new Response(file.body as Uint8Array<ArrayBuffer>, {
    headers: {
      "Content-Type": file.contentType,
      // RFC 6266: an ASCII name; ours are ASCII by construction.
      "Content-Disposition": `attachment; filename="${file.fileName}"`,
      "Cache-Control": "no-store",
    },
  });
}
