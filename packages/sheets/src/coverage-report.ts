import type { CoverageReportData } from "@pledgewatch/core";
import { type SheetInput, writeXlsxWorkbook } from "./write";

const dmy = (date: string) => date.split("-").reverse().join("/");

/** The coverage report's tables as a workbook: the same numbers as the PDF, one sheet per table. */
export function writeCoverageXlsx(data: CoverageReportData): Promise<Uint8Array> {
  const coverage = (name: string, first: string, rows: CoverageReportData["byAgency"]): SheetInput => ({
    name,
    headers: [first, "Phải ký", "Đã ký", "Chưa ký", "Tỷ lệ (%)"],
    rows: rows.map((r) => [r.label, r.obligated, r.signed, r.obligated - r.signed, r.percent]),
  });
  return writeXlsxWorkbook([
    {
      name: "Tổng hợp",
      headers: ["Chỉ tiêu", "Giá trị"],
      rows: [
        ["Quý", data.quarterLabel],
        ["Phạm vi", data.scopeLabel],
        ["Hạn ký", dmy(data.dueDate)],
        ["Phải ký", data.total.obligated],
        ["Đã ký", data.total.signed],
        ["Chưa ký", data.total.obligated - data.total.signed],
        ["Tỷ lệ (%)", data.total.percent],
        ["Người lập", data.generatedBy],
        ["Lập lúc", data.generatedAt.toISOString()],
      ],
    },
    coverage("Theo sở", "Sở", data.byAgency),
    coverage("Theo nhóm", "Nhóm", data.byFamily),
    coverage("Theo tỉnh", "Tỉnh, thành phố", data.byProvince),
    {
      name: "Xu hướng",
      headers: ["Quý", "Phải ký", "Đã ký", "Tỷ lệ (%)"],
      rows: data.trend.map((t) => [t.label, t.obligated, t.signed, t.percent]),
    },
    {
      name: "Quá hạn",
      headers: ["STT", "Tên đối tượng", "Nhóm", "Tỉnh", "Hạn ký", "Số ngày quá hạn"],
      rows: data.overdue.map((o, i) => [i + 1, o.name, o.group, o.province, dmy(o.dueDate), o.daysOverdue]),
    },
    {
      name: "Vi phạm",
      headers: ["Mã văn bản", "Đối tượng", "Lý do", "Thời điểm"],
      rows: data.breached.map((b) => [b.documentCode, b.name, b.reason, b.at]),
    },
  ]);
}
