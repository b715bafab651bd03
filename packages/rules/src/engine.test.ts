import { join } from "node:path";
import { type FlagItem, type Rule, RuleSetSchema } from "@pledgewatch/core";
import { describe, expect, it } from "vitest";
import { compileRuleSet } from "./engine";
import { readLabelled } from "./labelled";
import { measure } from "./quality";
import { seedRuleSet } from "./seed/index";

const rules = compileRuleSet(seedRuleSet());
const item = (over: Partial<FlagItem>): FlagItem => ({
  id: "t-1",
  kind: "listing",
  platform: "shopee",
  title: "",
  ...over,
});
const ruleIds = (over: Partial<FlagItem>) => rules.evaluate(item(over)).reasons.map((r) => r.rule);

describe("seed rule set", () => {
  it("is a valid rule set", () => {
    expect(() => RuleSetSchema.parse(seedRuleSet())).not.toThrow();
  });

  it("flags counterfeit slang with the evidence span, its offsets and the legal basis", () => {
    const decision = rules.evaluate(item({ title: "Túi Dior", text: "Da đẹp, hàng F4KE loại 1" }));
    expect(decision).toMatchObject({ flagged: true, agency: "CT" });
    const [reason] = decision.reasons;
    expect(reason).toMatchObject({
      rule: "counterfeit.slang",
      evidence: "hàng F4KE",
      field: "text",
      start: 8,
      end: 17,
    });
    expect(reason?.legalBasis).toContain("Nghị định 98/2020/NĐ-CP");
    expect(reason?.explanation).toContain("“hàng F4KE”");
  });

  it("does not flag a shop that refuses fakes, or a news report about fakes", () => {
    expect(rules.evaluate(item({ title: "Giày chính hãng", text: "Nói không với hàng fake." })).flagged).toBe(
      false,
    );
    expect(
      rules.evaluate(
        item({
          kind: "post",
          title: "QLTT thu giữ túi giả",
          text: "Lô hàng rep 1:1 bị thu giữ.",
          category: "Tin tức",
        }),
      ).flagged,
    ).toBe(false);
  });

  it("tells hàng giả (fake) from hàng giá (price) when diacritics are written", () => {
    expect(ruleIds({ title: "Hàng giả nhãn hiệu" })).toContain("counterfeit.slang");
    expect(ruleIds({ title: "Hàng giá rẻ" })).not.toContain("counterfeit.slang");
  });

  it("requires the health-supplement disclaimer, accepting the comma variant", () => {
    const ad = {
      kind: "ad" as const,
      title: "Thực phẩm bảo vệ sức khỏe Bổ Tâm",
      category: "Thực phẩm bảo vệ sức khỏe",
    };
    expect(ruleIds({ ...ad, text: "Hỗ trợ tim mạch." })).toContain("health.missing-disclaimer");
    expect(
      ruleIds({
        ...ad,
        text: "Thực phẩm này không phải là thuốc và không có tác dụng thay thế thuốc chữa bệnh.",
      }),
    ).toEqual([]);
    expect(
      ruleIds({
        ...ad,
        text: "Thực phẩm này không phải là thuốc, không có tác dụng thay thế thuốc chữa bệnh.",
      }),
    ).toEqual([]);
  });

  it("finds drug-like claims and cure claims near disease names", () => {
    expect(ruleIds({ kind: "ad", title: "Trà Xanh Gan", text: "Đặc trị viêm gan B." })).toEqual(
      expect.arrayContaining(["health.drug-like-claim", "health.cure-near-disease"]),
    );
    expect(ruleIds({ kind: "ad", title: "Cao dán", text: "Điều trị thoái hóa khớp sau 2 tuần." })).toContain(
      "health.cure-near-disease",
    );
  });

  it("flags doctors endorsing products and superlatives in ads only", () => {
    expect(ruleIds({ kind: "ad", title: "Kem Ngọc", text: "Bác sĩ Hòa khuyên dùng." })).toContain(
      "health.doctor-endorsement",
    );
    expect(ruleIds({ kind: "ad", title: "Máy lọc tốt nhất" })).toContain("ad.superlative");
    expect(ruleIds({ kind: "listing", title: "Máy lọc tốt nhất" })).not.toContain("ad.superlative");
  });

  it("flags KOL posts with shop links or codes unless labelled as advertising", () => {
    const post = { kind: "post" as const, platform: "tiktok", title: "Son mới" };
    expect(ruleIds({ ...post, text: "Mã LAN20 giảm 20% ở link bio" })).toContain("ad.undisclosed-promotion");
    expect(ruleIds({ ...post, text: "#quangcao Mã LAN20 giảm 20% ở link bio" })).toEqual([]);
    expect(ruleIds({ ...post, text: "Hợp tác cùng nhãn hàng, link bio" })).toEqual([]);
  });

  it("flags prescription and unlicensed drugs, banned goods", () => {
    expect(ruleIds({ title: "Cephalexin 500mg", text: "Không cần đơn" })).toEqual(
      expect.arrayContaining(["drug.prescription", "drug.unlicensed"]),
    );
    expect(ruleIds({ title: "Thuốc lá điện tử pod" })).toContain("banned.goods");
    expect(ruleIds({ title: "Pháo hoa Z121 chính hãng" })).toEqual([]);
    expect(ruleIds({ title: "Tác hại của thuốc lá điện tử", kind: "post" })).toEqual([]);
  });

  it("treats xách tay as legal alone and suspicious with no invoice", () => {
    expect(ruleIds({ title: "Máy ảnh xách tay Nhật", text: "Có hóa đơn." })).toEqual([]);
    expect(ruleIds({ title: "Máy ảnh xách tay Nhật", text: "Không có hóa đơn." })).toContain(
      "smuggled.hand-carried-no-invoice",
    );
    expect(ruleIds({ title: "Rượu không tem nhập khẩu" })).toContain("smuggled.signals");
  });

  it("flags prices far below the reference, except accessories and used goods", () => {
    const cheap = rules.evaluate(item({ title: "Tai nghe AirPods Pro 2", price: 450_000 }));
    expect(cheap.reasons[0]).toMatchObject({
      rule: "price.below-reference",
      field: "price",
      evidence: "450.000 đ",
    });
    expect(cheap.reasons[0]?.explanation).toContain("5.500.000 đ");
    expect(ruleIds({ title: "Tai nghe AirPods Pro 2", price: 5_200_000 })).toEqual([]);
    expect(ruleIds({ title: "Ốp lưng AirPods Pro 2", price: 45_000 })).toEqual([]);
    expect(ruleIds({ title: "AirPods Pro 2 cũ", price: 900_000 })).toEqual([]);
    // A price written only in the text counts too.
    expect(ruleIds({ title: "Tai nghe AirPods Pro", text: "Giá chỉ 390k" })).toContain(
      "price.below-reference",
    );
  });

  it("uses the watchlists as weighted leads, not verdicts", () => {
    const watched = rules.evaluate(item({ title: "Túi da bò", seller: "kho si hang hieu 247" }));
    expect(watched.reasons.map((r) => r.rule)).toEqual(["watch.seller"]);
    expect(watched.flagged).toBe(false);
    const brand = rules.evaluate(
      item({ title: "Túi Chanel chính hãng", seller: "Shop Mây", price: 90_000_000 }),
    );
    expect(brand.reasons.map((r) => r.rule)).toEqual(["watch.brand-authorised-sellers"]);
    const official = rules.evaluate(item({ title: "Túi Chanel chính hãng", seller: "Chanel Việt Nam" }));
    expect(official.reasons).toEqual([]);
  });

  it("combines reasons into one score and picks the agency whose reasons weigh most", () => {
    const decision = rules.evaluate(
      item({ title: "Túi Chanel chính hãng rep 1:1", seller: "Kho Sỉ Hàng Hiệu 247", price: 2_000_000 }),
    );
    expect(decision.flagged).toBe(true);
    expect(decision.agency).toBe("CT");
    const expected = 1 - decision.reasons.reduce((miss, r) => miss * (1 - r.weight), 1);
    expect(decision.score).toBeCloseTo(expected, 3);
    expect(decision.reasons.map((r) => r.weight)).toEqual(
      [...decision.reasons.map((r) => r.weight)].sort((a, b) => b - a),
    );
  });

  it("leaves ordinary goods alone", () => {
    const ordinary = rules.evaluate(
      item({ title: "Nồi cơm điện 1.8L", text: "Bảo hành 12 tháng, lỗi 1 đổi 1." }),
    );
    expect(ordinary).toMatchObject({ flagged: false, score: 0, agency: null, reasons: [] });
  });
});

describe("rules are data", () => {
  it("a changed rule changes the decision once compiled", () => {
    const set = seedRuleSet();
    const slang = set.rules.find((r) => r.id === "counterfeit.slang") as Extract<Rule, { kind: "phrase" }>;
    slang.phrases.push("hàng dupe");
    slang.version = 2;
    const changed = compileRuleSet({ ...set, version: 2 });
    const listing = item({ title: "Nước hoa hàng dupe" });
    expect(rules.evaluate(listing).flagged).toBe(false);
    expect(changed.evaluate(listing)).toMatchObject({ flagged: true, ruleSetVersion: 2 });
    expect(changed.evaluate(listing).reasons[0]).toMatchObject({ rule: "counterfeit.slang", version: 2 });
  });

  it("a disabled rule does not fire", () => {
    const set = seedRuleSet();
    for (const rule of set.rules) rule.enabled = rule.id !== "counterfeit.slang";
    expect(compileRuleSet(set).evaluate(item({ title: "Hàng fake" })).reasons).toEqual([]);
  });
});

// The project's own labelled set, hand-written in Vietnamese (test/fixtures/flagging), separate from any
// shared development data.
const LABELLED = readLabelled(
  join(import.meta.dirname, "..", "..", "..", "test", "fixtures", "flagging", "labelled.jsonl"),
);

describe("quality on the project's labelled set", () => {
  it("meets the floors", () => {
    const quality = measure(LABELLED.map(({ item, label }) => ({ decision: rules.evaluate(item), label })));
    expect(quality.items).toBeGreaterThanOrEqual(60);
    expect(quality.precision).toBeGreaterThanOrEqual(0.9);
    expect(quality.recall).toBeGreaterThanOrEqual(0.85);
    expect(quality.agencyAccuracy).toBeGreaterThanOrEqual(0.9);
  });

  it("the naive baseline decides exactly like the compiled matcher", () => {
    const naive = compileRuleSet(seedRuleSet(), { matcher: "naive" });
    for (const { item } of LABELLED) expect(naive.evaluate(item)).toEqual(rules.evaluate(item));
  });
});
