import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { readTable } from "./index";
import { checkZip } from "./zip-guard";

async function xlsx(build: (workbook: ExcelJS.Workbook) => void): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  build(workbook);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

async function readOk(bytes: Uint8Array) {
  const result = await readTable(bytes);
  if (!result.ok) throw new Error(result.error);
  expect(result.format).toBe("xlsx");
  return result;
}

describe("readTable on XLSX", () => {
  it("returns every kind of cell value as the text the user typed", async () => {
    const bytes = await xlsx((workbook) => {
      const sheet = workbook.addWorksheet("Bác sĩ");
      sheet.addRow([
        "Họ và tên",
        "Ngày sinh",
        "Điện thoại",
        "Công thức",
        "Đơn vị",
        "Hệ số",
        "Đang hành nghề",
        "Lỗi",
        "Web",
      ]);
      sheet.addRow([
        "Lê Thị Hồng".normalize("NFD"),
        new Date(Date.UTC(1990, 4, 17)),
        912345678,
        { formula: 'HYPERLINK("http://x")', result: "http://x" },
        { richText: [{ text: "Bệnh viện ", font: { bold: true } }, { text: "Bạch Mai" }] },
        1.5,
        true,
        { error: "#N/A" },
        { text: "benhvien.vn", hyperlink: "https://benhvien.vn" },
      ]);
      sheet.getCell("B2").numFmt = "dd/mm/yyyy";
    });
    const result = await readOk(bytes);
    expect(result.headers).toEqual([
      "Họ và tên",
      "Ngày sinh",
      "Điện thoại",
      "Công thức",
      "Đơn vị",
      "Hệ số",
      "Đang hành nghề",
      "Lỗi",
      "Web",
    ]);
    expect(result.rows).toEqual([
      {
        rowNumber: 2,
        cells: [
          "Lê Thị Hồng".normalize("NFC"),
          "1990-05-17",
          "912345678",
          '=HYPERLINK("http://x")',
          "Bệnh viện Bạch Mai",
          "1.5",
          "TRUE",
          "#N/A",
          "benhvien.vn",
        ],
      },
    ]);
  });

  it("returns formulas as text, never their cached results, including shared formulas", async () => {
    const bytes = await xlsx((workbook) => {
      const sheet = workbook.addWorksheet("S");
      sheet.addRow(["Số", "Gấp đôi", "Tổng"]);
      sheet.addRow([
        1,
        { formula: "A2*2", shareType: "shared", ref: "B2:B3", result: 2 },
        { formula: "SUM(A2:A3)", result: 3 },
      ]);
      sheet.addRow([2, { sharedFormula: "B2", result: 4 }, { formula: "FALSE()", result: false }]);
    });
    const result = await readOk(bytes);
    expect(result.rows.map((row) => row.cells)).toEqual([
      ["1", "=A2*2", "=SUM(A2:A3)"],
      ["2", "=A3*2", "=FALSE()"],
    ]);
  });

  it("returns injection-looking strings unchanged as text", async () => {
    const bytes = await xlsx((workbook) => {
      const sheet = workbook.addWorksheet("S");
      sheet.addRow(["Ghi chú"]);
      for (const text of ["=1+1", "+84912345678", "-5", "@SUM(A1)", "=cmd|' /C calc'!A0"])
        sheet.addRow([text]);
    });
    const result = await readOk(bytes);
    expect(result.rows.map((row) => row.cells[0])).toEqual([
      "=1+1",
      "+84912345678",
      "-5",
      "@SUM(A1)",
      "=cmd|' /C calc'!A0",
    ]);
  });

  it("keeps large and small numbers in plain decimal notation", async () => {
    const bytes = await xlsx((workbook) => {
      const sheet = workbook.addWorksheet("S");
      sheet.addRow(["CCCD", "Lớn", "Nhỏ", "Âm"]);
      sheet.addRow([1234567890123, 1e21, 0.0000001, -0.25]);
    });
    expect((await readOk(bytes)).rows[0]?.cells).toEqual([
      "1234567890123",
      "1000000000000000000000",
      "0.0000001",
      "-0.25",
    ]);
  });

  it("skips empty middle rows with true row numbers and drops trailing empty or styled rows", async () => {
    const bytes = await xlsx((workbook) => {
      const sheet = workbook.addWorksheet("S");
      sheet.getCell("A1").value = "Tên";
      sheet.getCell("B1").value = "Tỉnh";
      sheet.getCell("A2").value = "Công ty A";
      sheet.getCell("A3").value = "   "; // only spaces: empty once trimmed
      sheet.getCell("B4").fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFFFFF00" } };
      sheet.getCell("A5").value = "Công ty B";
      sheet.getCell("B5").value = " Cần Thơ ";
      sheet.getCell("A8").value = "";
      sheet.getCell("C9").border = { top: { style: "thin" } };
    });
    expect((await readOk(bytes)).rows).toEqual([
      { rowNumber: 2, cells: ["Công ty A", ""] },
      { rowNumber: 5, cells: ["Công ty B", "Cần Thơ"] },
    ]);
  });

  it("uses the first non-empty row as header and keeps Excel's row numbers", async () => {
    const bytes = await xlsx((workbook) => {
      const sheet = workbook.addWorksheet("S");
      sheet.getCell("B3").value = "Mã";
      sheet.getCell("C3").value = "Tên";
      sheet.getCell("B4").value = "01";
      sheet.getCell("C4").value = "A";
    });
    const result = await readOk(bytes);
    expect(result.headers).toEqual(["", "Mã", "Tên"]);
    expect(result.rows).toEqual([{ rowNumber: 4, cells: ["", "01", "A"] }]);
  });

  it("gives a merged range's value to its top-left cell only, as Excel does", async () => {
    const bytes = await xlsx((workbook) => {
      const sheet = workbook.addWorksheet("S");
      sheet.addRow(["Tỉnh", "Tên"]);
      sheet.addRow(["Hải Phòng", "A"]);
      sheet.addRow([null, "B"]);
      sheet.mergeCells("A2:A3");
    });
    expect((await readOk(bytes)).rows.map((row) => row.cells)).toEqual([
      ["Hải Phòng", "A"],
      ["", "B"],
    ]);
  });

  it("reads the first visible sheet", async () => {
    const bytes = await xlsx((workbook) => {
      workbook.addWorksheet("Danh mục", { state: "hidden" }).addRow(["Ẩn"]);
      workbook.addWorksheet("Doanh nghiệp").addRow(["Tên doanh nghiệp"]);
      workbook.addWorksheet("Khác").addRow(["Khác"]);
    });
    expect((await readOk(bytes)).headers).toEqual(["Tên doanh nghiệp"]);
  });

  it("reads dates of a 1904-based workbook (Excel for Mac) as the same calendar dates", async () => {
    const bytes = await xlsx((workbook) => {
      workbook.properties.date1904 = true;
      const sheet = workbook.addWorksheet("S");
      sheet.addRow(["Ngày cấp"]);
      sheet.addRow([new Date(Date.UTC(2024, 1, 29))]);
    });
    expect((await readOk(bytes)).rows[0]?.cells).toEqual(["2024-02-29"]);
  });

  it("still reads a sheet that has links, validation, conditional formatting and an image", async () => {
    // A 1×1 PNG. exceljs types image data as its own `Buffer extends ArrayBuffer`, hence an ArrayBuffer.
    const png =
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
    const pixel = Uint8Array.from(atob(png), (c) => c.charCodeAt(0)).buffer;
    const bytes = await xlsx((workbook) => {
      const sheet = workbook.addWorksheet("S");
      sheet.addRow(["Tên", "Trạng thái"]);
      sheet.addRow([{ text: "Công ty A", hyperlink: "https://a.vn" }, "Đạt"]);
      sheet.getCell("B2").dataValidation = { type: "list", allowBlank: true, formulae: ['"Đạt,Không đạt"'] };
      sheet.addConditionalFormatting({
        ref: "B2:B10",
        rules: [{ type: "containsText", operator: "containsText", text: "Không", priority: 1, style: {} }],
      });
      const image = workbook.addImage({ buffer: pixel, extension: "png" });
      sheet.addImage(image, "D2:E4");
    });
    const parts = checkZip(bytes);
    expect(parts.ok && [...parts.names]).toEqual(
      expect.arrayContaining(["xl/drawings/drawing1.xml", "xl/media/image1.png"]),
    );
    expect((await readOk(bytes)).rows).toEqual([{ rowNumber: 2, cells: ["Công ty A", "Đạt"] }]);
  });

  it("refuses more data rows than the limit", async () => {
    const bytes = await xlsx((workbook) => {
      const sheet = workbook.addWorksheet("S");
      sheet.addRow(["Mã"]);
      for (let i = 0; i < 4; i++) sheet.addRow([i]);
    });
    expect(await readTable(bytes, { maxRows: 3 })).toEqual({ ok: false, error: "Quá nhiều dòng (tối đa 3)" });
    expect((await readTable(bytes, { maxRows: 4 })).ok).toBe(true);
  });

  it("refuses a workbook whose first sheet is empty: no header", async () => {
    const bytes = await xlsx((workbook) => {
      workbook.addWorksheet("Trống");
    });
    expect(await readTable(bytes)).toEqual({ ok: false, error: "Tệp không có dòng tiêu đề" });
  });

  it("refuses a workbook without sheets", async () => {
    const bytes = await xlsx(() => {});
    expect(await readTable(bytes)).toEqual({ ok: false, error: "Tệp XLSX không có trang tính nào" });
  });

  it("refuses a damaged XLSX", async () => {
    const bytes = await xlsx((workbook) => {
      workbook.addWorksheet("S").addRow(["Tên"]);
    });
    const truncated = bytes.slice(0, Math.floor(bytes.length / 2));
    const result = await readTable(truncated);
    expect(result).toEqual({ ok: false, error: expect.stringMatching(/^Tệp XLSX bị hỏng/) });
  });
});
