import { describe, expect, it } from "vitest";
import { detectDelimiter, formatCsv, parseCsv } from "./csv";

const cellsOf = (text: string) => {
  const parsed = parseCsv(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.rows.map((row) => row.cells);
};

describe("parseCsv", () => {
  it("reads quoted fields with delimiters, escaped quotes and line breaks", () => {
    expect(cellsOf('a,b,c\r\n"x, y","say ""hi""","line 1\r\nline 2"\r\n')).toEqual([
      ["a", "b", "c"],
      ["x, y", 'say "hi"', "line 1\r\nline 2"],
    ]);
  });

  it("numbers records, not physical lines, as Excel does", () => {
    const parsed = parseCsv('h1,h2\n"multi\nline",x\nlast,y');
    expect(parsed.ok && parsed.rows.map((row) => row.rowNumber)).toEqual([1, 2, 3]);
  });

  it("accepts LF, CRLF and lone CR record ends, with or without a final one", () => {
    expect(cellsOf("a\nb\r\nc\rd")).toEqual([["a"], ["b"], ["c"], ["d"]]);
    expect(cellsOf("a\n")).toEqual([["a"]]);
  });

  it("keeps empty fields and empty records", () => {
    expect(cellsOf("a,,c\n\n,\n")).toEqual([["a", "", "c"], [""], ["", ""]]);
  });

  it("treats a quote inside an unquoted field as text and keeps text after a closing quote", () => {
    expect(cellsOf('5" pipe,"quoted"tail\n')).toEqual([['5" pipe', "quotedtail"]]);
  });

  it("refuses a quote that is never closed, naming the record where it opened", () => {
    expect(parseCsv('a,b\nok,fine\n"open,x\nmore')).toEqual({
      ok: false,
      error: 'Tệp CSV có dấu ngoặc kép (") mở ở dòng 3 nhưng không được đóng',
    });
  });

  it("honours Excel's sep= line and does not count it as a row", () => {
    const parsed = parseCsv("sep=;\r\na;b,c\r\n1;2\r\n");
    expect(parsed).toEqual({
      ok: true,
      rows: [
        { rowNumber: 1, cells: ["a", "b,c"] },
        { rowNumber: 2, cells: ["1", "2"] },
      ],
    });
  });
});

describe("detectDelimiter", () => {
  it("picks the candidate occurring most outside quotes in the header line", () => {
    expect(detectDelimiter("a,b,c\n1;2;3;4;5")).toBe(",");
    expect(detectDelimiter('"a;b;c",d,e;f')).toBe(",");
    expect(detectDelimiter("Tên;Địa chỉ, phường;Mã số thuế")).toBe(";");
    expect(detectDelimiter("a\tb\tc")).toBe("\t");
  });

  it("prefers TAB, then semicolon, on a tie; comma for a single column", () => {
    expect(detectDelimiter("Họ, tên\tĐịa chỉ")).toBe("\t");
    expect(detectDelimiter("Tên, họ;Mã")).toBe(";");
    expect(detectDelimiter("only")).toBe(",");
  });
});

describe("formatCsv", () => {
  it("quotes only what needs it and ends every record with CRLF", () => {
    expect(formatCsv([["plain", "a,b", 'say "hi"', "a;b", "tab\there", "two\nlines", " padded", ""]])).toBe(
      'plain,"a,b","say ""hi""","a;b","tab\there","two\nlines"," padded",\r\n',
    );
  });

  it("round-trips through parseCsv", () => {
    const rows = [
      ["Tên", "Ghi chú"],
      ['Công ty "Sao Việt", chi nhánh 2', "dòng 1\r\ndòng 2;x"],
    ];
    expect(cellsOf(formatCsv(rows))).toEqual(rows);
  });
});
