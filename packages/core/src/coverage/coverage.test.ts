import { describe, expect, it } from "vitest";
import { createTravelClock } from "../clock";
import type { Party } from "../parties/model";
import type { PartyWrite } from "../parties/ports";
import { cellDrift, coverageDelta, percent } from "./model";
import { DEFAULT_RENEWAL_SETTINGS, partyDueDate, quarterDueDate, vietnamDate } from "./settings";

const base: Party = {
  id: "p1",
  name: "Sàn Thử",
  group: "ecommerce_platform",
  family: "platform",
  agency: "CT",
  provinces: ["01", "79"],
  identifiers: { profiles: [] },
  contacts: [],
  status: "active",
  obligatedFrom: "2026-01-01",
  version: 1,
  createdAt: "2026-01-01T00:00:00Z",
  updatedAt: "2026-01-01T00:00:00Z",
  createdBy: { staffId: "s", name: "S" },
  updatedBy: { staffId: "s", name: "S" },
};
const write = (before: Party | null, after: Party): PartyWrite => ({
  before,
  after,
  change: {
    partyId: after.id,
    at: "2026-02-01T00:00:00Z",
    by: after.updatedBy,
    action: "updated",
    before,
    after,
  },
});
const signed = (p: Party, status = "valid", quarter = "2026-Q1"): Party => ({
  ...p,
  pledge: { quarter, status, documentCode: "CK-2026Q1-AAAAAAAA" },
  version: p.version + 1,
});

describe("coverage deltas", () => {
  it("a new active party adds one obligated party in each of its provinces", () => {
    expect(coverageDelta([write(null, base)], "2026-Q1")).toEqual([
      { agency: "CT", family: "platform", province: "01", obligated: 1, signed: 0 },
      { agency: "CT", family: "platform", province: "79", obligated: 1, signed: 0 },
    ]);
  });

  it("signing counts once per province; revoking takes it back; a breach keeps it signed", () => {
    const s = signed(base);
    expect(
      coverageDelta([write(base, s)], "2026-Q1").map((c) => [c.province, c.obligated, c.signed]),
    ).toEqual([
      ["01", 0, 1],
      ["79", 0, 1],
    ]);
    expect(coverageDelta([write(s, signed(s, "revoked"))], "2026-Q1").map((c) => c.signed)).toEqual([-1, -1]);
    expect(coverageDelta([write(s, signed(s, "breached"))], "2026-Q1")).toEqual([]);
    // A pledge of another quarter changes nothing in this one.
    expect(coverageDelta([write(base, signed(base, "valid", "2025-Q4"))], "2026-Q1")).toEqual([]);
  });

  it("ceasing a signed party removes it from both counts; moving provinces moves its cells", () => {
    const s = signed(base);
    expect(
      coverageDelta([write(s, { ...s, status: "ceased" })], "2026-Q1").map((c) => [c.obligated, c.signed]),
    ).toEqual([
      [-1, -1],
      [-1, -1],
    ]);
    const moved = coverageDelta([write(base, { ...base, provinces: ["01", "48"] })], "2026-Q1");
    expect(moved.map((c) => [c.province, c.obligated])).toEqual([
      ["48", 1],
      ["79", -1],
    ]);
  });

  it("several writes of a batch aggregate into one change per cell", () => {
    const other = { ...base, id: "p2", provinces: ["01"] };
    expect(coverageDelta([write(null, base), write(null, other)], "2026-Q1")).toEqual([
      { agency: "CT", family: "platform", province: "01", obligated: 2, signed: 0 },
      { agency: "CT", family: "platform", province: "79", obligated: 1, signed: 0 },
    ]);
  });

  it("drift names the cells that differ, with both values", () => {
    const cell = { agency: "CT" as const, family: "platform" as const, province: "01" };
    expect(cellDrift([{ ...cell, obligated: 2, signed: 1 }], [{ ...cell, obligated: 2, signed: 1 }])).toEqual(
      [],
    );
    expect(cellDrift([{ ...cell, obligated: 2, signed: 1 }], [])).toEqual([
      { ...cell, obligated: 2, signed: 1, actualObligated: 0, actualSigned: 0 },
    ]);
    expect(percent({ obligated: 3, signed: 1 })).toBe(33.3);
  });
});

describe("due dates in Asia/Ho_Chi_Minh", () => {
  it("the quarter's due day, and the grace for a party obligated mid-quarter, capped at the quarter's end", () => {
    expect(quarterDueDate("2026-Q1", DEFAULT_RENEWAL_SETTINGS)).toBe("2026-02-14");
    expect(quarterDueDate("2026-Q1", { ...DEFAULT_RENEWAL_SETTINGS, dueDay: 90 })).toBe("2026-03-31");
    expect(partyDueDate({ obligatedFrom: "2025-06-01" }, "2026-Q1", DEFAULT_RENEWAL_SETTINGS)).toBe(
      "2026-02-14",
    );
    expect(partyDueDate({ obligatedFrom: "2026-02-01" }, "2026-Q1", DEFAULT_RENEWAL_SETTINGS)).toBe(
      "2026-03-03",
    );
    expect(partyDueDate({ obligatedFrom: "2026-03-20" }, "2026-Q1", DEFAULT_RENEWAL_SETTINGS)).toBe(
      "2026-03-31",
    );
    expect(partyDueDate({ obligatedFrom: "2026-01-05" }, "2026-Q1", DEFAULT_RENEWAL_SETTINGS)).toBe(
      "2026-02-14",
    );
  });

  it("the calendar date is Vietnam's, not the machine's", () => {
    expect(vietnamDate(new Date("2026-03-31T17:30:00Z"))).toBe("2026-04-01");
  });
});

describe("the travel clock", () => {
  it("moves, keeps running from there, and comes back", () => {
    let real = Date.parse("2026-01-01T00:00:00Z");
    const clock = createTravelClock({ now: () => new Date(real) });
    clock.travelTo(new Date("2026-07-01T02:00:00Z"));
    real += 60_000;
    expect(clock.now().toISOString()).toBe("2026-07-01T02:01:00.000Z");
    clock.reset();
    expect(clock.now().getTime()).toBe(real);
    expect(() => clock.travelTo(new Date("nope"))).toThrow();
  });
});
