import { describe, expect, it } from "vitest";
import { cleanExtraction, parseVnd } from "./extract";

describe("extraction results", () => {
  it("parse VND prices and ignore other currencies", () => {
    expect(parseVnd(350000)).toBe(350000);
    expect(parseVnd("350.000 ₫")).toBe(350000);
    expect(parseVnd("1,200,000")).toBe(1200000);
    expect(parseVnd("450000.00")).toBe(450000);
    expect(parseVnd("19.99", "USD")).toBeUndefined();
    expect(parseVnd("liên hệ")).toBeUndefined();
  });

  it("keep only known kinds, bounded text, http(s) URLs, one entry per product", () => {
    const clean = cleanExtraction(
      {
        items: [
          {
            kind: "listing",
            title: "  Túi\u200b xách  ",
            url: "/p/1",
            price: "890.000" as unknown as number,
            source: "json-ld",
          },
          { kind: "listing", title: "Túi xách", url: "https://shop.vn/p/1", source: "microdata" },
          { kind: "listing", title: "x", url: "javascript:alert(1)", source: "json-ld" },
          { kind: "evil" as never, title: "y", source: "json-ld" },
          { kind: "post", title: "", source: "json-ld" },
          { kind: "post", title: "a".repeat(2000), source: "opengraph" },
        ],
        next: "javascript:void(0)",
      },
      "https://shop.vn/shop",
    );
    expect(clean.items.map((i) => [i.title.length, i.url, i.price])).toEqual([
      [8, "https://shop.vn/p/1", 890000],
      [1, undefined, undefined],
      [500, undefined, undefined],
    ]);
    expect(clean.next).toBeUndefined();
  });
});
