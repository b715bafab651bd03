import { describe, expect, it } from "vitest";
import { ConflictError } from "../errors";
import type { Reason } from "../flagging/model";
import { CASE_STATES, CaseEventSchema, type CaseEventType } from "./model";
import { priorityHours, priorityKey } from "./priority";
import { routeCase } from "./routing";
import { allowed, nextState, TRANSITIONS } from "./transitions";

const reason = (agency: Reason["agency"]): Reason => ({
  rule: `r-${agency}`,
  evidence: "x",
  legalBasis: "l",
  field: "title",
  start: 0,
  end: 1,
  version: 1,
  agency,
  weight: 0.5,
  explanation: "e",
});

describe("the case transition table", () => {
  it("walks a case from open to closed through a takedown", () => {
    const path: CaseEventType[] = [
      "claimed",
      "confirmation_proposed",
      "confirmed",
      "pledge_breached",
      "takedown_requested",
      "takedown_answered",
      "takedown_removal_confirmed",
    ];
    const states = path.reduce<string[]>(
      (acc, type) => {
        acc.push(nextState(acc.at(-1) as never, type));
        return acc;
      },
      [nextState(null, "opened")],
    );
    expect(states).toEqual([
      "open",
      "assigned",
      "awaiting_approval",
      "takedown",
      "takedown",
      "takedown",
      "takedown",
      "closed",
    ]);
  });

  it("escalates an overdue takedown, reopens closed and void cases, and revives a void item on a new flag", () => {
    expect(nextState("takedown", "takedown_overdue")).toBe("escalated");
    expect(nextState("escalated", "takedown_removal_confirmed")).toBe("closed");
    expect(nextState("closed", "reopened")).toBe("open");
    expect(nextState("void", "merged")).toBe("open");
    expect(nextState("closed", "merged")).toBe("closed");
    expect(nextState("assigned", "referred")).toBe("open");
    expect(nextState("open", "voided")).toBe("void");
  });

  it("refuses what a state cannot take, with a conflict", () => {
    expect(() => nextState("closed", "confirmed")).toThrow(ConflictError);
    expect(() => nextState("open", "takedown_requested")).toThrow(/cannot take "takedown_requested"/);
    expect(() => nextState(null, "merged")).toThrow(ConflictError);
    expect(() => nextState("open", "opened")).toThrow(ConflictError);
    expect(allowed("awaiting_approval", "dismissed")).toBe(false);
    expect(allowed("takedown", "voided")).toBe(false);
  });

  it("has a row for every log entry type and only known states in it", () => {
    const types = CaseEventSchema.options.map((o) => o.shape.type.value).sort();
    expect(Object.keys(TRANSITIONS).sort()).toEqual(types);
    for (const row of Object.values(TRANSITIONS)) {
      for (const [from, to] of Object.entries(row)) {
        expect(CASE_STATES).toContain(from);
        expect([...CASE_STATES, "same"]).toContain(to);
      }
    }
  });
});

describe("routing", () => {
  it("sends health claims to Y tế whatever the medium, ads and posts to VHTT, listings to Công Thương", () => {
    expect(routeCase({ kind: "listing" }, { reasons: [reason("CT"), reason("YT")] })).toEqual({
      agency: "YT",
      rule: "health_claim",
    });
    expect(routeCase({ kind: "post" }, { reasons: [reason("CT")] })).toEqual({
      agency: "VHTT",
      rule: "ad_or_post",
    });
    expect(routeCase({ kind: "ad" }, { reasons: [] }).agency).toBe("VHTT");
    expect(routeCase({ kind: "listing" }, { reasons: [reason("VHTT")] })).toEqual({
      agency: "CT",
      rule: "listing",
    });
  });
});

describe("priority", () => {
  it("ranks a sure flag and a pledged party ahead, and lets waiting cases rise", () => {
    const now = "2026-12-01T10:00:00.000Z";
    const weak = priorityKey(now, 0.2, false);
    const sure = priorityKey(now, 0.9, false);
    const pledged = priorityKey(now, 0.2, true);
    const oldWeak = priorityKey("2026-11-25T10:00:00.000Z", 0.2, false);
    const order = [weak, sure, pledged, oldWeak].sort();
    expect(order).toEqual([oldWeak, pledged, sure, weak]);
    expect(priorityHours(pledged, new Date(now))).toBe(Math.round(0.2 * 48 + 72));
  });
});
