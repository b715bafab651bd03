import { describe, expect, it } from "vitest";
import { canonicalUrl, itemFingerprint } from "./fingerprint";
import { parseTargetRows } from "./input";

describe("item fingerprints", () => {
  it("are stable across tracking parameters, price and text, and differ by URL", () => {
    const a = itemFingerprint("shopee", "shopee.vn", {
      kind: "listing",
      title: "Giày rep 1:1",
      price: 450000,
      url: "https://www.shopee.vn/p/1?utm_source=fb&b=2&a=1#x",
      source: "json-ld",
    });
    const b = itemFingerprint("shopee", "shopee.vn", {
      kind: "listing",
      title: "Giày rep 1:1 (giảm giá)",
      price: 399000,
      url: "https://shopee.vn/p/1?a=1&b=2",
      source: "microdata",
    });
    expect(a).toBe(b);
    expect(
      itemFingerprint("shopee", "shopee.vn", {
        kind: "listing",
        title: "x",
        url: "https://shopee.vn/p/2",
        source: "s",
      }),
    ).not.toBe(a);
    expect(canonicalUrl("https://WWW.Example.com/a?fbclid=1&z=1")).toBe("https://example.com/a?z=1");
  });

  it("without a URL, match on seller and title whatever the case and diacritics", () => {
    const post = (title: string, seller: string) =>
      itemFingerprint("facebook", "facebook.com", { kind: "post", title, seller, source: "site" });
    expect(post("Trà giảm cân ĐẶC TRỊ", "Linh Review")).toBe(post("tra giam can dac tri", "linh review"));
    expect(post("Trà giảm cân", "Linh")).not.toBe(post("Trà giảm cân", "Lan"));
  });
});

describe("target import rows", () => {
  it("takes every valid row or reports each error with its row and column", () => {
    const ok = parseTargetRows(
      ["url", "kind", "schedule", "page_limit"],
      [
        { rowNumber: 2, cells: ["https://shopee.vn/shop/1", "shop", "hằng ngày", "2"] },
        { rowNumber: 3, cells: ["https://facebook.com/kol", "trang cá nhân", "weekly", ""] },
      ],
    );
    expect(ok.ok && ok.targets.map((t) => [t.input.kind, t.input.schedule, t.input.pageLimit])).toEqual([
      ["shop", "daily", 2],
      ["profile", "weekly", undefined],
    ]);
    const bad = parseTargetRows(
      ["url", "kind", "schedule", "page_limit"],
      [
        { rowNumber: 2, cells: ["https://shopee.vn/shop/1", "market", "daily", "50"] },
        { rowNumber: 3, cells: ["", "shop", "monthly", ""] },
      ],
    );
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.errors.map((e) => `${e.row}:${e.column}`).sort()).toEqual([
      "2:kind",
      "2:page_limit",
      "3:schedule",
      "3:url",
    ]);
    expect(parseTargetRows(["link"], []).ok).toBe(false);
  });
});
