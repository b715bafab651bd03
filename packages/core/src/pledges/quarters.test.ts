import { describe, expect, it } from "vitest";
import {
  compareQuarterIds,
  formatQuarterId,
  isQuarterId,
  nextQuarterId,
  parseQuarterId,
  previousQuarterId,
  QuarterIdSchema,
  quarterBounds,
  quarterId,
  quarterLabel,
} from "./quarters";

describe("quarterId (Asia/Ho_Chi_Minh, UTC+7)", () => {
  it("puts instants on the Vietnamese calendar, not the machine's", () => {
    expect(quarterId(new Date("2026-03-31T16:59:59Z"))).toBe("2026-Q1"); // 23:59:59 on 31/03 in Vietnam
    expect(quarterId(new Date("2026-03-31T17:00:00Z"))).toBe("2026-Q2"); // 00:00 on 01/04
    expect(quarterId(new Date("2026-03-31T17:30:00Z"))).toBe("2026-Q2");
  });

  it("crosses the year in Vietnam seven hours before UTC does", () => {
    expect(quarterId(new Date("2025-12-31T16:59:59.999Z"))).toBe("2025-Q4");
    expect(quarterId(new Date("2025-12-31T17:00:00Z"))).toBe("2026-Q1");
    expect(quarterId(new Date("2026-12-31T18:00:00Z"))).toBe("2027-Q1");
  });

  it("covers every month", () => {
    const expected = ["Q1", "Q1", "Q1", "Q2", "Q2", "Q2", "Q3", "Q3", "Q3", "Q4", "Q4", "Q4"];
    for (let month = 0; month < 12; month++) {
      expect(quarterId(new Date(Date.UTC(2026, month, 15, 12)))).toBe(`2026-${expected[month]}`);
    }
  });

  it("refuses an invalid date", () => {
    expect(() => quarterId(new Date("not a date"))).toThrow(/invalid date/);
  });
});

describe("quarter ids", () => {
  it("validates the form", () => {
    expect(QuarterIdSchema.safeParse("2026-Q1").success).toBe(true);
    for (const bad of [
      "2026-Q0",
      "2026-Q5",
      "2026Q1",
      "26-Q1",
      "2026-q1",
      " 2026-Q1",
      "2026-Q1 ",
      "0999-Q1",
    ]) {
      expect(QuarterIdSchema.safeParse(bad).success, bad).toBe(false);
      expect(isQuarterId(bad), bad).toBe(false);
      expect(() => parseQuarterId(bad), bad).toThrow(/invalid quarter id/);
    }
    expect(parseQuarterId("2026-Q3")).toEqual({ year: 2026, quarter: 3 });
    expect(formatQuarterId(2027, 4)).toBe("2027-Q4");
    expect(() => formatQuarterId(2027, 5)).toThrow();
  });

  it("labels quarters with Roman numerals", () => {
    expect(quarterLabel("2026-Q1")).toBe("Quý I/2026");
    expect(quarterLabel("2026-Q2")).toBe("Quý II/2026");
    expect(quarterLabel("2026-Q3")).toBe("Quý III/2026");
    expect(quarterLabel("2030-Q4")).toBe("Quý IV/2030");
  });

  it("steps across the year end", () => {
    expect(nextQuarterId("2026-Q1")).toBe("2026-Q2");
    expect(nextQuarterId("2026-Q4")).toBe("2027-Q1");
    expect(previousQuarterId("2027-Q1")).toBe("2026-Q4");
    expect(previousQuarterId("2026-Q3")).toBe("2026-Q2");
  });

  it("compares and sorts", () => {
    expect(compareQuarterIds("2026-Q1", "2026-Q1")).toBe(0);
    expect(compareQuarterIds("2026-Q4", "2027-Q1")).toBeLessThan(0);
    expect(compareQuarterIds("2027-Q2", "2027-Q1")).toBeGreaterThan(0);
    expect(["2027-Q1", "2026-Q4", "2026-Q2"].sort(compareQuarterIds)).toEqual([
      "2026-Q2",
      "2026-Q4",
      "2027-Q1",
    ]);
    expect(() => compareQuarterIds("2026-Q1", "Q1")).toThrow(/invalid quarter id/);
  });

  it("gives a quarter's instants in Vietnam: start inclusive, end exclusive", () => {
    const { start, end } = quarterBounds("2026-Q1");
    expect(start.toISOString()).toBe("2025-12-31T17:00:00.000Z");
    expect(end.toISOString()).toBe("2026-03-31T17:00:00.000Z");
    expect(quarterId(start)).toBe("2026-Q1");
    expect(quarterId(new Date(end.getTime() - 1))).toBe("2026-Q1");
    expect(quarterId(end)).toBe("2026-Q2");
    expect(quarterBounds("2026-Q4").end.toISOString()).toBe("2026-12-31T17:00:00.000Z");
  });
});
