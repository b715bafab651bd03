import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { readTable } from "./index";
import { handMadeXlsx, zip } from "./test-fixtures";
import { checkZip } from "./zip-guard";

const BROKEN = { ok: false, error: expect.stringMatching(/^Tệp XLSX bị hỏng/) };

describe("checkZip", () => {
  it("passes a workbook written by exceljs and lists its parts", async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet("S").addRow(["Tên"]);
    const result = checkZip(new Uint8Array(await workbook.xlsx.writeBuffer()));
    expect(result.ok && [...result.names]).toContain("xl/workbook.xml");
  });

  it("passes stored entries and ZIP64 size fields", () => {
    const result = checkZip(
      zip([
        { name: "a.txt", data: "stored", method: "store" },
        { name: "b.txt", data: "deflated ".repeat(100), zip64: true },
      ]),
    );
    expect(result).toEqual({ ok: true, names: new Set(["a.txt", "b.txt"]) });
  });

  it("refuses when the declared unpacked sizes add up to more than the limit", () => {
    const bomb = zip([{ name: "xl/worksheets/sheet1.xml", data: new Uint8Array(1024 * 1024) }]);
    expect(checkZip(bomb, 512 * 1024)).toEqual({ ok: false, reason: "too-large" });
    expect(checkZip(bomb, 1024 * 1024).ok).toBe(true);
  });

  it("refuses an entry that inflates to more than it declares, without inflating it all", () => {
    const liar = zip([
      { name: "xl/sharedStrings.xml", data: new Uint8Array(1024 * 1024), declaredSize: 1000 },
    ]);
    expect(checkZip(liar)).toEqual({ ok: false, reason: "corrupt" });
  });

  it("refuses encrypted entries and archives without a central directory", () => {
    expect(checkZip(zip([{ name: "a", data: "x", encrypted: true }]))).toEqual({
      ok: false,
      reason: "unsupported",
    });
    expect(checkZip(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]))).toEqual({
      ok: false,
      reason: "corrupt",
    });
  });
});

describe("readTable on ZIP files", () => {
  it("refuses a workbook that would unpack to more than 200 MB", async () => {
    const bomb = zip([
      { name: "xl/worksheets/sheet1.xml", data: "<x/>", method: "store", declaredSize: 201 * 1024 * 1024 },
    ]);
    expect(await readTable(bomb)).toEqual({
      ok: false,
      error: "Tệp XLSX quá lớn sau khi giải nén (tối đa 200 MB)",
    });
  });

  it("refuses a part that lies about its size as a damaged file", async () => {
    const liar = zip([
      { name: "xl/workbook.xml", data: "<workbook/>" },
      { name: "xl/sharedStrings.xml", data: new Uint8Array(1024 * 1024), declaredSize: 10 },
    ]);
    expect(await readTable(liar)).toEqual(BROKEN);
  });

  it("refuses a ZIP that is not a workbook (.docx, .zip) as not a spreadsheet", async () => {
    const docx = zip([{ name: "word/document.xml", data: "<w:document/>" }]);
    expect(await readTable(docx)).toEqual({ ok: false, error: "Tệp không phải XLSX hoặc CSV" });
  });

  it("refuses bytes that only start like a ZIP", async () => {
    expect(await readTable(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]))).toEqual(BROKEN);
  });

  it("reads a hand-made workbook with inline strings and no styles", async () => {
    const bytes = handMadeXlsx(
      '<row r="1"><c r="A1" t="inlineStr"><is><t>Tên</t></is></c><c r="B1" t="inlineStr"><is><t>SĐT</t></is></c></row>' +
        '<row r="3"><c r="A3" t="inlineStr"><is><t>Công ty Ánh Dương</t></is></c><c r="B3"><v>912345678</v></c></row>',
    );
    expect(await readTable(bytes)).toEqual({
      ok: true,
      format: "xlsx",
      headers: ["Tên", "SĐT"],
      rows: [{ rowNumber: 3, cells: ["Công ty Ánh Dương", "912345678"] }],
    });
  });

  it("returns the formula of a formula cell that also carries a link, not its cached result", async () => {
    // exceljs would turn this cell into a hyperlink value whose text is the cached result "2".
    const bytes = handMadeXlsx(
      '<row r="1"><c r="A1" t="inlineStr"><is><t>Tổng</t></is></c></row>' +
        '<row r="2"><c r="A2"><f>1+1</f><v>2</v></c></row>',
      {
        afterSheetData: '<hyperlinks><hyperlink ref="A2" r:id="rId1"/></hyperlinks>',
        sheetRels:
          '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="http://x.vn/" TargetMode="External"/>',
      },
    );
    const result = await readTable(bytes);
    expect(result.ok && result.rows).toEqual([{ rowNumber: 2, cells: ["=1+1"] }]);
  });
});
