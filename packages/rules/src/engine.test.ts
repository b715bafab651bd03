import { join } from "node:path";
import { FLAG_TYPES, type FlagItem, type Rule, RuleSetSchema } from "@pledgewatch/core";
import { describe, expect, it } from "vitest";
import { compileRuleSet } from "./engine";
import { measurePart, readOwnSet } from "./own-set";
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
    // "45 cu" is 45 củ (millions) written without accents, not "cũ" (used).
    expect(ruleIds({ title: "Rolex Submariner mới", text: "Giá 45 cu", price: 45_000_000 })).toContain(
      "price.below-reference",
    );
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

describe("rule families", () => {
  it("cover every violation type of the label schema, each with its agency and legal basis", () => {
    const { rules: seed } = seedRuleSet();
    for (const type of FLAG_TYPES) {
      const family = seed.filter((r) => r.flagType === type && r.enabled);
      expect(family.length, type).toBeGreaterThan(0);
      for (const rule of family) expect(rule.legalBasis.length, rule.id).toBeGreaterThan(40);
    }
    // Only the seller watchlist points to no type: a watched seller is a lead whatever it sells.
    expect(seed.filter((r) => r.flagType === undefined).map((r) => r.id)).toEqual(["watch.seller"]);
  });

  it("carry the rule's type on every reason", () => {
    const decision = rules.evaluate(item({ title: "Túi Gucci rep 1:1", price: 900_000 }));
    expect(decision.reasons.map((r) => [r.rule, r.flagType])).toEqual([
      ["counterfeit.slang", "counterfeit"],
      ["price.below-reference", "price_anomaly"],
    ]);
  });

  it("find lookalike brands one letter away in the title, not real words or plurals", () => {
    const found = rules.evaluate(item({ title: "Giày Adidos Ultraboost 22 mới" }));
    expect(found.reasons[0]).toMatchObject({
      rule: "ip.lookalike-brand",
      evidence: "Adidos",
      field: "title",
      start: 5,
      end: 11,
    });
    expect(found.reasons[0]?.explanation).toContain("“adidas”");
    expect(ruleIds({ title: "Ốp lưng Samsumg A52" })).toContain("ip.lookalike-brand");
    expect(ruleIds({ title: "Nước hoa Chanell No5" })).toContain("ip.lookalike-brand");
    // A brand that ends in "s" has no plural: "Adidass" is a lookalike, "Omegas" is the brand.
    expect(ruleIds({ title: "Giày Adidass Superstar" })).toContain("ip.lookalike-brand");
    for (const title of [
      "Giày Adidas Ultraboost chính hãng",
      "Đăng ký kênh youtube channel",
      "Cách apply mã giảm giá",
      "Bộ sưu tập Omegas cổ",
      "Áo lacoste nam",
    ]) {
      expect(ruleIds({ title }), title).not.toContain("ip.lookalike-brand");
    }
  });

  it("find brands spelled as they sound, long brands two letters off, and short brands by look-alike letters", () => {
    for (const [title, brand] of [
      ["Áo khoác Addidaz 3 sọc", "adidas"],
      ["Đồng hồ Kasio G-Shock", "casio"],
      ["Túi Louis Vuiten dáng trống", "louis vuitton"],
      ["Loa JBI Flip 6 chống nước", "jbl"],
      ["Tai nghe JBLL Tune 520", "jbl"],
      ["Tai nghe Soni WH-1000XM", "sony"],
    ]) {
      const found = rules.evaluate(item({ title }));
      const reason = found.reasons.find((r) => r.rule === "ip.lookalike-brand");
      expect(reason?.explanation, title).toContain(`“${brand}”`);
    }
    for (const title of [
      "Ốp lưng mobile chống sốc",
      "Áo cross line thể thao",
      "Series 9 dây thép",
      "Nạp kim cương MLBB",
      "Loa JBL Flip 6 chính hãng",
      "Giày nice giá tốt",
      "German technology máy xay",
      "Áo basics trơn",
      "Hair dryer double layer",
    ]) {
      expect(ruleIds({ title }), title).not.toContain("ip.lookalike-brand");
    }
  });

  it("find two-word brands one letter away, only as two Latin words one space apart", () => {
    const found = rules.evaluate(item({ title: "Áo khoác gió The North Fase chống nước" }));
    expect(found.reasons[0]).toMatchObject({ rule: "ip.lookalike-brand", evidence: "North Fase" });
    expect(found.reasons[0]?.explanation).toContain("“north face”");
    for (const title of [
      "Áo khoác The North Face chính hãng",
      "Sữa xách tay có hóa đơn, đã đóng thuế",
      "Mẹo ngủ ngon hơn mà không tốn tiền",
      "Casio G-Shock GA-2100 chính hãng",
    ]) {
      expect(ruleIds({ title }), title).not.toContain("ip.lookalike-brand");
    }
  });

  it("find a product of a loaded watchlist only with its context words", () => {
    const set = seedRuleSet();
    const watch = set.rules.find((r) => r.id === "watch.counterfeit-drugs");
    if (watch?.kind !== "product-watch") throw new Error("no drug watchlist in the seed");
    expect(watch.entries).toEqual([]);
    watch.entries = [{ name: "Cefaxim TW9", note: "Cục Quản lý Dược 2026: SĐK VD-99001-24" }];
    const loaded = compileRuleSet(set);
    const hit = loaded.evaluate(item({ title: "Kháng sinh CEFAXIM tw9 hộp 10 vỉ" }));
    expect(hit.reasons.find((r) => r.rule === "watch.counterfeit-drugs")).toMatchObject({
      evidence: "CEFAXIM tw9",
      agency: "YT",
      flagType: "counterfeit",
      explanation: expect.stringContaining("SĐK VD-99001-24"),
    });
    const noContext = loaded.evaluate(item({ kind: "post", title: "Cefaxim TW9 là mã phòng họp" }));
    expect(noContext.reasons).toEqual([]);
  });
});

describe("context", () => {
  it("keeps a near rule's two phrases inside one sentence", () => {
    expect(
      ruleIds({ kind: "post", title: "Đo huyết áp định kỳ. Người đang điều trị hãy uống thuốc đều" }),
    ).toEqual([]);
    expect(ruleIds({ title: "Viên uống điều trị huyết áp" })).toContain("health.cure-near-disease");
  });

  it("does not take a negated phrase for its exception: “chưa có nhãn phụ” is not “có nhãn phụ”", () => {
    expect(ruleIds({ title: "Siro ho nội địa Nhật", text: "Chưa có nhãn phụ." })).toContain(
      "drug.hand-carried",
    );
    expect(ruleIds({ title: "Siro ho nội địa Nhật", text: "Đã có nhãn phụ tiếng Việt." })).not.toContain(
      "drug.hand-carried",
    );
  });

  it("reads denials, public-domain works and warnings as a reviewer does", () => {
    expect(ruleIds({ title: "Bộ sách Cambridge IELTS 1-19 photo màu", price: 390_000 })).toContain(
      "ip.pirated-files",
    );
    expect(
      ruleIds({
        kind: "post",
        title: "Ebook miễn phí Truyện Kiều",
        text: "Tác phẩm đã hết thời hạn bảo hộ.",
      }),
    ).toEqual([]);
    expect(
      ruleIds({
        kind: "ad",
        title: "Shop nói KHÔNG với hàng rep",
        text: "Khách hỏi có bản rep không? Không.",
      }),
    ).toEqual([]);
    expect(
      ruleIds({ kind: "post", title: "Review phim", text: "Không có link tải hay link mua gì cả nha." }),
    ).toEqual([]);
    expect(
      ruleIds({
        kind: "post",
        title: "Bác sĩ cảnh báo về thuốc giảm cân trôi nổi",
        text: "Nhiều ca ngộ độc do thuốc giảm cân không rõ nguồn gốc.",
      }),
    ).toEqual([]);
  });

  it("reads a seller who says how an imitation is made and how close it is to the real thing", () => {
    expect(
      ruleIds({
        title: "Túi xách khóa chữ H",
        text: "Hàng xưởng làm, đặt cạnh hàng store khó phân biệt.",
        price: 900_000,
      }),
    ).toContain("counterfeit.imitation-admitted");
    expect(ruleIds({ title: "Đồng hồ Royal Oak bản clone", text: "Máy Nhật." })).toContain(
      "counterfeit.slang",
    );
    // Each half alone is an ordinary listing: a workshop's own goods, or a photo that looks real.
    expect(ruleIds({ title: "Áo thun hàng xưởng may", text: "Vải cotton, in logo theo yêu cầu." })).toEqual(
      [],
    );
    expect(ruleIds({ title: "Hoa lụa cắm bình", text: "Màu sắc như thật, để bàn rất đẹp." })).toEqual([]);
    expect(
      ruleIds({ title: "Túi xách da bò", text: "Không phải hàng xưởng, đẹp như hàng store, có hóa đơn." }),
    ).toEqual([]);
  });

  it("reads a known brand together with the seller's own word that it is not the brand's", () => {
    expect(
      ruleIds({
        title: "Dép Crocs Classic",
        text: "Hàng TQ làm theo mẫu, không phải dép Crocs chính hãng nha.",
        price: 95_000,
      }),
    ).toContain("counterfeit.brand-not-genuine");
    expect(
      ruleIds({ title: "Nhớt Motul 300V 1L", text: "Hàng loại 2, giá chỉ bằng 1/3.", price: 70_000 }),
    ).toContain("counterfeit.brand-not-genuine");
    // The brand's own goods, or a plain shirt with no logo, are not.
    expect(
      ruleIds({ title: "Dép Crocs Classic", text: "Hàng chính hãng, đại lý ủy quyền, có hóa đơn." }),
    ).toEqual([]);
    expect(ruleIds({ title: "Áo thun trơn", text: "Không in logo, mác ghi tên xưởng may." })).toEqual([]);
  });

  it("reads licensed software sold activated, patched or shared", () => {
    expect(
      ruleIds({
        title: "Photoshop 2024 bản full",
        text: "Bộ cài đã patch sẵn, dùng vĩnh viễn.",
        price: 30_000,
      }),
    ).toContain("ip.cracked-software");
    // A phone "đã kích hoạt sẵn" is just activated, and free software is free.
    expect(
      ruleIds({ title: "iPhone 13 128GB", text: "Máy đã kích hoạt sẵn bảo hành.", price: 9_000_000 }),
    ).toEqual([]);
    expect(
      ruleIds({
        kind: "post",
        title: "Cài GeoGebra",
        text: "Phần mềm miễn phí từ trang chủ, không cần crack.",
      }),
    ).toEqual([]);
  });

  it("reads drugs without a registration number, and pharmacies that sell only against a prescription", () => {
    expect(
      ruleIds({
        title: "Kem bôi trĩ nội địa Trung",
        text: "Chưa có số đăng ký tại Việt Nam.",
        price: 75_000,
      }),
    ).toContain("drug.unlicensed");
    expect(
      ruleIds({
        kind: "post",
        title: "Nhà thuốc không bán thuốc kê đơn qua tin nhắn",
        text: "Quý khách vui lòng mang đơn đến quầy để dược sĩ cấp phát kháng sinh.",
      }),
    ).toEqual([]);
    expect(
      ruleIds({
        kind: "post",
        title: "Spa không khói thuốc",
        text: "Không khói thuốc, kể cả thuốc lá điện tử và thuốc lá nung nóng.",
      }),
    ).toEqual([]);
  });

  it("reads unaccented words as the listing means them, and a negation only in its own sentence", () => {
    // "cu sac" is a charger (củ sạc), not a used one (cũ); "mau hong" is pink, not broken.
    expect(
      ruleIds({
        title: "Củ sạc Apple 20W chính hãng",
        text: "cu sac 20W moi 100% fullbox, chi 79k",
        price: 79_000,
      }),
    ).toContain("price.below-reference");
    expect(
      ruleIds({
        title: "iPhone 13 128GB mới nguyên seal",
        text: "mau hong, bao hanh 12 thang",
        price: 2_900_000,
      }),
    ).toContain("price.below-reference");
    expect(ruleIds({ title: "iPhone 13 128GB", text: "Máy cũ, pin 85%.", price: 2_900_000 })).toEqual([]);
    // "giá cũ" is the old price, and "mới nguyên hộp, giấy tờ" a full set, not an empty box.
    expect(
      ruleIds({
        title: "AirPods Pro mới nguyên hộp",
        text: "Sale 690k, mai lên lại giá cũ.",
        price: 690_000,
      }),
    ).toContain("price.below-reference");
    expect(ruleIds({ title: "Rolex Submariner mới nguyên hộp, giấy tờ", price: 25_000_000 })).toContain(
      "price.below-reference",
    );
    // "…có bản rep không? Câu trả lời là không": the first "không" asks, it does not negate the answer.
    expect(
      ruleIds({
        kind: "post",
        title: "Giày",
        text: "Nhiều bạn hỏi có bản rep không? Câu trả lời là không nhé.",
      }),
    ).toEqual([]);
    expect(
      ruleIds({ kind: "post", title: "Đồ Tết", text: "Dây pháo điện tử đèn LED, không có thuốc nổ." }),
    ).toEqual([]);
  });

  it("prices: “chưa qua sử dụng” is new, and a clearance of new goods still counts", () => {
    const unused = { title: "Túi Gucci Marmont", text: "Túi chưa qua sử dụng.", price: 3_000_000 };
    expect(ruleIds(unused)).toContain("price.below-reference");
    expect(ruleIds({ ...unused, text: "Túi đã qua sử dụng." })).toEqual([]);
    expect(ruleIds({ ...unused, text: "Thanh lý túi đi vài lần." })).toEqual([]);
    expect(ruleIds({ ...unused, text: "Thanh lý gấp, túi mới tinh." })).toContain("price.below-reference");
    expect(ruleIds({ ...unused, title: "Hộp giấy và dust bag túi Gucci", text: "Không kèm túi." })).toEqual(
      [],
    );
  });
});

describe("prices written in the item", () => {
  it("flag a price asked that is a small share of the “giá gốc” written before it", () => {
    const decision = rules.evaluate(
      item({ kind: "ad", title: "Quạt mini", text: "Giá gốc 1.200.000đ, hôm nay chỉ còn 99.000đ!" }),
    );
    expect(decision.reasons[0]).toMatchObject({
      rule: "ad.inflated-original-price",
      evidence: "Giá gốc 1.200.000đ",
      flagType: "false_ad",
    });
    expect(decision.reasons[0]?.explanation).toContain("8%");
    // The item's own price counts as the price asked; an ordinary sale does not fire.
    expect(ruleIds({ title: "Nồi chiên", text: "Giá gốc 2.500.000đ", price: 150_000 })).toContain(
      "ad.inflated-original-price",
    );
    expect(ruleIds({ title: "Nồi chiên", text: "Giá gốc 2.500.000đ", price: 1_990_000 })).toEqual([]);
  });

  it("do not take an accessory that comes with the product, or a negated exclusion, for an exclusion", () => {
    expect(ruleIds({ title: "Túi Louis Vuitton Neverfull kèm dây đeo", price: 3_000_000 })).toContain(
      "price.below-reference",
    );
    expect(
      ruleIds({ title: "Nước hoa Chanel No5 100ml", text: "Không phải chiết.", price: 600_000 }),
    ).toContain("price.below-reference");
    expect(ruleIds({ title: "Nước hoa Chanel No5 chiết 10ml", price: 600_000 })).toEqual([]);
  });

  it("take a deposit for one only when the title says so", () => {
    const phone = { title: "iPhone 16 Pro Max 256GB mới nguyên seal", price: 8_900_000 };
    expect(ruleIds({ ...phone, text: "Số lượng ít, cọc trước 500k giữ máy." })).toContain(
      "price.below-reference",
    );
    expect(
      ruleIds({
        title: "Đặt cọc giữ máy iPhone 16 Pro Max",
        text: "Khoản cọc 2.000.000đ, giá máy 33.990.000đ.",
        price: 2_000_000,
      }),
    ).toEqual([]);
  });

  it("read “chống” as a negation only against fakes, and southern speech as it is meant", () => {
    expect(ruleIds({ title: "Tai nghe chống ồn bản copy Sony XM5" })).toContain("counterfeit.slang");
    expect(ruleIds({ title: "Tem chống hàng giả", text: "Dán tem chống hàng fake cho shop." })).toEqual([]);
    expect(
      ruleIds({ title: "Đường cát Thái", text: "Hàng qua sông, hổng có tờ khai hải quan nên rẻ." }),
    ).toContain("smuggled.signals");
  });

  it("a disclosure under a negation is no disclosure", () => {
    const post = { kind: "post" as const, title: "Live tối nay", text: "Nhập mã MEO giảm 100k." };
    expect(ruleIds({ ...post, text: `${post.text} Bài hợp tác với nhãn hàng.` })).toEqual([]);
    expect(ruleIds({ ...post, text: `${post.text} Mình không nhận hợp tác hay tài trợ.` })).toContain(
      "ad.undisclosed-promotion",
    );
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

// The project's own labelled set, hand-written in Vietnamese (test/fixtures/flagging, PROVENANCE.md there),
// separate from any shared development data.
const OWN = readOwnSet(join(import.meta.dirname, "..", "..", ".."));

describe("quality on the project's own labelled set", () => {
  it("is large and covers every violation type in both parts", () => {
    expect(OWN.tuning.length + OWN.heldOut.length).toBeGreaterThanOrEqual(400);
    const violations = [...OWN.tuning, ...OWN.heldOut].filter((l) => l.label.violation).length;
    expect(violations).toBeGreaterThanOrEqual(150);
    for (const type of FLAG_TYPES) {
      expect(OWN.heldOut.filter((l) => l.label.types.includes(type)).length, type).toBeGreaterThanOrEqual(15);
    }
  });

  // Issue 23's goal: precision 0.95 and recall 0.90 per type on the held-out part (docs/benchmarks.md).
  // A rule change must not lower it; a change tuned on the held-out part makes it stale instead
  // (test/fixtures/flagging/PROVENANCE.md).
  it("holds the held-out part to the goal: precision 0.95 and recall 0.90 overall and per type", () => {
    const part = measurePart(rules, OWN.heldOut);
    expect(part.quality.precision).toBeGreaterThanOrEqual(0.95);
    expect(part.quality.recall).toBeGreaterThanOrEqual(0.9);
    expect(part.quality.agencyAccuracy).toBeGreaterThanOrEqual(0.95);
    const low = FLAG_TYPES.filter((t) => part.types[t].precision < 0.95 || part.types[t].recall < 0.9).map(
      (t) =>
        `${t}: precision ${part.types[t].precision.toFixed(3)}, recall ${part.types[t].recall.toFixed(3)}`,
    );
    expect(low).toEqual([]);
  });

  it("keeps the tuning part it was tuned on", () => {
    const { quality } = measurePart(rules, OWN.tuning);
    expect(quality.precision).toBeGreaterThanOrEqual(0.99);
    expect(quality.recall).toBeGreaterThanOrEqual(0.99);
  });

  it("the naive baseline decides exactly like the compiled matcher", () => {
    const naive = compileRuleSet(seedRuleSet(), { matcher: "naive" });
    for (const { item } of [...OWN.tuning, ...OWN.heldOut])
      expect(naive.evaluate(item)).toEqual(rules.evaluate(item));
  });
});
