/**
 * The quarterly coverage report: A4, Noto Sans subset (the pledge's own fonts and layout engine), charts
 * drawn as vector rectangles and lines, tables by agency, family and province, the overdue parties, the
 * pledges breached, and a signature block for the agency head. Typed data in, bytes out.
 */
import type { CoverageReportData } from "@pledgewatch/core";
import { loadFaces } from "./faces";
import { CONTENT_WIDTH, Flow, MARGIN } from "./layout";
import type { RendererOptions } from "./render";
import {
  formatCount,
  heading,
  listTable,
  nationalHeader,
  pageFooters,
  savePdf,
  signatureBlock,
  table,
} from "./report-kit";
import { vietnamDateTime } from "./text";

/** "85,7 %": Vietnamese decimal comma. */
export function formatPercent(value: number): string {
  return `${value.toFixed(1).replace(".", ",")} %`;
}

const dmy = (date: string) => date.split("-").reverse().join("/");

/** Overdue rows drawn in the PDF; a national report can have tens of thousands, all in the XLSX. */
export const MAX_OVERDUE_ROWS = 500;

const GREEN: [number, number, number] = [0.13, 0.55, 0.33];
const AMBER: [number, number, number] = [0.85, 0.55, 0.1];
const RED: [number, number, number] = [0.78, 0.18, 0.18];
const colourOf = (pct: number) => (pct >= 90 ? GREEN : pct >= 60 ? AMBER : RED);

/** Horizontal bars: one per row, its length the coverage, its colour how far from 100 %. */
function barChart(flow: Flow, rows: { label: string; percent: number }[]) {
  const labelWidth = 170;
  const barX = MARGIN.left + labelWidth;
  const barWidth = CONTENT_WIDTH - labelWidth - 50;
  const rowHeight = 16;
  flow.ensure(rows.length * rowHeight + 24);
  const small = { style: "regular" as const, size: 8, gray: 0 };
  for (const row of rows) {
    const y = flow.y - rowHeight;
    const label = flow.prepare(row.label);
    flow.drawText(label.length > 42 ? `${label.slice(0, 41)}…` : label, MARGIN.left, y + 4, small);
    flow.add({ kind: "rects", rects: [[barX, y + 2, barWidth, 10]], gray: 0.92 });
    const w = Math.max(0, Math.min(100, row.percent)) * (barWidth / 100);
    if (w > 0)
      flow.add({ kind: "rects", rects: [[barX, y + 2, w, 10]], gray: 0, rgb: colourOf(row.percent) });
    flow.drawText(flow.prepare(formatPercent(row.percent)), barX + barWidth + 6, y + 4, small);
    flow.y = y;
  }
  // The 100 % line: the target.
  flow.line(barX + barWidth, flow.y, barX + barWidth, flow.y + rows.length * rowHeight, 0.8, 0.3);
  flow.space(8);
}

/** Columns over quarters, with the values above them and a 100 % rule. */
function trendChart(flow: Flow, points: { label: string; percent: number; obligated: number }[]) {
  const height = 110;
  flow.ensure(height + 40);
  const baseY = flow.y - height - 8;
  const left = MARGIN.left + 30;
  const slot = (CONTENT_WIDTH - 40) / Math.max(points.length, 1);
  const small = { style: "regular" as const, size: 8, gray: 0 };
  flow.line(left, baseY, left + slot * points.length, baseY, 0.6, 0);
  flow.line(left, baseY + height, left + slot * points.length, baseY + height, 0.4, 0.5);
  flow.drawText(flow.prepare("100 %"), MARGIN.left, baseY + height - 3, small);
  flow.drawText(flow.prepare("0 %"), MARGIN.left + 10, baseY - 3, small);
  points.forEach((p, i) => {
    const h = (Math.max(0, Math.min(100, p.percent)) / 100) * height;
    const x = left + i * slot + slot * 0.25;
    if (h > 0)
      flow.add({ kind: "rects", rects: [[x, baseY, slot * 0.5, h]], gray: 0, rgb: colourOf(p.percent) });
    const value = flow.prepare(formatPercent(p.percent));
    flow.drawText(value, x + slot * 0.25 - flow.width(value, "regular", 8) / 2, baseY + h + 4, small);
    const label = flow.prepare(p.label);
    flow.drawText(label, x + slot * 0.25 - flow.width(label, "regular", 8) / 2, baseY - 12, small);
  });
  flow.y = baseY - 22;
}

const coverageColumns = (first: string) => [
  { title: first, width: 200 },
  { title: "Phải ký", width: 80 },
  { title: "Đã ký", width: 80 },
  { title: "Chưa ký", width: 60 },
  { title: "Tỷ lệ", width: 33 },
];

const coverageRows = (rows: CoverageReportData["byAgency"]) =>
  rows.map((r) => [
    r.label,
    formatCount(r.obligated),
    formatCount(r.signed),
    formatCount(r.obligated - r.signed),
    formatPercent(r.percent),
  ]);

export function createCoverageReportRenderer(options: RendererOptions = {}) {
  return async (data: CoverageReportData): Promise<Uint8Array> => {
    const flow = new Flow(await loadFaces(options.bundleDir));
    nationalHeader(flow);
    flow.paragraph(`BÁO CÁO KẾT QUẢ KÝ CAM KẾT ${data.quarterLabel.toUpperCase()}`, {
      style: "bold",
      size: 14,
      align: "center",
    });
    flow.paragraph(data.scopeLabel, { size: 11, align: "center", after: 10 });
    flow.paragraph(
      `Tổng số đối tượng phải ký: ${formatCount(data.total.obligated)}; đã ký: ${formatCount(data.total.signed)}; chưa ký: ${formatCount(data.total.obligated - data.total.signed)}; tỷ lệ bao phủ: ${formatPercent(data.total.percent)} (mục tiêu 100 %). Hạn ký của quý: ${dmy(data.dueDate)}.`,
      { size: 11, align: "justify", after: 4 },
    );
    flow.paragraph(
      `Lập lúc ${vietnamDateTime(data.generatedAt)} bởi ${data.generatedBy}. Một đối tượng hoạt động ở nhiều tỉnh ký một lần và được tính ở mỗi tỉnh.`,
      { size: 9, gray: 0.35, after: 4 },
    );

    heading(flow, "1. Tỷ lệ bao phủ theo sở và nhóm đối tượng");
    barChart(flow, [
      ...data.byAgency.map((r) => ({ label: r.label, percent: r.percent })),
      ...data.byFamily.map((r) => ({ label: r.label, percent: r.percent })),
    ]);
    heading(flow, "2. Xu hướng qua các quý");
    trendChart(flow, data.trend);

    heading(flow, "3. Theo sở");
    table(flow, coverageColumns("Sở"), coverageRows(data.byAgency));
    heading(flow, "4. Theo nhóm đối tượng");
    table(flow, coverageColumns("Nhóm"), coverageRows(data.byFamily));
    heading(flow, "5. Theo tỉnh, thành phố");
    table(flow, coverageColumns("Tỉnh, thành phố"), coverageRows(data.byProvince));

    heading(flow, `6. Đối tượng quá hạn chưa ký (${formatCount(data.overdue.length)})`);
    listTable(flow, {
      columns: [
        { title: "Tên đối tượng", width: 152 },
        { title: "Nhóm", width: 105 },
        { title: "Tỉnh", width: 65 },
        { title: "Hạn ký", width: 56 },
        { title: "Quá hạn", width: 47 },
      ],
      rows: data.overdue.map((o) => [o.name, o.group, o.province, dmy(o.dueDate), `${o.daysOverdue} ngày`]),
      max: MAX_OVERDUE_ROWS,
      empty: "Không có đối tượng quá hạn.",
      rest: (n) =>
        `… và ${formatCount(n)} đối tượng khác: danh sách đầy đủ trong tệp XLSX kèm theo (trang “Quá hạn”).`,
    });

    heading(flow, `7. Cam kết bị vi phạm trong quý (${formatCount(data.breached.length)})`);
    if (data.breached.length === 0)
      flow.paragraph("Không có cam kết bị ghi nhận vi phạm.", { size: 10, after: 4 });
    else
      table(
        flow,
        [
          { title: "Mã văn bản", width: 120 },
          { title: "Đối tượng", width: 160 },
          { title: "Lý do", width: 173 },
        ],
        data.breached.map((b) => [b.documentCode, b.name, b.reason]),
      );

    signatureBlock(flow, data.generatedAt, data.signatureTitle);
    pageFooters(flow, `${data.quarterLabel} – ${data.scopeLabel}`);
    return savePdf(flow, {
      title: `Báo cáo ký cam kết ${data.quarterLabel}`,
      author: data.scopeLabel,
      at: data.generatedAt,
    });
  };
}
