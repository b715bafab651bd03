import {
  countReviewReport,
  type PeriodicReviewReportData,
  type QuickCaseReportData,
} from "@pledgewatch/core";
import { describe, expect, it } from "vitest";
import { createReviewReportRenderers, MAX_VIOLATION_ROWS } from "./review-report";
import { signaturePng } from "./test-fixtures";
import { flat, onPdf, pdfText, qpdfCheck } from "./test-support";

const renderers = createReviewReportRenderers();
const generatedAt = new Date("2026-12-03T02:00:00Z");

function periodic(violations: number): PeriodicReviewReportData {
  const { counts } = countReviewReport(
    [],
    { agency: "VHTT" },
    "2026-11-25T17:00:00Z",
    "2026-12-02T17:00:00Z",
    [],
  );
  return {
    kind: "campaign_weekly",
    title: "Báo cáo kết quả kiểm tra, xử lý vi phạm trên môi trường mạng trong tuần",
    periodLabel: "Tuần 26/11/2026 – 02/12/2026",
    scopeLabel: "Sở Văn hóa, Thể thao và Du lịch – Ninh Bình",
    ongoing: false,
    from: "2026-11-25T17:00:00Z",
    to: "2026-12-02T17:00:00Z",
    generatedAt,
    generatedBy: "Hoàng Thị Lan",
    focus: ["false_advertising"],
    counts: { ...counts, confirmed: violations, focusConfirmed: violations },
    violations: Array.from({ length: violations }, (_, i) => ({
      caseId: `case-${i}`,
      confirmedAt: "2026-11-27T03:00:00Z",
      type: "false_advertising" as const,
      typeLabel: "Quảng cáo sai sự thật, gây nhầm lẫn",
      legalBasis: "Luật Quảng cáo 2012, Điều 8",
      statement: "Phóng đại công dụng",
      handling: "Đã xác nhận gỡ bỏ",
      platform: "facebook",
      url: `https://www.facebook.com/ads/${i}`,
      // Hostile page text is drawn as text, never interpreted.
      title: i === 0 ? '=HYPERLINK("x") <script>alert(1)</script> Ưu đãi đặc biệt' : `Tin quảng cáo ${i}`,
      violator: "Công ty TNHH Thảo Dược Xanh",
    })),
    signatureTitle: "GIÁM ĐỐC SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH",
  };
}

describe("the periodic review report PDF", () => {
  it("is valid, in Vietnamese with embedded fonts, and cuts a long list short with a pointer to the XLSX", async () => {
    const pdf = await renderers.periodic(periodic(MAX_VIOLATION_ROWS + 5));
    expect((await qpdfCheck(pdf)).code).toBe(0);
    const text = flat(await pdfText(pdf));
    expect(text).toContain("BÁO CÁO KẾT QUẢ KIỂM TRA, XỬ LÝ VI PHẠM TRÊN MÔI TRƯỜNG MẠNG TRONG TUẦN");
    expect(text).toContain("Tuần 26/11/2026 – 02/12/2026");
    expect(text).toContain("Kỳ báo cáo: từ ngày 26/11/2026 đến hết ngày 02/12/2026.");
    expect(text).toContain("<script>alert(1)</script> Ưu đãi đặc biệt");
    expect(text).toContain("… và 5 vi phạm khác");
    expect(text).toContain(`/ads/${MAX_VIOLATION_ROWS - 1} `);
    expect(text).not.toContain(`/ads/${MAX_VIOLATION_ROWS} `);
    const fonts = await onPdf(pdf, "pdffonts", ["{}"]);
    // Every font embedded (the "emb" column), none a standard font without Vietnamese.
    const rows = fonts.stdout.split("\n").slice(2).filter(Boolean);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row).toMatch(/NotoSans.* yes /);
  });
});

describe("the quick case report PDF", () => {
  const data: QuickCaseReportData = {
    caseId: "abc123",
    title: "Báo cáo nhanh vụ việc",
    scopeLabel: "Sở Công Thương – Ninh Bình",
    generatedAt,
    generatedBy: "Lê Văn Hùng",
    detectedAt: "2026-12-02T01:00:00Z",
    confirmedAt: "2026-12-02T03:00:00Z",
    place: { province: "Ninh Bình", platform: "shopee", url: "https://shopee.vn/p/1" },
    leadUnit: "Sở Công Thương Ninh Bình",
    coordinatingUnits: ["Sở Y tế"],
    violator: { name: "Kho Giày Sỉ", registered: false, pledge: null },
    act: {
      confirmed: true,
      type: "Hàng giả, xâm phạm quyền sở hữu trí tuệ",
      legalBasis: "Nghị định 98/2020/NĐ-CP, Điều 11",
      statement: "Rao bán giày giả nhãn hiệu.",
      reasons: [],
    },
    goods: { title: "Giày Nike rep 1:1", price: 350000, category: "Giày dép", seller: "Kho Giày Sỉ" },
    handling: [
      { at: "2026-12-02T01:00:00Z", by: "Hệ thống", text: "Tiếp nhận cảnh báo" },
      { at: "2026-12-02T03:00:00Z", by: "Lê Văn Hùng", text: "Kết luận vi phạm: Hàng giả" },
    ],
    counts: { flags: 1, tips: 0, entries: 2 },
    state: "Đang yêu cầu gỡ bỏ",
    screenshot: signaturePng(1280, 4000),
    signatureTitle: "GIÁM ĐỐC SỞ CÔNG THƯƠNG",
  };

  it("lists the plans' fields and embeds the top of the screenshot", async () => {
    const pdf = await renderers.quick(data);
    expect((await qpdfCheck(pdf)).code).toBe(0);
    const text = flat(await pdfText(pdf));
    expect(text).toContain("4. Đơn vị phối hợp Sở Y tế");
    expect(text).toContain("350.000 đ");
    const images = await onPdf(pdf, "pdfimages", ["-list", "{}"]);
    // One image (and its alpha mask), the screenshot at its full pixel size (clipped, not resampled).
    const lines = images.stdout
      .split("\n")
      .slice(2)
      .filter((line) => /^\s*\d+\s+\d+\s+image /.test(line));
    expect(lines, images.stdout).toHaveLength(1);
    expect(lines[0]).toMatch(/ 1280 +4000 /);
  });

  it("stands without a picture when the screenshot is not a PNG", async () => {
    const pdf = await renderers.quick({ ...data, screenshot: new TextEncoder().encode("<html>") });
    const text = flat(await pdfText(pdf));
    expect(text).toContain("9. Tư liệu hình ảnh");
    const images = await onPdf(pdf, "pdfimages", ["-list", "{}"]);
    expect(images.stdout.split("\n").slice(2).filter(Boolean)).toEqual([]);
  });
});
