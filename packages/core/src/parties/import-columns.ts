import { PROVINCES } from "../reference/provinces";
import type { SignerGroup } from "../reference/signer-groups";
import { foldVietnamese } from "../text/fold";
import { type Party, REQUIRED_IDENTIFIER } from "./model";

/** The fields an import file can carry, each with its Vietnamese header and the aliases people write. */
export const IMPORT_COLUMNS = {
  name: {
    header: "Tên",
    aliases: ["ten", "ten doi tuong", "ho ten", "ho va ten", "ten to chuc", "ten don vi"],
  },
  refCode: { header: "Mã quản lý", aliases: ["ma quan ly", "ma doi tuong", "ma"] },
  taxCode: { header: "Mã số thuế", aliases: ["ma so thue", "mst"] },
  pressLicence: { header: "Số giấy phép", aliases: ["so giay phep", "giay phep", "so giay phep hoat dong"] },
  practisingCertificate: {
    header: "Số chứng chỉ hành nghề",
    aliases: ["so chung chi hanh nghe", "chung chi hanh nghe", "cchn", "so cchn", "giay phep hanh nghe"],
  },
  profiles: {
    header: "Trang mạng xã hội",
    aliases: ["trang mang xa hoi", "mang xa hoi", "duong dan", "link", "trang ca nhan"],
  },
  provinces: {
    header: "Tỉnh/thành",
    aliases: ["tinh thanh", "tinh", "tinh thanh pho", "dia ban", "tinh tp"],
  },
  ward: { header: "Xã/phường", aliases: ["xa phuong", "phuong xa", "xa", "phuong"] },
  contactName: { header: "Người liên hệ", aliases: ["nguoi lien he", "ho ten nguoi lien he"] },
  contactTitle: { header: "Chức vụ", aliases: ["chuc vu", "chuc danh"] },
  email: { header: "Email", aliases: ["email", "thu dien tu", "e mail"] },
  phone: { header: "Điện thoại", aliases: ["dien thoai", "so dien thoai", "sdt", "dt"] },
  status: { header: "Trạng thái", aliases: ["trang thai"] },
  statusReason: { header: "Lý do", aliases: ["ly do", "ly do trang thai"] },
  obligatedFrom: { header: "Phải ký từ ngày", aliases: ["phai ky tu ngay", "ngay bat dau", "tu ngay"] },
  notes: { header: "Ghi chú", aliases: ["ghi chu"] },
} as const;

export type ImportColumn = keyof typeof IMPORT_COLUMNS;

const ALIASES = new Map<string, ImportColumn>(
  (Object.entries(IMPORT_COLUMNS) as [ImportColumn, { aliases: readonly string[] }][]).flatMap(
    ([column, { aliases }]) => aliases.map((alias) => [alias, column] as const),
  ),
);

/** Maps a header cell to its column; "(*)" marks and case/diacritics do not matter. */
export function columnOf(header: string): ImportColumn | undefined {
  return ALIASES.get(foldVietnamese(header.replace(/\(\*\)|\*/g, "")));
}

/** The columns of a group's template, its identifier first, required ones marked "(*)". */
export function templateColumns(
  group: SignerGroup,
): { column: ImportColumn; header: string; required: boolean }[] {
  const required = REQUIRED_IDENTIFIER[group];
  const identifier: ImportColumn[] =
    group === "press" || group === "news_site"
      ? ["pressLicence", "taxCode"]
      : group === "doctor"
        ? ["practisingCertificate"]
        : group === "ecommerce_platform" || group === "social_network" || group === "advertiser"
          ? ["taxCode"]
          : [];
  const columns: ImportColumn[] = [
    "name",
    "refCode",
    ...identifier,
    "profiles",
    "provinces",
    "ward",
    "contactName",
    "contactTitle",
    "email",
    "phone",
    "status",
    "statusReason",
    "obligatedFrom",
    "notes",
  ];
  return columns.map((column) => {
    const isRequired = column === "name" || column === "provinces" || column === required;
    return {
      column,
      header: `${IMPORT_COLUMNS[column].header}${isRequired ? " (*)" : ""}`,
      required: isRequired,
    };
  });
}

const PROVINCE_BY_NAME = new Map<string, string>(
  PROVINCES.flatMap((p) => {
    const folded = foldVietnamese(p.name);
    const bare = folded.replace(/^thanh pho /, "");
    return [
      [folded, p.code],
      [bare, p.code],
      [`tinh ${bare}`, p.code],
      [`tp ${bare}`, p.code],
      [`tp. ${bare}`, p.code],
      [p.code, p.code],
      [String(Number(p.code)), p.code],
    ] as [string, string][];
  }),
);
PROVINCE_BY_NAME.set("tp hcm", "79");
PROVINCE_BY_NAME.set("hcm", "79");
PROVINCE_BY_NAME.set("ha noi", "01");

/** "Ninh Bình; TP Hồ Chí Minh" or "37, 79" → codes; unknown names are returned as errors. */
export function parseProvinces(cell: string): { codes: string[]; unknown: string[] } {
  const codes: string[] = [];
  const unknown: string[] = [];
  for (const part of cell.split(/[;,\n]/)) {
    const name = part.trim();
    if (!name) continue;
    const code = PROVINCE_BY_NAME.get(foldVietnamese(name).replace(/^tp /, "tp "));
    if (code) codes.push(code);
    else unknown.push(name);
  }
  return { codes, unknown };
}

const STATUS_BY_LABEL: Record<string, "active" | "ceased" | "exempt"> = {
  "dang hoat dong": "active",
  "hoat dong": "active",
  active: "active",
  "ngung hoat dong": "ceased",
  "da ngung": "ceased",
  ceased: "ceased",
  "mien tru": "exempt",
  exempt: "exempt",
};

export function parseStatus(cell: string): "active" | "ceased" | "exempt" | undefined {
  return STATUS_BY_LABEL[foldVietnamese(cell)];
}

/** dd/mm/yyyy (as written in Vietnam), d/m/yyyy, or yyyy-mm-dd (as read from date cells) → yyyy-mm-dd. */
export function parseDate(cell: string): string | undefined {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(cell);
  const vn = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(cell);
  const [y, m, d] = iso ? [iso[1], iso[2], iso[3]] : vn ? [vn[3], vn[2], vn[1]] : [];
  if (!y || !m || !d) return undefined;
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  if (date.getUTCMonth() !== Number(m) - 1 || date.getUTCDate() !== Number(d)) return undefined;
  return date.toISOString().slice(0, 10);
}

/** Columns of an export: what the import reads, plus what the registry derives. */
export const EXPORT_HEADERS = [
  "Mã hệ thống",
  "Tên",
  "Nhóm",
  "Cơ quan chủ trì",
  "Mã quản lý",
  "Mã số thuế",
  "Số giấy phép",
  "Số chứng chỉ hành nghề",
  "Trang mạng xã hội",
  "Tỉnh/thành",
  "Xã/phường",
  "Người liên hệ",
  "Chức vụ",
  "Email",
  "Điện thoại",
  "Trạng thái",
  "Lý do",
  "Phải ký từ ngày",
  "Ghi chú",
] as const;

const STATUS_LABEL = { active: "Đang hoạt động", ceased: "Ngừng hoạt động", exempt: "Miễn trừ" } as const;

/** One export row; dates as dd/mm/yyyy and provinces by name, so the file can be edited and imported back. */
export function partyExportRow(party: Party, labels: { group: string; agency: string }): string[] {
  const contact = party.contacts[0];
  const provinceName = (code: string) => PROVINCES.find((p) => p.code === code)?.name ?? code;
  return [
    party.id,
    party.name,
    labels.group,
    labels.agency,
    party.identifiers.refCode ?? "",
    party.identifiers.taxCode ?? "",
    party.identifiers.pressLicence ?? "",
    party.identifiers.practisingCertificate ?? "",
    party.identifiers.profiles.map((p) => p.url).join("; "),
    party.provinces.map(provinceName).join("; "),
    party.ward ?? "",
    contact?.name ?? "",
    contact?.title ?? "",
    contact?.email ?? "",
    contact?.phone ?? "",
    STATUS_LABEL[party.status],
    party.statusReason ?? "",
    party.obligatedFrom.split("-").reverse().join("/"),
    party.notes ?? "",
  ];
}
