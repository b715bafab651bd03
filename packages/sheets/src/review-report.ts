import {
  type PeriodicReviewReportData,
  periodicSummaryRows,
  type QuickCaseReportData,
  VIOLATION_LABELS_VI,
  VIOLATION_TYPES,
  vietnamDateTime,
} from "@pledgewatch/core";
import { writeXlsxWorkbook } from "./write";

/** "08/12/2026 15:00", Asia/Ho_Chi_Minh: how the people reading the sheet write a time. */
const at = (iso: string | Date) => vietnamDateTime(new Date(iso));

/**
 * The review reports as workbooks: the same figures as the PDF (the rows come from one definition,
 * `periodicSummaryRows`), and the full list of violations the PDF may cut short. Every text from a crawled
 * page or a platform is written as a neutralised string cell.
 */
export function writePeriodicReviewXlsx(data: PeriodicReviewReportData): Promise<Uint8Array> {
  const rows = periodicSummaryRows(data.counts);
  const section = (name: string, list: [string, number][]) => list.map(([label, n]) => [name, label, n]);
  return writeXlsxWorkbook([
    {
      name: "Tổng hợp",
      headers: ["Mục", "Chỉ tiêu", "Số lượng"],
      rows: [
        ["Báo cáo", data.title, null],
        ["Kỳ", data.periodLabel, null],
        ["Phạm vi", data.scopeLabel, null],
        ["Từ (tính cả)", at(data.from), null],
        ["Đến (không tính)", at(data.to), null],
        ["Người lập", data.generatedBy, null],
        ["Lập lúc", at(data.generatedAt), null],
        ...section("I. Tiếp nhận, rà soát", rows.received),
        ...section("II. Kết quả rà soát", rows.found),
        ...section("III. Kết quả xử lý", rows.done),
      ],
    },
    {
      name: "Theo loại vi phạm",
      headers: ["Loại vi phạm", "Phạm vi báo cáo", "Số hồ sơ"],
      rows: VIOLATION_TYPES.map((type) => [
        VIOLATION_LABELS_VI[type],
        data.focus.includes(type) ? "Có" : "",
        data.counts.confirmedBy[type],
      ]),
    },
    {
      name: "Vi phạm",
      headers: [
        "STT",
        "Mã hồ sơ",
        "Kết luận lúc",
        "Loại vi phạm",
        "Đối tượng",
        "Nền tảng",
        "Tiêu đề",
        "URL",
        "Căn cứ pháp lý",
        "Nhận định",
        "Xử lý",
      ],
      rows: data.violations.map((v, i) => [
        i + 1,
        v.caseId,
        at(v.confirmedAt),
        v.typeLabel,
        v.violator,
        v.platform,
        v.title,
        v.url,
        v.legalBasis,
        v.statement,
        v.handling,
      ]),
    },
  ]);
}

export function writeQuickCaseXlsx(data: QuickCaseReportData): Promise<Uint8Array> {
  return writeXlsxWorkbook([
    {
      name: "Báo cáo nhanh",
      headers: ["Nội dung", "Chi tiết"],
      rows: [
        ["Mã hồ sơ", data.caseId],
        ["Phạm vi", data.scopeLabel],
        ["Thời gian phát hiện", at(data.detectedAt)],
        ["Thời gian kết luận", data.confirmedAt ? at(data.confirmedAt) : "chưa kết luận"],
        ["Địa bàn", data.place.province],
        ["Nền tảng", data.place.platform],
        ["URL", data.place.url],
        ["Đơn vị chủ trì", data.leadUnit],
        ["Đơn vị phối hợp", data.coordinatingUnits.join("; ")],
        ["Đối tượng vi phạm", data.violator.name],
        ["Cam kết", data.violator.pledge ?? ""],
        ["Hành vi vi phạm", data.act.type],
        ["Căn cứ pháp lý", data.act.legalBasis],
        ["Nhận định", data.act.statement],
        ["Dấu hiệu theo cảnh báo", data.act.reasons.join("; ")],
        ["Hàng hóa", data.goods.title],
        ["Giá (đồng)", data.goods.price],
        ["Ngành hàng", data.goods.category ?? ""],
        ["Người bán", data.goods.seller ?? ""],
        ["Trạng thái", data.state],
        ["Số cảnh báo", data.counts.flags],
        ["Số phản ánh", data.counts.tips],
        ["Số bước xử lý", data.counts.entries],
        ["Tư liệu hình ảnh", data.screenshot ? "Có (trong tệp PDF)" : "Không có"],
        ["Người lập", data.generatedBy],
        ["Lập lúc", at(data.generatedAt)],
      ],
    },
    {
      name: "Diễn biến",
      headers: ["STT", "Thời điểm", "Người thực hiện", "Nội dung"],
      rows: data.handling.map((h, i) => [i + 1, at(h.at), h.by, h.text]),
    },
  ]);
}
