import {
  type Case,
  EXPORT_HEADERS,
  InvalidError,
  type Party,
  type Principal,
  partyExportRow,
  type SignerGroup,
  templateColumns,
  VIOLATION_LABELS_VI,
  vietnamDateTime,
} from "@pledgewatch/core";
import { writeCsv, writeXlsx } from "@pledgewatch/sheets";
import type { PartyFilterInput, QueueFilterInput, WebDeps } from "./env";
import { type Messages, messages } from "./i18n";

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

/** Every page of a list as rows, refused in Vietnamese past MAX_EXPORT_ROWS (narrow the filter). */
async function everyPage(
  read: (cursor: string | undefined) => Promise<{ rows: string[][]; next?: string | undefined }>,
): Promise<string[][]> {
  const rows: string[][] = [];
  let cursor: string | undefined;
  do {
    const page = await read(cursor);
    rows.push(...page.rows);
    cursor = page.next;
    if (rows.length > MAX_EXPORT_ROWS) {
      throw new InvalidError("Export too large", [
        { field: "", message: `Danh sách quá lớn để xuất (trên ${MAX_EXPORT_ROWS} dòng); hãy lọc hẹp hơn` },
      ]);
    }
  } while (cursor);
  return rows;
}

/** A list as a dated download: `<name>-YYYY-MM-DD.xlsx|csv`. */
async function listFile(
  format: FileFormat,
  sheetName: string,
  name: string,
  headers: string[],
  rows: string[][],
): Promise<DownloadFile> {
  const date = new Date().toISOString().slice(0, 10);
  return {
    body: await sheet(format, sheetName, headers, rows),
    contentType: CONTENT_TYPES[format],
    fileName: `${name}-${date}.${format}`,
  };
}

/** The filtered list as a file. Both writers neutralise formula-like cells (OWASP CSV injection). */
export async function exportParties(
  deps: WebDeps,
  actor: Principal,
  filter: PartyFilterInput,
  format: FileFormat,
): Promise<DownloadFile> {
  const t = messages("vi");
  const rows = await everyPage(async (cursor) => {
    const page = await deps.parties.list(actor, { ...filter, limit: 200, cursor });
    const parties = page.items as Party[];
    return {
      rows: parties.map((party) =>
        partyExportRow(party, { group: t.groups[party.group], agency: t.agencies[party.agency] }),
      ),
      next: page.next,
    };
  });
  return listFile(format, "Doi tuong", "doi-tuong-cam-ket", [...EXPORT_HEADERS], rows);
}

const CASE_HEADERS = [
  "Mã hồ sơ",
  "Trạng thái",
  "Cơ quan",
  "Tỉnh",
  "Mở lúc",
  "Nền tảng",
  "Tiêu đề",
  "URL",
  "Người bán",
  "Quy tắc",
  "Điểm",
  "Số cảnh báo",
  "Số phản ánh",
  "Kết luận",
  "Loại vi phạm",
  "Kết luận lúc",
];

/** One case as a row: times in Asia/Ho_Chi_Minh, rules by their Vietnamese titles. */
function caseRow(c: Case, titles: ReadonlyMap<string, string>, t: Messages): string[] {
  const decision = c.decision;
  return [
    c.id,
    t.review.states[c.state],
    t.agencies[c.agency],
    c.province,
    vietnamDateTime(new Date(c.openedAt)),
    c.item.platform,
    c.item.title,
    c.item.url ?? "",
    c.item.seller ?? "",
    c.ruleIds.map((id) => titles.get(id) ?? id).join("; "),
    c.evaluation.score.toFixed(2),
    String(c.flags),
    String(c.tips),
    decision ? (decision.kind === "confirmed" ? "Vi phạm" : "Bác bỏ") : "",
    decision?.kind === "confirmed" ? VIOLATION_LABELS_VI[decision.violation.type] : "",
    decision ? vietnamDateTime(new Date(decision.at)) : "",
  ];
}

/**
 * The caller's queue as a file, with the queue's filter (state, platform, rule, age; admins: agency and
 * province), every page of it. Titles, sellers and URLs come from crawled pages: both writers neutralise
 * formula-like cells.
 */
export async function exportCases(
  deps: WebDeps,
  actor: Principal,
  filter: QueueFilterInput,
  format: FileFormat,
): Promise<DownloadFile> {
  const titles = await deps.flagging.ruleTitles();
  const t = messages("vi");
  const rows = await everyPage(async (cursor) => {
    const page = await deps.review.queue(actor, { ...filter, limit: 200, ...(cursor ? { cursor } : {}) });
    return { rows: page.cases.map((c) => caseRow(c, titles, t)), next: page.cursor };
  });
  return listFile(format, "Ho so", "ho-so-xu-ly", CASE_HEADERS, rows);
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
