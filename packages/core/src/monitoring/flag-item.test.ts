import { describe, expect, it } from "vitest";
import { FlagItemSchema } from "../flagging/model";
import { flagItemOfCaptured } from "./flag-item";
import type { CapturedItem } from "./model";

const captured: CapturedItem = {
  id: "i1",
  kind: "listing",
  platform: "  ",
  title: "Túi xách ".repeat(400),
  text: "x".repeat(150_000),
  price: 350_000,
  seller: "s".repeat(900),
  source: "json-ld",
  agency: "CT",
  province: "37",
  pageUrl: "https://cho.example/shop",
  captureId: "c1",
  pageNo: 1,
  firstSeen: "2026-12-01T00:00:00Z",
  lastSeen: "2026-12-01T00:00:00Z",
  timesSeen: 1,
  evaluation: { state: "new" },
};

describe("a captured item for the flagging rules", () => {
  it("is cut to the contract's limits instead of refused, and always names a platform and a URL", () => {
    const item = flagItemOfCaptured(captured);
    expect(FlagItemSchema.safeParse(item).success).toBe(true);
    expect(item.title).toHaveLength(2_000);
    expect(item.text).toHaveLength(100_000);
    expect(item.seller).toHaveLength(500);
    expect(item.platform).toBe("web");
    // Without its own URL, an item is found at the page it was seen on.
    expect(item.url).toBe("https://cho.example/shop");
    expect(flagItemOfCaptured({ ...captured, url: "https://cho.example/p/1" }).url).toBe(
      "https://cho.example/p/1",
    );
  });
});
