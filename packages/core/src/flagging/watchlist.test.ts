import { describe, expect, it } from "vitest";
import { WATCHLIST_MAX_ENTRIES, watchlistFromTable, watchlistNames } from "./watchlist";

const rows = (...cells: string[][]) => cells.map((c, i) => ({ rowNumber: i + 2, cells: c }));

describe("a regulator's list read into watchlist entries", () => {
  it("finds the product column by its usual names, with or without diacritics, and notes the rest", () => {
    const result = watchlistFromTable(
      ["STT", "Tên sản phẩm", "Vi phạm", "Cơ quan"],
      rows(["1", "Viên Mẫu An Khang", "quảng cáo như thuốc chữa bệnh", "Cục An toàn thực phẩm"]),
    );
    expect(result).toEqual({
      ok: true,
      rows: 1,
      entries: [
        {
          name: "Viên Mẫu An Khang",
          note: "Viên Mẫu An Khang; vi phạm: quảng cáo như thuốc chữa bệnh; cơ quan: Cục An toàn thực phẩm; STT: 1",
        },
      ],
    });
  });

  it("names a product without its remark in parentheses, and also without its strength", () => {
    expect(watchlistNames("Osimo 80mg (Osimoxitinib)")).toEqual(["Osimo 80mg", "Osimo"]);
    expect(watchlistNames("Bổ Phế Mẫu 15000")).toEqual(["Bổ Phế Mẫu 15000", "Bổ Phế Mẫu"]);
    expect(watchlistNames("Cefaxim TW9")).toEqual(["Cefaxim TW9"]);
    // The matcher's own syntax is never taken from a file.
    expect(watchlistNames("=Thuốc * Mẫu")).toEqual(["Thuốc Mẫu"]);
    expect(watchlistNames("(chỉ ghi chú)")).toEqual([]);
  });

  it("keeps one entry per name when two rows name the same product", () => {
    const result = watchlistFromTable(["product"], rows(["Trà Mẫu"], ["trà mẫu"]));
    expect(result.ok && result.entries.map((e) => e.name)).toEqual(["Trà Mẫu"]);
  });

  it("says what is wrong instead of loading part of a file", () => {
    expect(watchlistFromTable(["hoạt chất"], rows(["x"]))).toEqual({
      ok: false,
      problem: { code: "no_name_column", columns: ["hoạt chất"] },
    });
    expect(watchlistFromTable(["product"], rows(["", ""]))).toEqual({
      ok: false,
      problem: { code: "empty" },
    });
    expect(watchlistFromTable(["product", "note"], rows(["A Mẫu", "x"], ["", "y"]))).toEqual({
      ok: false,
      problem: { code: "rows_without_name", rows: [3] },
    });
    const many = Array.from({ length: WATCHLIST_MAX_ENTRIES + 1 }, (_, i) => [`Sản phẩm ${i}x`]);
    expect(watchlistFromTable(["name"], rows(...many))).toMatchObject({
      ok: false,
      problem: { code: "too_many", max: WATCHLIST_MAX_ENTRIES, found: WATCHLIST_MAX_ENTRIES + 1 },
    });
  });
});
