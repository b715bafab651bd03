import { describe, expect, it } from "vitest";
import { foldText, phraseWords, prepare, tokenize, wordMatches } from "./normalize";

const bare = (s: string) => tokenize(prepare(s)).map((t) => t.bare);

describe("tokenize", () => {
  it("folds case and diacritics, NFC and NFD alike", () => {
    expect(bare("ĐẶC TRỊ Hàng Giả")).toEqual(["dac", "tri", "hang", "gia"]);
    expect(bare("Ánh".normalize("NFD"))).toEqual(["anh"]);
  });

  it("undoes common obfuscations", () => {
    expect(bare("f4ke r3p h@ng")).toEqual(["fake", "rep", "hang"]);
    expect(bare("fa.ke s.f f-a-k-e")).toEqual(["fake", "sf", "fake"]);
    expect(bare("hàng f a k e đẹp")).toEqual(["hang", "fake", "dep"]);
    expect(bare("rep 1:1")).toEqual(["rep", "1:1"]);
  });

  it("reads southern speech as the word it stands for", () => {
    expect(bare("hổng có hóa đơn, hông biết, bền nhứt")).toEqual([
      "khong",
      "co",
      "hoa",
      "don",
      "khong",
      "biet",
      "ben",
      "nhat",
    ]);
  });

  it("reads chat shorthand as the word it stands for", () => {
    expect(bare("ko tem ko nhãn, hok có hóa đơn, giao dc")).toEqual([
      "khong",
      "tem",
      "khong",
      "nhan",
      "khong",
      "co",
      "hoa",
      "don",
      "giao",
      "duoc",
    ]);
    expect(bare("hàg xách tay")).toEqual(["hang", "xach", "tay"]);
  });

  it("does not end a sentence at a title or an initial", () => {
    const sentences = (s: string) => tokenize(prepare(s)).map((t) => t.sentence);
    expect(sentences("PGS.TS. Trần Văn K. khuyên dùng")).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(sentences("Hết hàng. Mai về")).toEqual([0, 0, 1, 1]);
  });

  it("leaves ordinary words, model numbers and sentences alone", () => {
    expect(bare("iPhone 13 Samsung A33 G-Shock GA-2100")).toEqual([
      "iphone",
      "13",
      "samsung",
      "a33",
      "g",
      "shock",
      "ga",
      "2100",
    ]);
    expect(bare("xe ô tô")).toEqual(["xe", "o", "to"]);
    expect(bare("hàng.fake")).toEqual(["hang", "fake"]);
  });

  it("keeps offsets into the NFC text and numbers sentences", () => {
    const text = prepare("Giá tốt. Hàng f4ke nhé");
    const tokens = tokenize(text);
    const fake = tokens.find((t) => t.bare === "fake");
    expect(fake && text.slice(fake.start, fake.end)).toBe("f4ke");
    expect(tokens.map((t) => t.sentence)).toEqual([0, 0, 1, 1, 1]);
  });

  it("drops invisible format characters that would split a word", () => {
    expect(bare("fa\u200bke")).toEqual(["fake"]);
  });
});

describe("diacritics when matching", () => {
  const word = (s: string) => tokenize(prepare(s))[0] as { key: string; marked: boolean };
  const phrase = (s: string) => phraseWords(s).words[0] as { key: string; marked: boolean };

  it("matches text typed without diacritics, but not a different accented word", () => {
    expect(wordMatches(phrase("giả"), word("gia"), false)).toBe(true);
    expect(wordMatches(phrase("giả"), word("giả"), false)).toBe(true);
    expect(wordMatches(phrase("giả"), word("giá"), false)).toBe(false);
  });

  it("treats old and new tone placement as the same word", () => {
    expect(wordMatches(phrase("hòa"), word("hoà"), false)).toBe(true);
    expect(wordMatches(phrase("thủy"), word("thuỷ"), false)).toBe(true);
  });

  it("a strict phrase (=) needs its diacritics in the text", () => {
    expect(phraseWords("=hàng giả").strict).toBe(true);
    expect(wordMatches(phrase("giả"), word("gia"), true)).toBe(false);
    expect(wordMatches(phrase("giả"), word("giả"), true)).toBe(true);
  });

  it("* stands for one word", () => {
    expect(phraseWords("mã * giảm").words.map((w) => w.any)).toEqual([false, true, false]);
  });
});

describe("foldText", () => {
  it("gives the comparison form of short fields", () => {
    expect(foldText("  Kho Sỉ  Hàng Hiệu 247 ")).toBe("kho si hang hieu 247");
  });
});
