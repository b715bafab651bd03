import { describe, expect, it } from "vitest";
import type { CaseEvent, CaseLogEntry, CaseState } from "../review/model";
import { computeReviewMetrics, durationStats } from "./metrics";

const by = { staffId: "s1", name: "Reviewer" };
const h = (hours: number) => new Date(Date.UTC(2026, 2, 1) + hours * 3_600_000).toISOString();

function log(caseId: string, steps: [number, CaseState, CaseEvent][]): CaseLogEntry[] {
  let from: CaseState | null = null;
  return steps.map(([hour, to, event], i) => {
    const entry: CaseLogEntry = {
      caseId,
      version: i + 1,
      seq: 0,
      at: h(hour),
      by,
      from,
      to,
      agency: "CT",
      province: "79",
      event,
    };
    from = to;
    return entry;
  });
}
const opened = (ruleIds: string[]): CaseEvent => ({
  type: "opened",
  source: { kind: "seed" },
  score: 0.8,
  ruleIds,
  agency: "CT",
  routedBy: "listing",
});
const violation = { type: "counterfeit" as const, legalBasis: "NĐ 98/2020", statement: "x" };

describe("review metrics from case logs", () => {
  it("counts first review, queue age, rule shares and takedown compliance", () => {
    const entries = [
      // a: reviewed after 2 h, confirmed, taken down in time (answered removed before the due time).
      ...log("a", [
        [0, "open", opened(["r1", "r2"])],
        [2, "assigned", { type: "claimed", leaseUntil: h(3) }],
        [3, "takedown", { type: "confirmed", violation, proposedBy: by }],
        [
          3,
          "takedown",
          {
            type: "takedown_requested",
            takedownId: "t1",
            platform: "p",
            contact: "c",
            legalBasis: "l",
            dueAt: h(51),
          },
        ],
        [20, "takedown", { type: "takedown_answered", takedownId: "t1", answer: "removed" }],
        [51, "closed", { type: "takedown_removal_confirmed", takedownId: "t1" }],
      ]),
      // b: dismissed after 6 h (r1 only).
      ...log("b", [
        [10, "open", opened(["r1"])],
        [16, "closed", { type: "dismissed", reason: "false_positive" }],
      ]),
      // c: never reviewed, still open at the end (opened 100 h before it: the 3–7 day band).
      ...log("c", [[20, "open", opened(["r2"])]]),
      // d: takedown removed late (re-capture after the due time, no answer).
      ...log("d", [
        [1, "open", opened(["r2"])],
        [5, "takedown", { type: "confirmed", violation, proposedBy: by }],
        [
          5,
          "takedown",
          {
            type: "takedown_requested",
            takedownId: "t2",
            platform: "p",
            contact: "c",
            legalBasis: "l",
            dueAt: h(53),
          },
        ],
        [80, "closed", { type: "takedown_removal_confirmed", takedownId: "t2" }],
      ]),
    ];
    const m = computeReviewMetrics(entries, h(0), h(120));
    expect(m.opened).toBe(4);
    expect(m.timeToFirstReview).toEqual({ count: 3, medianHours: 4, meanHours: 4, maxHours: 6 });
    expect(m.queueAge).toEqual({ lt1d: 0, "1to3d": 0, "3to7d": 1, gt7d: 0 });
    expect(m.rules).toEqual([
      { ruleId: "r1", flagged: 2, decided: 2, confirmed: 1, share: 0.5 },
      { ruleId: "r2", flagged: 3, decided: 2, confirmed: 2, share: 1 },
    ]);
    expect(m.takedowns).toMatchObject({ requested: 2, removedInTime: 1, removedLate: 1, compliance: 0.5 });
    expect(m.takedowns.timeToRemoval).toEqual({ count: 2, medianHours: 46, meanHours: 46, maxHours: 75 });
  });

  it("leaves out what happened outside the period", () => {
    const entries = log("a", [
      [0, "open", opened(["r1"])],
      [30, "closed", { type: "dismissed", reason: "false_positive" }],
    ]);
    const m = computeReviewMetrics(entries, h(24), h(48));
    expect(m.opened).toBe(0);
    expect(m.rules).toEqual([{ ruleId: "r1", flagged: 0, decided: 1, confirmed: 0, share: 0 }]);
    expect(computeReviewMetrics(entries, h(0), h(10)).queueAge.lt1d).toBe(1);
  });

  it("gives no statistics without a sample", () => {
    expect(durationStats([])).toEqual({ count: 0, medianHours: null, meanHours: null, maxHours: null });
  });
});
