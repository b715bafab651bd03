/**
 * The review reports (issue 8): the periodic reports (quarterly false-advertising review, monthly
 * false quality-claims review, weekly campaign report) and the quick case report. Same fonts, layout
 * engine and parts as the coverage report (./report-kit.ts). Every text on them that came from a crawled
 * page, a platform or a reviewer (titles, URLs, reasons) is only ever drawn as text.
 */
import {
  type PeriodicReviewReportData,
  periodicSummaryRows,
  type QuickCaseReportData,
  VIOLATION_LABELS_VI,
  VIOLATION_TYPES,
} from "@pledgewatch/core";
import { loadFaces } from "./faces";
import { CONTENT_WIDTH, Flow } from "./layout";
import type { RendererOptions } from "./render";
import {
  fieldTable,
  formatCount,
  heading,
  listTable,
  nationalHeader,
  type PlacedImage,
  pageFooters,
  placeScreenshot,
  savePdf,
  signatureBlock,
  table,
} from "./report-kit";
import { vietnamDateTime } from "./text";

/** Violations listed in the PDF; all of them are in the XLSX. */
export const MAX_VIOLATION_ROWS = 300;
/** Height of the screenshot excerpt on the quick report, in points. */
const SHOT_HEIGHT = 330;

const at = (iso: string) => vietnamDateTime(new Date(iso));
/** "05/11/2026": the calendar day in Vietnam. */
const day = (iso: string) => at(iso).slice(0, 10);
const vnd = (price: number | null) => (price === null ? "không rõ" : `${price.toLocaleString("vi-VN")} đ`);

function figures(flow: Flow, rows: [string, number][]) {
  table(
    flow,
    [
      { title: "Chỉ tiêu", width: CONTENT_WIDTH - 90 },
      { title: "Số lượng", width: 90 },
    ],
    rows.map(([label, n]) => [label, formatCount(n)]),
  );
}

function title(flow: Flow, text: string, lines: string[]) {
  nationalHeader(flow);
  flow.paragraph(text.toUpperCase(), { style: "bold", size: 13, align: "center" });
  for (const line of lines) flow.paragraph(line, { size: 11, align: "center" });
  flow.space(8);
}

export function createReviewReportRenderers(options: RendererOptions = {}) {
  return {
    async periodic(data: PeriodicReviewReportData): Promise<Uint8Array> {
      const flow = new Flow(await loadFaces(options.bundleDir));
      title(flow, data.title, [data.periodLabel, data.scopeLabel]);
      flow.paragraph(
        `Kỳ báo cáo: từ ngày ${day(data.from)} ${data.ongoing ? `đến ${at(data.to)} (kỳ chưa kết thúc: số liệu đến thời điểm lập báo cáo)` : `đến hết ngày ${day(new Date(Date.parse(data.to) - 1).toISOString())}`}. Phạm vi: ${data.focus.map((t) => VIOLATION_LABELS_VI[t]).join("; ")}.`,
        { size: 10.5, align: "justify", after: 3 },
      );
      flow.paragraph(
        `Lập lúc ${vietnamDateTime(data.generatedAt)} bởi ${data.generatedBy}. Mọi số liệu được đếm lại từ nhật ký xử lý hồ sơ; cảnh báo tự động chỉ là căn cứ để cán bộ xem xét, không phải kết luận vi phạm.`,
        { size: 9, gray: 0.35, after: 4 },
      );
      const rows = periodicSummaryRows(data.counts);
      heading(flow, "I. Tình hình tiếp nhận, rà soát");
      figures(flow, rows.received);
      heading(flow, "II. Kết quả rà soát");
      figures(flow, rows.found);
      heading(flow, "Kết luận vi phạm theo loại");
      table(
        flow,
        [
          { title: "Loại vi phạm", width: CONTENT_WIDTH - 170 },
          { title: "Phạm vi báo cáo", width: 80 },
          { title: "Số hồ sơ", width: 90 },
        ],
        VIOLATION_TYPES.map((type) => [
          VIOLATION_LABELS_VI[type],
          data.focus.includes(type) ? "Có" : "",
          formatCount(data.counts.confirmedBy[type]),
        ]),
      );
      heading(flow, "III. Kết quả xử lý");
      figures(flow, rows.done);

      heading(flow, `IV. Danh sách vi phạm thuộc phạm vi báo cáo (${formatCount(data.violations.length)})`);
      listTable(flow, {
        columns: [
          { title: "Kết luận lúc", width: 58 },
          { title: "Đối tượng, nền tảng", width: 85 },
          { title: "Nội dung vi phạm", width: 117 },
          { title: "Căn cứ", width: 100 },
          { title: "Xử lý", width: 65 },
        ],
        rows: data.violations.map((v) => [
          at(v.confirmedAt),
          `${v.violator} (${v.platform})`,
          `${v.typeLabel}: ${v.title}${v.url ? ` – ${v.url}` : ""}`,
          v.legalBasis,
          v.handling,
        ]),
        max: MAX_VIOLATION_ROWS,
        empty: "Không có vi phạm được kết luận trong kỳ.",
        rest: (n) =>
          `… và ${formatCount(n)} vi phạm khác: danh sách đầy đủ trong tệp XLSX kèm theo (trang “Vi phạm”).`,
      });

      signatureBlock(flow, data.generatedAt, data.signatureTitle);
      pageFooters(flow, `${data.periodLabel} – ${data.scopeLabel}`);
      return savePdf(flow, {
        title: `${data.title} – ${data.periodLabel}`,
        author: data.scopeLabel,
        at: data.generatedAt,
      });
    },

    async quick(data: QuickCaseReportData): Promise<Uint8Array> {
      const flow = new Flow(await loadFaces(options.bundleDir));
      title(flow, data.title, [data.scopeLabel, `Mã hồ sơ: ${data.caseId}`]);
      flow.paragraph(
        `Lập lúc ${vietnamDateTime(data.generatedAt)} bởi ${data.generatedBy}. Trạng thái hồ sơ: ${data.state}.`,
        { size: 9, gray: 0.35, after: 4 },
      );
      const act = data.act.confirmed
        ? `${data.act.type}. Căn cứ: ${data.act.legalBasis}. ${data.act.statement}`
        : `Chưa kết luận. Dấu hiệu theo cảnh báo: ${data.act.reasons.join("; ")}`;
      const handling = data.handling.filter((h) => !h.text.startsWith("Tiếp nhận"));
      fieldTable(flow, [
        [
          "1. Thời gian",
          `Phát hiện: ${at(data.detectedAt)}; kết luận: ${data.confirmedAt ? at(data.confirmedAt) : "chưa kết luận"}`,
        ],
        [
          "2. Địa điểm",
          `${data.place.platform}${data.place.url ? `, ${data.place.url}` : ""} (địa bàn ${data.place.province})`,
        ],
        ["3. Đơn vị chủ trì", data.leadUnit],
        [
          "4. Đơn vị phối hợp",
          data.coordinatingUnits.length > 0 ? data.coordinatingUnits.join("; ") : "Không có",
        ],
        [
          "5. Đối tượng vi phạm",
          `${data.violator.name}${data.violator.registered ? " (có trong danh sách đối tượng phải ký cam kết)" : ""}${data.violator.pledge ? `; cam kết ${data.violator.pledge}` : ""}`,
        ],
        ["6. Hành vi vi phạm", act],
        [
          "7. Tang vật, hàng hóa",
          `${data.goods.title}; giá ${vnd(data.goods.price)}${data.goods.category ? `; ngành hàng ${data.goods.category}` : ""}${data.goods.seller ? `; người bán ${data.goods.seller}` : ""}`,
        ],
        ["8. Kết quả xử lý ban đầu", `${data.state}. ${handling.at(-1)?.text ?? "Chưa có biện pháp xử lý"}`],
        [
          "9. Tư liệu hình ảnh",
          data.screenshot ? "Ảnh chụp trang khi thu thập (phần đầu), bên dưới" : "Không có",
        ],
        [
          "Số liệu từ nhật ký",
          `${formatCount(data.counts.flags)} cảnh báo, trong đó ${formatCount(data.counts.tips)} phản ánh của người dân; ${formatCount(data.counts.entries)} bước xử lý`,
        ],
      ]);

      heading(flow, "Diễn biến xử lý");
      table(
        flow,
        [
          { title: "Thời điểm", width: 75 },
          { title: "Người thực hiện", width: 100 },
          { title: "Nội dung", width: CONTENT_WIDTH - 175 },
        ],
        data.handling.map((h) => [at(h.at), h.by, h.text]),
      );

      const images: PlacedImage[] = [];
      if (data.screenshot) {
        flow.space(6);
        flow.paragraph("Tư liệu hình ảnh: ảnh chụp trang khi thu thập (phần đầu)", {
          style: "bold",
          size: 10.5,
          after: 6,
        });
        const placed = placeScreenshot(flow, data.screenshot, SHOT_HEIGHT);
        if (placed) images.push(placed);
      }

      signatureBlock(flow, data.generatedAt, data.signatureTitle);
      pageFooters(flow, `Báo cáo nhanh – ${data.caseId.slice(0, 16)}`);
      return savePdf(
        flow,
        { title: `${data.title} ${data.caseId}`, author: data.scopeLabel, at: data.generatedAt },
        images,
      );
    },
  };
}
