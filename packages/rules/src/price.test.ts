import { describe, expect, it } from "vitest";
import { findPrices, formatVnd, parsePrice } from "./price";

describe("parsePrice", () => {
  it.each([
    ["350k", 350_000],
    ["350 nghìn", 350_000],
    ["1tr2", 1_200_000],
    ["1tr250", 1_250_000],
    ["2 triệu 5", 2_500_000],
    ["1,5 triệu", 1_500_000],
    ["1.5tr", 1_500_000],
    ["850tr", 850_000_000],
    ["3.4 tỷ", 3_400_000_000],
    ["1.200.000đ", 1_200_000],
    ["1,200,000 VND", 1_200_000],
    ["990.000₫", 990_000],
    ["5 củ", 5_000_000],
    ["45000", 45_000],
  ])("%s → %d", (input, expected) => {
    expect(parsePrice(input)).toBe(expected);
  });

  it.each(["", "giá tốt", "5cm", "12 tháng", "350kg"])("%s is not a price", (input) => {
    expect(parsePrice(input)).toBeNull();
  });
});

describe("findPrices", () => {
  it("finds prices with units or thousands separators, not other numbers", () => {
    const text = "Giày size 42, bảo hành 12 tháng, giá 350k, sỉ 1.200.000, combo 1tr2 nhé";
    expect(findPrices(text).map((p) => [p.value, text.slice(p.start, p.end)])).toEqual([
      [350_000, "350k"],
      [1_200_000, "1.200.000"],
      [1_200_000, "1tr2"],
    ]);
  });
});

describe("formatVnd", () => {
  it("writes Vietnamese thousands", () => {
    expect(formatVnd(1_200_000)).toBe("1.200.000 đ");
  });
});
