import { describe, expect, it } from "vitest";
import { en } from "./en";
import { format, formatDateTime } from "./index";
import { vi } from "./vi";

function keys(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

function leaves(value: unknown): string[] {
  if (typeof value === "string") return [value];
  return Object.values(value as object).flatMap(leaves);
}

describe("UI catalogues", () => {
  it("have the same keys in Vietnamese and English, none empty", () => {
    expect(keys(en).sort()).toEqual(keys(vi).sort());
    expect([...leaves(vi), ...leaves(en)].every((s) => s.trim().length > 0)).toBe(true);
  });

  it("use the same placeholders in both languages", () => {
    const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    const viLeaves = leaves(vi);
    const enLeaves = leaves(en);
    viLeaves.forEach((s, i) => {
      expect(placeholders(enLeaves[i] ?? ""), s).toEqual(placeholders(s));
    });
  });

  it("fills placeholders and leaves unknown ones visible", () => {
    expect(format("Xin chào, {name} {x}", { name: "Lan" })).toBe("Xin chào, Lan {x}");
  });

  it("shows times in Asia/Ho_Chi_Minh, day first", () => {
    // 17:30 UTC is 00:30 the next day in Vietnam.
    expect(formatDateTime("vi", new Date("2026-03-31T17:30:00Z"))).toBe("01/04/2026 00:30");
  });
});
