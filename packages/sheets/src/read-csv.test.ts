import { describe, expect, it } from "vitest";
import { readTable } from "./index";

const utf8 = (text: string) => new TextEncoder().encode(text);
const withBom = (text: string) => new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(text)]);

/** What Excel's "Unicode text" export writes: UTF-16 LE with a BOM. */
function utf16le(text: string): Uint8Array {
  const bytes = new Uint8Array(2 + text.length * 2);
  bytes.set([0xff, 0xfe]);
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    bytes[2 + 2 * i] = unit & 0xff;
    bytes[3 + 2 * i] = unit >> 8;
  }
  return bytes;
}

function utf16be(text: string): Uint8Array {
  const bytes = new Uint8Array(2 + text.length * 2);
  bytes.set([0xfe, 0xff]);
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    bytes[2 + 2 * i] = unit >> 8;
    bytes[3 + 2 * i] = unit & 0xff;
  }
  return bytes;
}

const SAMPLE = "Tên doanh nghiệp,Mã số thuế,Tỉnh\r\nCông ty TNHH Đức Việt,0101234567,Hà Nội\r\n";
const SAMPLE_TABLE = {
  ok: true,
  format: "csv",
  headers: ["Tên doanh nghiệp", "Mã số thuế", "Tỉnh"],
  rows: [{ rowNumber: 2, cells: ["Công ty TNHH Đức Việt", "0101234567", "Hà Nội"] }],
};

describe("readTable on CSV and text", () => {
  it("reads UTF-8 without a BOM", async () => {
    expect(await readTable(utf8(SAMPLE))).toEqual(SAMPLE_TABLE);
  });

  it("reads UTF-8 with a BOM and does not leak it into the first header", async () => {
    expect(await readTable(withBom(SAMPLE))).toEqual(SAMPLE_TABLE);
  });

  it("reads Excel's Unicode text: UTF-16 LE with a BOM, TAB-separated", async () => {
    const text =
      "Họ và tên\tChuyên khoa\tSố điện thoại\r\nBS. Trần Thị Ngọc Ánh\tNhi, Sơ sinh\t0912345678\r\n";
    expect(await readTable(utf16le(text))).toEqual({
      ok: true,
      format: "csv",
      headers: ["Họ và tên", "Chuyên khoa", "Số điện thoại"],
      rows: [{ rowNumber: 2, cells: ["BS. Trần Thị Ngọc Ánh", "Nhi, Sơ sinh", "0912345678"] }],
    });
  });

  it("reads UTF-16 BE with a BOM", async () => {
    expect(await readTable(utf16be(SAMPLE))).toEqual(SAMPLE_TABLE);
  });

  it("reads semicolon-separated files (Excel with a decimal comma), commas inside cells stay", async () => {
    const result = await readTable(withBom("Tên;Địa chỉ;Doanh thu\nCông ty A;12 Lê Lợi, Quận 1;1.234,5\n"));
    expect(result).toEqual({
      ok: true,
      format: "csv",
      headers: ["Tên", "Địa chỉ", "Doanh thu"],
      rows: [{ rowNumber: 2, cells: ["Công ty A", "12 Lê Lợi, Quận 1", "1.234,5"] }],
    });
  });

  it("reads quoted fields with commas, line breaks and escaped quotes; row numbers stay Excel's", async () => {
    const csv = 'Tên,Ghi chú\r\n"Công ty ""Sao Việt"", CN 2","dòng 1\r\ndòng 2"\r\nCông ty B,x\r\n';
    const result = await readTable(utf8(csv));
    expect(result.ok && result.rows).toEqual([
      { rowNumber: 2, cells: ['Công ty "Sao Việt", CN 2', "dòng 1\ndòng 2"] },
      { rowNumber: 3, cells: ["Công ty B", "x"] },
    ]);
  });

  it("trims, NFC-normalises, pads short rows, skips empty rows and drops trailing ones", async () => {
    const decomposed = "Nguyễn Văn Ệ".normalize("NFD");
    const csv = `Tên,Tỉnh,Ghi chú\n  ${decomposed}\u00a0 , Huế\n,,\n\n  \nB,Đà Nẵng,x\n,,\n\n`;
    const result = await readTable(utf8(csv));
    expect(result).toEqual({
      ok: true,
      format: "csv",
      headers: ["Tên", "Tỉnh", "Ghi chú"],
      rows: [
        { rowNumber: 2, cells: ["Nguyễn Văn Ệ", "Huế", ""] },
        { rowNumber: 6, cells: ["B", "Đà Nẵng", "x"] },
      ],
    });
    expect(result.ok && result.rows[0]?.cells[0]).toBe("Nguyễn Văn Ệ".normalize("NFC"));
  });

  it("keeps text beyond the last header as extra cells", async () => {
    const result = await readTable(utf8("a,b\n1,2,3\n"));
    expect(result.ok && result.rows).toEqual([{ rowNumber: 2, cells: ["1", "2", "3"] }]);
  });

  it("returns formula-like text unchanged, never evaluated", async () => {
    const csv = 'Tên\n=1+1\n+84912345678\n-5\n@SUM(A1)\n"=HYPERLINK(""http://x"",""y"")"\n';
    const result = await readTable(utf8(csv));
    expect(result.ok && result.rows.map((row) => row.cells[0])).toEqual([
      "=1+1",
      "+84912345678",
      "-5",
      "@SUM(A1)",
      '=HYPERLINK("http://x","y")',
    ]);
  });

  it("takes the first non-empty row as header when the sheet starts with blank lines", async () => {
    const result = await readTable(utf8("\n\nMã,Tên\n1,A\n"));
    expect(result).toEqual({
      ok: true,
      format: "csv",
      headers: ["Mã", "Tên"],
      rows: [{ rowNumber: 4, cells: ["1", "A"] }],
    });
  });

  it("reads a file that has only a header", async () => {
    expect(await readTable(withBom("Tên,Mã số thuế\r\n"))).toEqual({
      ok: true,
      format: "csv",
      headers: ["Tên", "Mã số thuế"],
      rows: [],
    });
  });
});

describe("readTable refusals for text files", () => {
  it("refuses a Windows-1258 file with a message telling the user to save as CSV UTF-8", async () => {
    // "Tên,Hà Nội" in CP1258: ê = 0xEA, à = 0xE0, ộ = ô (0xF4) + combining dot below (0xF2).
    const cp1258 = new Uint8Array([
      0x54, 0xea, 0x6e, 0x2c, 0x48, 0xe0, 0x20, 0x4e, 0xf4, 0xf2, 0x69, 0x0d, 0x0a,
    ]);
    const result = await readTable(cp1258);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/^Tệp CSV không ở mã UTF-8 hoặc UTF-16\./);
    expect(!result.ok && result.error).toContain("CSV UTF-8");
  });

  it("refuses a UTF-16 file cut in the middle of a character", async () => {
    const result = await readTable(utf16le("Tên\r\n").subarray(0, 7));
    expect(!result.ok && result.error).toMatch(/^Tệp CSV không ở mã UTF-8 hoặc UTF-16/);
  });

  it("refuses an empty file and a file of blank lines: no header", async () => {
    expect(await readTable(new Uint8Array())).toEqual({ ok: false, error: "Tệp không có dòng tiêu đề" });
    expect(await readTable(withBom(" \r\n,,\r\n\t\r\n"))).toEqual({
      ok: false,
      error: "Tệp không có dòng tiêu đề",
    });
  });

  it("refuses a file over the size limit before looking at it", async () => {
    const tooBig = new Uint8Array(10 * 1024 * 1024 + 1);
    expect(await readTable(tooBig)).toEqual({ ok: false, error: "Tệp quá lớn (tối đa 10 MB)" });
    expect(await readTable(utf8(SAMPLE), { maxBytes: 10 })).toEqual({
      ok: false,
      error: "Tệp quá lớn (tối đa 10 byte)",
    });
    expect((await readTable(new Uint8Array(10 * 1024 * 1024).fill(0x41))).ok).toBe(true);
  });

  it("accepts 20,000 data rows and refuses 20,001", async () => {
    const csv = (n: number) => `Mã\n${Array.from({ length: n }, (_, i) => `${i}\n`).join("")}`;
    const atLimit = await readTable(utf8(csv(20_000)));
    expect(atLimit.ok && atLimit.rows.length).toBe(20_000);
    expect(atLimit.ok && atLimit.rows.at(-1)?.rowNumber).toBe(20_001);
    expect(await readTable(utf8(csv(20_001)))).toEqual({
      ok: false,
      error: "Quá nhiều dòng (tối đa 20.000)",
    });
  });

  it("does not count empty rows against the row limit", async () => {
    const result = await readTable(utf8("Mã\n1\n\n\n\n2\n"), { maxRows: 2 });
    expect(result.ok && result.rows.map((row) => row.rowNumber)).toEqual([2, 6]);
    expect(await readTable(utf8("Mã\n1\n2\n3\n"), { maxRows: 2 })).toEqual({
      ok: false,
      error: "Quá nhiều dòng (tối đa 2)",
    });
  });

  it("refuses binary files that are not spreadsheets", async () => {
    const notSpreadsheet = { ok: false, error: "Tệp không phải XLSX hoặc CSV" };
    expect(await readTable(utf8("%PDF-1.7\n%âãÏÓ\n"))).toEqual(notSpreadsheet);
    expect(await readTable(new Uint8Array([0x41, 0x00, 0x42, 0x00]))).toEqual(notSpreadsheet);
  });

  it("explains that .xls and password-protected workbooks must be saved as .xlsx", async () => {
    const ole2 = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);
    const result = await readTable(ole2);
    expect(!result.ok && result.error).toMatch(/^Tệp không phải XLSX hoặc CSV: .*\.xls.*mật khẩu/);
  });
});
