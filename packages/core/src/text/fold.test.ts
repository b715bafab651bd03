import { describe, expect, it } from "vitest";
import { foldVietnamese, nfc, searchTokens } from "./fold";

/** "Ánh" written as "A" + U+0301, the way macOS file names and some exports deliver it. */
const decomposed = (s: string) => s.normalize("NFD");

describe("foldVietnamese", () => {
  it.each([
    ["Công ty TNHH Shopee", "cong ty tnhh shopee"],
    ["Nguyễn Văn Ánh", "nguyen van anh"],
    ["ĐẶNG", "dang"],
    ["đường Điện Biên Phủ", "duong dien bien phu"],
    ["Trường Đại học Y Hà Nội", "truong dai hoc y ha noi"],
    ["Bệnh viện Bạch Mai", "benh vien bach mai"],
    ["Ưu đãi Ơn huệ", "uu dai on hue"],
    ["Phạm Thị Thuỷ / Thủy", "pham thi thuy thuy"],
    ["  Công ty   Cổ phần\tVNG\n", "cong ty co phan vng"],
    ["CÔNG TY TNHH TIKI (Tiki Corp.)", "cong ty tnhh tiki tiki corp"],
    ["Báo Tuổi Trẻ — tuoitre.vn", "bao tuoi tre tuoitre vn"],
    ["0101243150-001", "0101243150 001"],
    ["KOL: @Hà_Linh 2024!", "kol ha linh 2024"],
    ["Shop\u200Bee", "shopee"],
    ["İstanbul", "istanbul"],
    ["", ""],
    ["  ---  ", ""],
  ])("%j → %j", (input, expected) => {
    expect(foldVietnamese(input)).toBe(expected);
  });

  it("gives the same result for precomposed and decomposed input", () => {
    for (const text of ["Nguyễn Văn Ánh", "Đặng Thị Ngọc Hân", "Công ty TNHH Shopee"]) {
      expect(decomposed(text)).not.toBe(text);
      expect(foldVietnamese(decomposed(text))).toBe(foldVietnamese(text));
    }
  });

  it("is idempotent", () => {
    for (const text of ["Nguyễn Văn Ánh", "ĐẶNG", "Công ty TNHH Shopee", "a--b"]) {
      const once = foldVietnamese(text);
      expect(foldVietnamese(once)).toBe(once);
    }
  });
});

describe("searchTokens", () => {
  it.each([
    ["Công ty TNHH Shopee", ["cong", "ty", "tnhh", "shopee"]],
    ["Nguyễn  Văn-Ánh", ["nguyen", "van", "anh"]],
    ["Bệnh viện Bạch Mai, Bạch Mai", ["benh", "vien", "bach", "mai", "bach", "mai"]],
    ["", []],
    [" … ", []],
  ])("%j → %j", (input, expected) => {
    expect(searchTokens(input)).toEqual(expected);
  });
});

describe("nfc", () => {
  it("composes, trims and collapses whitespace but keeps case and diacritics", () => {
    expect(nfc(decomposed("  Nguyễn   Văn\u00A0Ánh \n"))).toBe("Nguyễn Văn Ánh");
    expect(nfc(decomposed("Nguyễn Văn Ánh"))).toHaveLength("Nguyễn Văn Ánh".length);
    expect(nfc("CÔNG TY\t\tTNHH")).toBe("CÔNG TY TNHH");
    expect(nfc("   ")).toBe("");
  });

  it("is idempotent", () => {
    const once = nfc(decomposed(" Đặng  Thị "));
    expect(nfc(once)).toBe(once);
  });
});
