import type { Reason } from "@pledgewatch/core";
import { describe, expect, it } from "vitest";
import { highlightSegments } from "./highlight";

const reason = (rule: string, start: number, end: number, field: Reason["field"] = "text"): Reason => ({
  rule,
  evidence: "",
  legalBasis: "",
  field,
  start,
  end,
  version: 1,
  agency: "CT",
  weight: 0.5,
  explanation: "",
});

describe("evidence highlighting", () => {
  it("cuts at every offset and names the rules covering each piece, overlaps included", () => {
    const text = "Hàng rep 1:1 fake loại 1";
    const segments = highlightSegments(text, "text", [
      reason("a", 5, 12),
      reason("b", 9, 17),
      reason("c", 0, 4, "title"),
    ]);
    expect(segments).toEqual([
      { text: "Hàng ", rules: [] },
      { text: "rep ", rules: ["a"] },
      { text: "1:1", rules: ["a", "b"] },
      { text: " fake", rules: ["b"] },
      { text: " loại 1", rules: [] },
    ]);
    expect(segments.map((s) => s.text).join("")).toBe(text);
  });

  it("uses the NFC form and ignores offsets outside the text", () => {
    const decomposed = "Ha\u0300ng gia\u0309";
    const segments = highlightSegments(decomposed, "title", [
      reason("x", 5, 8, "title"),
      reason("y", 3, 99, "title"),
    ]);
    expect(segments).toEqual([
      { text: "Hàng ", rules: [] },
      { text: "giả", rules: ["x"] },
    ]);
  });
});
