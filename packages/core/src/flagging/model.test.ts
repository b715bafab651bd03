import { describe, expect, it } from "vitest";
import { FlagItemSchema, plainFlagItem } from "./model";

const base = { id: "x-1", kind: "listing", platform: "shopee", title: "Túi xách" };

// Every value a field can take in a JSON line, the common ones and the ones the schema converts or refuses.
const VARIANTS: Record<string, unknown[]> = {
  id: ["x-1", " x-1 ", "", "a".repeat(200), "a".repeat(201), 7, null],
  kind: ["listing", "ad", "post", "video", null],
  platform: ["shopee", " tiki", "", "p".repeat(101), 3],
  title: ["Túi", "", "t".repeat(2_001), null, 5],
  text: [undefined, null, "Hàng rep 1:1", "t".repeat(100_001), 12],
  price: [undefined, null, 0, 890_000, -1, Number.NaN, "890000", " 890000 ", "abc", true],
  seller: [undefined, null, "Shop A", "s".repeat(501), 9],
  category: [undefined, null, "Túi xách", 1234, "c".repeat(501)],
  url: [undefined, null, "https://shopee.vn/x", "u".repeat(2_001)],
  extra: [undefined, "kept out"],
};

describe("plainFlagItem", () => {
  it("returns exactly what FlagItemSchema returns, or leaves the item to the schema", () => {
    let plain = 0;
    for (const [field, values] of Object.entries(VARIANTS)) {
      for (const value of values) {
        const raw: Record<string, unknown> = { ...base };
        if (value !== undefined) raw[field] = value;
        const fast = plainFlagItem(raw);
        const schema = FlagItemSchema.safeParse(raw);
        if (fast === undefined) continue;
        plain++;
        expect(schema.success, `${field}=${String(value)}`).toBe(true);
        expect(fast, `${field}=${String(value)}`).toStrictEqual(schema.data);
      }
    }
    // The ordinary shapes take the fast path; conversions and errors do not.
    expect(plain).toBeGreaterThanOrEqual(20);
    expect(plainFlagItem({ ...base, price: "890000" })).toBeUndefined();
    expect(plainFlagItem({ ...base, id: " x-1 " })).toBeUndefined();
    expect(plainFlagItem({ ...base, category: 1234 })).toBeUndefined();
    expect(plainFlagItem([base])).toBeUndefined();
    expect(plainFlagItem(null)).toBeUndefined();
  });
});
