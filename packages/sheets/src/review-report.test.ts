import { countReviewReport, type PeriodicReviewReportData } from "@pledgewatch/core";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { writePeriodicReviewXlsx } from "./review-report";

describe("the periodic review report workbook", () => {
  it("writes the summary figures as numbers and hostile page text as neutralised strings", async () => {
    const { counts } = countReviewReport(
      [],
      { agency: "CT" },
      "2026-10-31T17:00:00Z",
      "2026-11-30T17:00:00Z",
      [],
    );
    const data: PeriodicReviewReportData = {
      kind: "quality_monthly",
      title: "Báo cáo rà soát",
      periodLabel: "Tháng 11/2026",
      scopeLabel: "Sở Công Thương – Ninh Bình",
      ongoing: false,
      from: "2026-10-31T17:00:00Z",
      to: "2026-11-30T17:00:00Z",
      generatedAt: new Date("2026-12-01T02:00:00Z"),
      generatedBy: "Lê Văn Minh",
      focus: ["false_quality_claim"],
      counts: { ...counts, flags: 12, confirmed: 1, focusConfirmed: 1 },
      violations: [
        {
          caseId: "c1",
          confirmedAt: "2026-11-10T03:00:00Z",
          type: "false_quality_claim",
          typeLabel: "Công bố sai sự thật về quy chuẩn, tiêu chuẩn, chất lượng",
          legalBasis: "Luật Chất lượng sản phẩm, hàng hóa 2007",
          statement: "Ghi đạt TCVN khi chưa công bố",
          handling: "Đã xác nhận gỡ bỏ",
          platform: "shopee",
          url: "https://shopee.vn/p/1",
          title: '=HYPERLINK("http://evil.example","Bấm vào")',
          violator: "@Shop Giả",
        },
      ],
      signatureTitle: "GIÁM ĐỐC SỞ CÔNG THƯƠNG",
    };
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await writePeriodicReviewXlsx(data)) as never);
    const summary = book.getWorksheet("Tổng hợp");
    const flags = summary
      ?.getRows(1, summary.rowCount)
      ?.find((r) => r.getCell(2).value === "Cảnh báo và phản ánh tiếp nhận");
    expect(flags?.getCell(3).value).toBe(12);
    const row = book.getWorksheet("Vi phạm")?.getRow(2);
    expect(row?.getCell(7).value).toBe('\'=HYPERLINK("http://evil.example","Bấm vào")');
    expect(row?.getCell(5).value).toBe("'@Shop Giả");
    expect(row?.getCell(3).value).toBe("10/11/2026 10:00");
    // Every violation type has its row, the smuggled and IP ones too (issue 21, item 7).
    const byType = book.getWorksheet("Theo loại vi phạm");
    const labels = byType?.getRows(2, byType.rowCount - 1)?.map((r) => r.getCell(1).value);
    expect(labels).toContain("Hàng nhập lậu, hàng không rõ nguồn gốc xuất xứ");
    expect(labels).toContain("Xâm phạm quyền sở hữu trí tuệ");
    expect(labels).toHaveLength(9);
    // No cell anywhere is a formula.
    book.eachSheet((sheet) =>
      sheet.eachRow((r) => r.eachCell((cell) => expect(cell.type).not.toBe(ExcelJS.ValueType.Formula))),
    );
  });
});
