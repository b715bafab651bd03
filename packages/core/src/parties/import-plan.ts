import { can } from "../auth/policy";
import type { Principal } from "../auth/roles";
import { SIGNER_GROUP_INFO, type SignerGroup } from "../reference/signer-groups";
import {
  columnOf,
  IMPORT_COLUMNS,
  type ImportColumn,
  parseDate,
  parseProvinces,
  parseStatus,
} from "./import-columns";
import { type PartyInput, PartyInputSchema } from "./input";
import { identifierKeys, type Party } from "./model";

export interface ImportTable {
  headers: string[];
  rows: { rowNumber: number; cells: string[] }[];
}

export interface RowError {
  rowNumber: number;
  /** The column header as the user wrote it, or "" for the whole row. */
  column: string;
  message: string;
}

export interface RowPlan {
  rowNumber: number;
  action: "create" | "update" | "skip";
  /** The existing party a row updates. */
  partyId?: string | undefined;
  input?: PartyInput | undefined;
  /** The row as given (before normalisation); the commit validates it again from this. */
  raw?: Record<string, unknown> | undefined;
  errors: RowError[];
}

export interface ImportPlan {
  /** Problems with the file as a whole (a missing required column); nothing can be imported. */
  fileErrors: string[];
  /** Headers that match no known column; their cells are ignored. */
  ignoredColumns: string[];
  rows: RowPlan[];
}

export interface PlanDeps {
  /** The parties holding these identifier keys (keys nobody holds are absent). */
  findIdsByKeys(keys: string[]): Promise<Map<string, string>>;
  getMany(ids: string[]): Promise<Map<string, Party>>;
}

/** Which input field a zod issue path points at, as an import column. */
const FIELD_COLUMN: Record<string, ImportColumn> = {
  name: "name",
  refCode: "refCode",
  taxCode: "taxCode",
  pressLicence: "pressLicence",
  practisingCertificate: "practisingCertificate",
  profiles: "profiles",
  provinces: "provinces",
  ward: "ward",
  status: "status",
  statusReason: "statusReason",
  obligatedFrom: "obligatedFrom",
  notes: "notes",
  "contacts.name": "contactName",
  "contacts.title": "contactTitle",
  "contacts.email": "email",
  "contacts.phone": "phone",
};

/**
 * Validates every row of an import file and decides, per row, whether it creates a party, updates the
 * one it matches by identifier, or is skipped for its errors. Reads only; writes nothing.
 */
export async function planImport(
  table: ImportTable,
  group: SignerGroup,
  actor: Principal,
  deps: PlanDeps,
): Promise<ImportPlan> {
  const columnIndex = new Map<ImportColumn, number>();
  const headerOf = new Map<ImportColumn, string>();
  const ignoredColumns: string[] = [];
  table.headers.forEach((header, i) => {
    const column = columnOf(header);
    if (!column) {
      if (header.trim()) ignoredColumns.push(header);
      return;
    }
    if (!columnIndex.has(column)) {
      columnIndex.set(column, i);
      headerOf.set(column, header);
    }
  });
  const fileErrors: string[] = [];
  for (const required of ["name", "provinces"] as const) {
    if (!columnIndex.has(required)) fileErrors.push(`Thiếu cột "${IMPORT_COLUMNS[required].header}"`);
  }
  if (fileErrors.length > 0) return { fileErrors, ignoredColumns, rows: [] };

  const header = (column: ImportColumn) => headerOf.get(column) ?? IMPORT_COLUMNS[column].header;
  const seenKeys = new Map<string, number>();
  const plans: RowPlan[] = [];
  const pending: {
    rowNumber: number;
    input: PartyInput;
    keys: string[];
    raw: Record<string, unknown>;
    errors: RowError[];
  }[] = [];

  for (const row of table.rows) {
    const cell = (column: ImportColumn) => {
      const index = columnIndex.get(column);
      return index === undefined ? "" : (row.cells[index] ?? "").trim();
    };
    const errors: RowError[] = [];
    const fail = (column: ImportColumn | "", message: string) =>
      errors.push({ rowNumber: row.rowNumber, column: column ? header(column) : "", message });

    const candidate: Record<string, unknown> = { name: cell("name"), group };
    const provinces = parseProvinces(cell("provinces"));
    if (provinces.unknown.length > 0)
      fail("provinces", `Không nhận ra tỉnh/thành: ${provinces.unknown.join(", ")}`);
    candidate.provinces = provinces.codes;
    for (const column of [
      "ward",
      "refCode",
      "taxCode",
      "pressLicence",
      "practisingCertificate",
      "statusReason",
      "notes",
    ] as const) {
      if (cell(column)) candidate[column] = cell(column);
    }
    const profiles = cell("profiles")
      .split(/[\s;,]+/)
      .filter(Boolean);
    if (profiles.length > 0) candidate.profiles = profiles;
    if (cell("contactName") || cell("email") || cell("phone")) {
      candidate.contacts = [
        {
          name: cell("contactName") || cell("name"),
          ...(cell("contactTitle") ? { title: cell("contactTitle") } : {}),
          ...(cell("email") ? { email: cell("email") } : {}),
          ...(cell("phone") ? { phone: cell("phone") } : {}),
        },
      ];
    }
    if (cell("status")) {
      const status = parseStatus(cell("status"));
      if (status) candidate.status = status;
      else fail("status", 'Trạng thái phải là "Đang hoạt động", "Ngừng hoạt động" hoặc "Miễn trừ"');
    }
    if (cell("obligatedFrom")) {
      const date = parseDate(cell("obligatedFrom"));
      if (date) candidate.obligatedFrom = date;
      else fail("obligatedFrom", "Ngày phải có dạng dd/mm/yyyy");
    }

    const parsed = PartyInputSchema.safeParse(candidate);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const path = issue.path.filter((p) => typeof p === "string").join(".");
        const column = FIELD_COLUMN[path] ?? FIELD_COLUMN[String(issue.path[0])];
        // Province problems were already reported with the names the user wrote.
        if (column === "provinces" && provinces.unknown.length > 0) continue;
        fail(column ?? "", vietnameseMessage(issue.code, issue.message));
      }
    }
    if (errors.length > 0 || !parsed.success) {
      plans.push({ rowNumber: row.rowNumber, action: "skip", errors });
      continue;
    }
    const input = parsed.data;
    const agency = SIGNER_GROUP_INFO[group].agency;
    if (!can(actor, "parties.write", { agency, provinces: input.provinces })) {
      fail("provinces", "Bạn chỉ được nhập đối tượng thuộc cơ quan và tỉnh/thành của mình");
      plans.push({ rowNumber: row.rowNumber, action: "skip", errors });
      continue;
    }

    const keys = identifierKeys({
      agency,
      identifiers: { ...input, profiles: input.profiles ?? [] },
    });
    const duplicateOf = keys.map((key) => seenKeys.get(key)).find((n) => n !== undefined);
    if (duplicateOf !== undefined) {
      fail("", `Trùng với dòng ${duplicateOf} trong cùng tệp`);
      plans.push({ rowNumber: row.rowNumber, action: "skip", errors });
      continue;
    }
    for (const key of keys) seenKeys.set(key, row.rowNumber);

    pending.push({ rowNumber: row.rowNumber, input, keys, raw: candidate, errors });
  }

  // Matching needs one read per identifier: done in bulk, not row by row.
  const owners = await deps.findIdsByKeys([...seenKeys.keys()]);
  const existingById = await deps.getMany([...new Set(owners.values())]);
  const updatedBy = new Map<string, number>();
  for (const row of pending) {
    const fail = (message: string) => row.errors.push({ rowNumber: row.rowNumber, column: "", message });
    const matched = new Set(
      row.keys.map((key) => owners.get(key)).filter((id): id is string => id !== undefined),
    );
    if (matched.size > 1) fail("Các mã định danh của dòng này thuộc về nhiều đối tượng khác nhau");
    const [partyId] = [...matched];
    const existing = partyId ? existingById.get(partyId) : undefined;
    if (partyId && matched.size === 1) {
      if (updatedBy.has(partyId))
        fail(`Cùng một đối tượng với dòng ${updatedBy.get(partyId)} trong cùng tệp`);
      else if (existing && existing.group !== group)
        fail(`Đối tượng "${existing.name}" đã có trong danh sách ở nhóm khác`);
      else if (
        existing &&
        !can(actor, "parties.write", { agency: existing.agency, provinces: existing.provinces })
      ) {
        fail(`Đối tượng "${existing.name}" thuộc phạm vi của đơn vị khác`);
      }
      updatedBy.set(partyId, row.rowNumber);
    }
    plans.push(
      row.errors.length > 0
        ? { rowNumber: row.rowNumber, action: "skip", errors: row.errors }
        : {
            rowNumber: row.rowNumber,
            action: partyId ? "update" : "create",
            partyId,
            input: row.input,
            raw: row.raw,
            errors: row.errors,
          },
    );
  }
  plans.sort((a, b) => a.rowNumber - b.rowNumber);
  return { fileErrors, ignoredColumns, rows: plans };
}

/** zod's generic messages are English; the import screen speaks Vietnamese. */
function vietnameseMessage(code: string, message: string): string {
  if (/[ăâđêôơưáàảãạ]/i.test(message)) return message;
  switch (code) {
    case "invalid_type":
      return "Thiếu hoặc sai kiểu dữ liệu";
    case "too_small":
      return "Giá trị quá ngắn hoặc thiếu";
    case "too_big":
      return "Giá trị quá dài";
    case "invalid_value":
      return "Giá trị không hợp lệ";
    default:
      return "Giá trị không hợp lệ";
  }
}
