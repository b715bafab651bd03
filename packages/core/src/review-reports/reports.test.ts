import { describe, expect, it } from "vitest";
import { InvalidError } from "../errors";
import type { CaseEvent, CaseLogEntry, CaseState } from "../review/model";
import { countReviewReport, handlingOf } from "./counts";
import { periodicSummaryRows } from "./labels";
import { REPORT_FOCUS } from "./model";
import { periodIdAt, recentPeriods, reportPeriod } from "./periods";

const by = { staffId: "s1", name: "Cán bộ A" };
const system = { staffId: "system", name: "Hệ thống" };
const h = (hours: number) => new Date(Date.UTC(2026, 10, 1) + hours * 3_600_000).toISOString();

function log(
  caseId: string,
  steps: [number, CaseState, CaseEvent, ("CT" | "VHTT" | "YT")?, typeof by?][],
): CaseLogEntry[] {
  let from: CaseState | null = null;
  return steps.map(([hour, to, event, agency, who], i) => {
    const entry: CaseLogEntry = {
      caseId,
      version: i + 1,
      seq: 0,
      at: h(hour),
      by: who ?? by,
      from,
      to,
      agency: agency ?? "VHTT",
      province: "37",
      event,
    };
    from = to;
    return entry;
  });
}

const opened = (kind: "capture" | "tip" | "seed" = "capture"): CaseEvent => ({
  type: "opened",
  source: kind === "tip" ? { kind: "tip", tipId: "t1" } : kind === "capture" ? { kind: "capture" } : { kind },
  score: 0.8,
  ruleIds: ["r1"],
  agency: "VHTT",
  routedBy: "ad_or_post",
});
const confirmed = (type: "false_advertising" | "counterfeit" | "false_quality_claim"): CaseEvent => ({
  type: "confirmed",
  violation: { type, legalBasis: "Luật Quảng cáo 2012, Điều 8", statement: "Quảng cáo sai công dụng" },
  proposedBy: by,
});
const requested = (id: string, dueHour: number): CaseEvent => ({
  type: "takedown_requested",
  takedownId: id,
  platform: "facebook",
  contact: "legal@fb.example",
  legalBasis: "Luật Quảng cáo 2012",
  dueAt: h(dueHour),
});

describe("report periods (Asia/Ho_Chi_Minh)", () => {
  it("are quarters, months and campaign weeks from Thursday to Thursday", () => {
    expect(reportPeriod("advertising_quarterly", "2026-Q4")).toMatchObject({
      label: "Quý IV/2026",
      from: new Date("2026-09-30T17:00:00Z"),
      to: new Date("2026-12-31T17:00:00Z"),
    });
    expect(reportPeriod("quality_monthly", "2026-12")).toMatchObject({
      label: "Tháng 12/2026",
      from: new Date("2026-11-30T17:00:00Z"),
      to: new Date("2026-12-31T17:00:00Z"),
    });
    expect(reportPeriod("campaign_weekly", "2026-11-26")).toMatchObject({
      label: "Tuần 26/11/2026 – 02/12/2026",
      from: new Date("2026-11-25T17:00:00Z"),
      to: new Date("2026-12-02T17:00:00Z"),
    });
  });

  it("refuses what is not a period, with a Vietnamese message on the field", () => {
    for (const [kind, id] of [
      ["campaign_weekly", "2026-11-27"], // a Friday
      ["campaign_weekly", "2026-02-30"],
      ["quality_monthly", "2026-13"],
      ["advertising_quarterly", "2026-Q5"],
    ] as const) {
      const error = (() => {
        try {
          reportPeriod(kind, id);
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(InvalidError);
      expect((error as InvalidError).issues[0]?.field).toBe("period");
    }
  });

  it("finds the period of an instant and the ones before it", () => {
    // Thursday 03/12/2026 10:00 in Vietnam starts a new week; Wednesday 23:30 is still the last one.
    expect(periodIdAt("campaign_weekly", new Date("2026-12-03T03:00:00Z"))).toBe("2026-12-03");
    expect(periodIdAt("campaign_weekly", new Date("2026-12-02T16:30:00Z"))).toBe("2026-11-26");
    // 31/12 23:30 UTC is already 1 January in Vietnam.
    expect(periodIdAt("quality_monthly", new Date("2026-12-31T23:30:00Z"))).toBe("2027-01");
    expect(recentPeriods("quality_monthly", new Date("2026-02-10T00:00:00Z"), 3).map((p) => p.id)).toEqual([
      "2026-02",
      "2026-01",
      "2025-12",
    ]);
    expect(recentPeriods("campaign_weekly", new Date("2026-12-02T00:00:00Z"), 2).map((p) => p.id)).toEqual([
      "2026-11-26",
      "2026-11-19",
    ]);
  });
});

describe("periodic report counts from the case log", () => {
  const entries = [
    // a: a tip, confirmed false advertising, taken down in time (the platform's answer before the due time).
    ...log("a", [
      [1, "open", opened("tip")],
      [2, "open", { type: "merged", source: { kind: "tip", tipId: "t2" }, score: 0.8, ruleIds: ["r1"] }],
      [3, "assigned", { type: "claimed", leaseUntil: h(4) }],
      [4, "takedown", confirmed("false_advertising")],
      [4, "takedown", requested("t-a", 52), "VHTT", system],
      [20, "takedown", { type: "takedown_answered", takedownId: "t-a", answer: "removed" }],
      [53, "closed", { type: "takedown_removal_confirmed", takedownId: "t-a" }, "VHTT", system],
    ]),
    // b: captured, dismissed, reopened, confirmed as counterfeit: counts once, by its last decision.
    ...log("b", [
      [5, "open", opened()],
      [6, "closed", { type: "dismissed", reason: "false_positive" }],
      [7, "open", { type: "reopened", reason: "Có thêm chứng cứ" }],
      [8, "takedown", confirmed("counterfeit")],
      [8, "takedown", requested("t-b", 56), "VHTT", system],
      [57, "escalated", { type: "takedown_overdue", takedownId: "t-b", dueAt: h(56) }, "VHTT", system],
    ]),
    // c: dismissed for want of evidence; d: still waiting at the end; e: referred away to Health.
    ...log("c", [
      [9, "open", opened("seed")],
      [10, "closed", { type: "dismissed", reason: "insufficient_evidence" }],
    ]),
    ...log("d", [[11, "open", opened()]]),
    ...log("e", [
      [12, "open", opened()],
      [
        13,
        "open",
        { type: "referred", fromAgency: "VHTT", toAgency: "YT", reason: "Thực phẩm chức năng" },
        "YT",
      ],
    ]),
    // f: referred here from Công Thương, confirmed as false advertising, disputed by the platform.
    ...log("f", [
      [14, "open", { type: "referred", fromAgency: "CT", toAgency: "VHTT", reason: "Quảng cáo" }],
      [15, "takedown", confirmed("false_advertising")],
      [15, "takedown", requested("t-f", 63), "VHTT", system],
      [16, "takedown", { type: "takedown_answered", takedownId: "t-f", answer: "disputed", reason: "Sai" }],
    ]),
    // g: opened before the period, decided in it; h: opened after it (left out).
    ...log("g", [
      [-30, "open", opened()],
      [17, "closed", { type: "dismissed", reason: "already_handled" }],
    ]),
    ...log("h", [[200, "open", opened()]]),
  ];
  const { counts, violations } = countReviewReport(
    entries,
    { agency: "VHTT" },
    h(0),
    h(100),
    REPORT_FOCUS.advertising_quarterly,
  );

  it("counts what was received and reviewed", () => {
    expect(counts.opened).toBe(5);
    expect(counts.openedBy).toEqual({ capture: 3, tip: 1, evaluation: 0, seed: 1 });
    expect(counts.flags).toBe(6);
    expect(counts.tips).toBe(2);
    expect(counts.referredIn).toBe(1);
    expect(counts.referredOut).toBe(1);
    // a, b, c, e (the referral), f, g: a person acted; d did not.
    expect(counts.reviewed).toBe(6);
  });

  it("counts what was found, each case by its last decision in the period", () => {
    expect(counts.confirmed).toBe(3);
    expect(counts.confirmedBy).toMatchObject({
      false_advertising: 2,
      counterfeit: 1,
      false_quality_claim: 0,
    });
    expect(counts.focusConfirmed).toBe(2);
    expect(counts.dismissed).toBe(2);
    expect(counts.dismissedBy).toEqual({ false_positive: 0, insufficient_evidence: 1, already_handled: 1 });
    // d is waiting; e left for Health; h is outside the period.
    expect(counts.undecidedAtEnd).toBe(1);
    expect(violations.map((v) => [v.caseId, v.type])).toEqual([
      ["a", "false_advertising"],
      ["f", "false_advertising"],
    ]);
    expect(violations[0]?.handling).toBe("Đã xác nhận gỡ bỏ");
    expect(violations[1]?.handling).toBe("Nền tảng phản đối yêu cầu gỡ bỏ");
  });

  it("counts what was done: every request made in the period in exactly one outcome", () => {
    expect(counts.takedowns).toEqual({
      requested: 3,
      removedInTime: 1,
      removedLate: 0,
      disputed: 1,
      overdue: 1,
      pendingAtEnd: 0,
    });
    // Cut the period before the answers: the same requests are pending at its end.
    const early = countReviewReport(entries, { agency: "VHTT" }, h(0), h(15.5), []);
    expect(early.counts.takedowns).toMatchObject({ requested: 3, pendingAtEnd: 3 });
    expect(early.violations).toEqual([]);
  });

  it("gives the same figures as rows for the PDF and the XLSX", () => {
    const rows = periodicSummaryRows(counts);
    expect(rows.received[0]).toEqual(["Cảnh báo và phản ánh tiếp nhận", 6]);
    expect(rows.found.find(([label]) => label === "Hồ sơ kết luận có vi phạm")?.[1]).toBe(3);
    expect(rows.done.find(([label]) => label === "– Quá hạn chưa gỡ, đã chuyển lãnh đạo")?.[1]).toBe(1);
  });

  it("says how a violation was handled, as of the last entry read", () => {
    expect(handlingOf(entries.filter((e) => e.caseId === "b"))).toBe("Quá hạn gỡ bỏ, đã chuyển lãnh đạo");
    expect(handlingOf([])).toBe("Đã kết luận vi phạm");
  });
});
