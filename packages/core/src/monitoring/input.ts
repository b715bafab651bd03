import { z } from "zod";
import { InvalidError } from "../errors";
import { fieldIssues } from "../input";
import { MAX_PAGE_LIMIT, ScheduleSchema, TargetKindSchema } from "./model";

/** A target as staff enter it (console form, API, one CSV row). */
export const NewTargetSchema = z.strictObject({
  url: z.string().min(1).max(2000),
  kind: TargetKindSchema,
  label: z.string().max(200).optional(),
  platform: z.string().max(40).optional(),
  schedule: ScheduleSchema,
  pageLimit: z.number().int().min(1).max(MAX_PAGE_LIMIT).optional(),
  partyId: z.string().max(64).optional(),
});
export type NewTarget = z.infer<typeof NewTargetSchema>;

export const TargetChangeSchema = z.strictObject({
  label: z.string().max(200).optional(),
  schedule: ScheduleSchema.optional(),
  pageLimit: z.number().int().min(1).max(MAX_PAGE_LIMIT).optional(),
  partyId: z.string().max(64).nullable().optional(),
  active: z.boolean().optional(),
});
export type TargetChange = z.infer<typeof TargetChangeSchema>;

/** Columns of the target import CSV, in the template's order. */
export const TARGET_CSV_COLUMNS = [
  "url",
  "kind",
  "schedule",
  "label",
  "platform",
  "page_limit",
  "party_id",
] as const;

export interface TargetCsvError {
  row: number;
  column: string;
  message: string;
}

const KIND_ALIASES: Record<string, string> = {
  "cửa hàng": "shop",
  "gian hàng": "shop",
  "tìm kiếm": "search",
  "trang web": "website",
  "trang cá nhân": "profile",
  "bài viết": "post",
};
const SCHEDULE_ALIASES: Record<string, string> = {
  "hằng giờ": "hourly",
  "hằng ngày": "daily",
  "hằng tuần": "weekly",
};

/**
 * Rows of an uploaded target list (header + cells, from packages/sheets) as new targets, or every error
 * with its row and column: an import is all or nothing.
 */
export function parseTargetRows(
  headers: string[],
  rows: { rowNumber: number; cells: string[] }[],
): { ok: true; targets: { row: number; input: NewTarget }[] } | { ok: false; errors: TargetCsvError[] } {
  const index = new Map(headers.map((h, i) => [h.trim().toLowerCase(), i]));
  const errors: TargetCsvError[] = [];
  for (const required of ["url", "kind", "schedule"]) {
    if (!index.has(required)) errors.push({ row: 1, column: required, message: `Thiếu cột "${required}".` });
  }
  if (errors.length > 0) return { ok: false, errors };
  if (rows.length === 0)
    return { ok: false, errors: [{ row: 2, column: "", message: "Tệp không có dòng dữ liệu." }] };
  const cell = (cells: string[], name: string) => {
    const i = index.get(name);
    return i === undefined ? "" : (cells[i] ?? "").trim();
  };
  const targets: { row: number; input: NewTarget }[] = [];
  for (const { rowNumber, cells } of rows) {
    const kindRaw = cell(cells, "kind").toLowerCase();
    const scheduleRaw = cell(cells, "schedule").toLowerCase();
    const pageLimitRaw = cell(cells, "page_limit");
    const candidate = {
      url: cell(cells, "url"),
      kind: KIND_ALIASES[kindRaw] ?? kindRaw,
      schedule: SCHEDULE_ALIASES[scheduleRaw] ?? scheduleRaw,
      label: cell(cells, "label") || undefined,
      platform: cell(cells, "platform") || undefined,
      pageLimit: pageLimitRaw ? Number(pageLimitRaw) : undefined,
      partyId: cell(cells, "party_id") || undefined,
    };
    const parsed = NewTargetSchema.safeParse(candidate);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? "");
        const column = field === "pageLimit" ? "page_limit" : field === "partyId" ? "party_id" : field;
        errors.push({
          row: rowNumber,
          column,
          message: columnMessage(column, String(candidate[field as keyof typeof candidate] ?? "")),
        });
      }
      continue;
    }
    targets.push({ row: rowNumber, input: parsed.data });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, targets };
}

function columnMessage(column: string, value: string): string {
  switch (column) {
    case "url":
      return value ? "Đường dẫn không hợp lệ." : "Thiếu đường dẫn.";
    case "kind":
      return `Loại "${value}" không hợp lệ (shop, search, website, profile, post).`;
    case "schedule":
      return `Lịch "${value}" không hợp lệ (hourly, daily, weekly).`;
    case "page_limit":
      return `Số trang "${value}" phải là số nguyên từ 1 đến 20.`;
    default:
      return "Giá trị không hợp lệ.";
  }
}

/** Throws an InvalidError naming the field when the form or API body is not a valid target. */
export function parseNewTarget(body: unknown): NewTarget {
  const parsed = NewTargetSchema.safeParse(body);
  if (!parsed.success) {
    throw new InvalidError("Invalid target", fieldIssues(parsed.error));
  }
  return parsed.data;
}
