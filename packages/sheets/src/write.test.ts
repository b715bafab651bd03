import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { neutralizeFormula, readTable, writeCsv, writeXlsx } from "./index";

const INJECTIONS = ["=1+1", "+84912345678", "-5", "@SUM(A1:A2)", "\t=1", "\r=1", "=cmd|' /C calc'!A0"];

/** Quote-prefixed; readTable reads every line break as LF, so the CR after the quote comes back as "\n". */
const INJECTIONS_READ_BACK = [
  "'=1+1",
  "'+84912345678",
  "'-5",
  "'@SUM(A1:A2)",
  "'\t=1",
  "'\n=1",
  "'=cmd|' /C calc'!A0",
];

const HEADERS = ["Tên doanh nghiệp", "Mã số thuế", "Số lao động", "Ghi chú"];
const ROWS: (string | number | null)[][] = [
  ["Công ty Cổ phần Thực phẩm Hồng Hà", "0101234567", 120, 'Đã ký cam kết "không hàng giả"'],
  ["Hộ kinh doanh Nguyễn Thị Ánh", "8012345678-001", 3, "Địa chỉ: 12 Lê Lợi, P. Bến Nghé; Q.1\ndòng 2"],
  ["Công ty TNHH Điện tử Việt Nhật", "0312345678", 1.5, null],
];

describe("neutralizeFormula", () => {
  it("prefixes text a spreadsheet would treat as a formula with a single quote", () => {
    expect(INJECTIONS.map(neutralizeFormula)).toEqual(INJECTIONS.map((text) => `'${text}`));
  });

  it("prefixes a leading line feed and the look-alike operators too", () => {
    const lookAlikes = [
      "\n=1+1",
      "＝1+1",
      "＋84912345678",
      "－5",
      "＠SUM(A1)",
      "﹦1",
      "﹢1",
      "﹣1",
      "﹫x",
      "−5",
    ];
    expect(lookAlikes.map(neutralizeFormula)).toEqual(lookAlikes.map((text) => `'${text}`));
  });

  it("leaves other text alone", () => {
    for (const text of ["", "Công ty A", " =1", "1-2", "a=b", "'=1", "0912345678", "ＡＢＣ"]) {
      expect(neutralizeFormula(text)).toBe(text);
    }
  });
});

describe("writeXlsx", () => {
  it("round-trips through readTable", async () => {
    const bytes = await writeXlsx({ name: "Doanh nghiệp", headers: HEADERS, rows: ROWS });
    expect(await readTable(bytes)).toEqual({
      ok: true,
      format: "xlsx",
      headers: HEADERS,
      rows: [
        {
          rowNumber: 2,
          cells: ["Công ty Cổ phần Thực phẩm Hồng Hà", "0101234567", "120", 'Đã ký cam kết "không hàng giả"'],
        },
        {
          rowNumber: 3,
          cells: [
            "Hộ kinh doanh Nguyễn Thị Ánh",
            "8012345678-001",
            "3",
            "Địa chỉ: 12 Lê Lợi, P. Bến Nghé; Q.1\ndòng 2",
          ],
        },
        { rowNumber: 4, cells: ["Công ty TNHH Điện tử Việt Nhật", "0312345678", "1.5", ""] },
      ],
    });
  });

  it("writes injection strings as quote-prefixed text, never as formulas", async () => {
    const bytes = await writeXlsx({ name: "S", headers: ["=Tên"], rows: INJECTIONS.map((text) => [text]) });
    const result = await readTable(bytes);
    expect(result.ok && result.headers).toEqual(["'=Tên"]);
    expect(result.ok && result.rows.map((row) => row.cells[0])).toEqual(INJECTIONS_READ_BACK);

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes.slice().buffer);
    const sheet = workbook.worksheets[0];
    for (let r = 1; r <= INJECTIONS.length + 1; r++) {
      const cell = sheet?.getCell(r, 1);
      expect(cell?.type).toBe(ExcelJS.ValueType.String);
      expect(cell?.formula).toBeUndefined();
    }
    expect(sheet?.getCell(2, 1).value).toBe("'=1+1");
  });

  it("writes numbers as number cells and strings of digits as text", async () => {
    const bytes = await writeXlsx({ name: "S", headers: ["Số", "Chuỗi"], rows: [[912345678, "0912345678"]] });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes.slice().buffer);
    const row = workbook.worksheets[0]?.getRow(2);
    expect(row?.getCell(1).value).toBe(912345678);
    expect(row?.getCell(2).value).toBe("0912345678");
  });

  it("makes the header bold, freezes it and puts an autofilter on it", async () => {
    const bytes = await writeXlsx({
      name: "S",
      headers: HEADERS,
      rows: ROWS,
      columnWidths: [40, 15, 12, 50],
    });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes.slice().buffer);
    const sheet = workbook.worksheets[0];
    expect(sheet?.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(sheet?.getRow(2).getCell(1).font?.bold).toBeFalsy();
    expect(sheet?.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(sheet?.autoFilter).toBe("A1:D1");
    expect([1, 2, 3, 4].map((c) => sheet?.getColumn(c).width)).toEqual([40, 15, 12, 50]);
  });

  it("estimates column widths when none are given", async () => {
    const bytes = await writeXlsx({ name: "S", headers: ["Mã", "Tên"], rows: [["1", "x".repeat(200)]] });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes.slice().buffer);
    const sheet = workbook.worksheets[0];
    expect(sheet?.getColumn(1).width).toBe(8);
    expect(sheet?.getColumn(2).width).toBe(60);
  });

  it("turns any title into a sheet name Excel accepts", async () => {
    const names = async (name: string) => {
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load((await writeXlsx({ name, headers: ["a"], rows: [] })).slice().buffer);
      return workbook.worksheets[0]?.name;
    };
    expect(await names("Doanh nghiệp 01/2025 [bản nháp]")).toBe("Doanh nghiệp 01-2025 -bản nháp-");
    expect(await names("Danh sách người có ảnh hưởng trên mạng xã hội")).toBe(
      "Danh sách người có ảnh hưởng tr",
    );
    expect(await names("'quoted'")).toBe("quoted");
    expect(await names("  ")).toBe("Sheet1");
    expect(await names("History")).toBe("Sheet1");
  });

  it("refuses NaN rather than writing an empty cell", async () => {
    await expect(writeXlsx({ name: "S", headers: ["a"], rows: [[Number.NaN]] })).rejects.toThrow(RangeError);
  });
});

describe("writeCsv", () => {
  const decode = (bytes: Uint8Array) => new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);

  it("starts with the UTF-8 BOM and uses CRLF and RFC 4180 quoting", () => {
    const bytes = writeCsv(
      ["Tên", "Ghi chú"],
      [
        ['Công ty "A", CN 1', "x"],
        [null, 7],
      ],
    );
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(decode(bytes.subarray(3))).toBe('Tên,Ghi chú\r\n"Công ty ""A"", CN 1",x\r\n,7\r\n');
  });

  it("writes numbers in plain decimal notation", () => {
    expect(decode(writeCsv(["n"], [[1e21], [1e-7], [912345678]]).subarray(3))).toBe(
      "n\r\n1000000000000000000000\r\n0.0000001\r\n912345678\r\n",
    );
  });

  it("round-trips through readTable", async () => {
    expect(await readTable(writeCsv(HEADERS, ROWS))).toEqual({
      ok: true,
      format: "csv",
      headers: HEADERS,
      rows: [
        {
          rowNumber: 2,
          cells: ["Công ty Cổ phần Thực phẩm Hồng Hà", "0101234567", "120", 'Đã ký cam kết "không hàng giả"'],
        },
        {
          rowNumber: 3,
          cells: [
            "Hộ kinh doanh Nguyễn Thị Ánh",
            "8012345678-001",
            "3",
            "Địa chỉ: 12 Lê Lợi, P. Bến Nghé; Q.1\ndòng 2",
          ],
        },
        { rowNumber: 4, cells: ["Công ty TNHH Điện tử Việt Nhật", "0312345678", "1.5", ""] },
      ],
    });
  });

  it("neutralises injection strings, which come back quote-prefixed", async () => {
    const bytes = writeCsv(
      ["@Tên"],
      INJECTIONS.map((text) => [text]),
    );
    expect(decode(bytes.subarray(3))).toContain('"\'\t=1"\r\n"\'\r=1"\r\n');
    const result = await readTable(bytes);
    expect(result.ok && result.headers).toEqual(["'@Tên"]);
    expect(result.ok && result.rows.map((row) => row.cells[0])).toEqual(INJECTIONS_READ_BACK);
  });

  it("refuses Infinity rather than writing an empty cell", () => {
    expect(() => writeCsv(["a"], [[Number.POSITIVE_INFINITY]])).toThrow(RangeError);
  });
});
