import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { clockOf, type DataRequest, dataRequestClocks, workingDaysAfter } from "./requests";
import { RETENTION_SCHEDULE } from "./retention";

describe("the legal clocks of a data subject's request", () => {
  it("counts 2 working days in Vietnam, skipping weekends and public holidays, to the end of the day", () => {
    // Friday 15:00 in Vietnam → end of Tuesday; Monday 09:00 → end of Wednesday.
    expect(workingDaysAfter(new Date("2026-12-04T15:00:00+07:00"), 2).toISOString()).toBe(
      "2026-12-08T16:59:59.999Z",
    );
    expect(workingDaysAfter(new Date("2026-12-07T09:00:00+07:00"), 2).toISOString()).toBe(
      "2026-12-09T16:59:59.999Z",
    );
    // Saturday 23:30 in Vietnam (16:30 UTC, still Saturday there) → end of Tuesday.
    expect(workingDaysAfter(new Date("2026-12-05T16:30:00Z"), 2).toISOString()).toBe(
      "2026-12-08T16:59:59.999Z",
    );
    // Public holidays are skipped too: Monday 31 August, then Quốc khánh (1 and 2 September) → end of Friday.
    expect(workingDaysAfter(new Date("2026-08-31T09:00:00+07:00"), 2).toISOString()).toBe(
      "2026-09-04T16:59:59.999Z",
    );
    // 00:30 on Monday in Vietnam is still Sunday in UTC: the Vietnamese day counts.
    expect(workingDaysAfter(new Date("2026-12-06T17:30:00Z"), 2).toISOString()).toBe(
      "2026-12-09T16:59:59.999Z",
    );
  });

  it("gives a withdrawal or an objection 15 days, to the end of the Vietnamese day", () => {
    const clocks = dataRequestClocks("withdrawal", new Date("2026-12-31T23:00:00+07:00"));
    expect(clocks.settlementDue).toBe("2027-01-15T16:59:59.999Z");
  });

  it("runs the first-response clock, then the settlement's, and tells whether each was met", () => {
    const base = {
      ...dataRequestClocks("objection", new Date("2026-12-07T09:00:00+07:00")),
      state: "received",
    } as DataRequest;
    expect(clockOf(base, new Date("2026-12-08T09:00:00+07:00"))).toMatchObject({
      running: "first_response",
      overdue: false,
    });
    expect(clockOf(base, new Date("2026-12-10T00:00:01+07:00"))).toMatchObject({
      running: "first_response",
      overdue: true,
    });
    const acked = {
      ...base,
      state: "acknowledged",
      acknowledgedAt: "2026-12-10T01:00:00.000Z",
    } as DataRequest;
    expect(clockOf(acked, new Date("2026-12-11T00:00:00+07:00"))).toMatchObject({
      running: "settlement",
      overdue: false,
      firstResponseMet: false,
    });
    const answered = { ...acked, state: "answered", answeredAt: "2026-12-20T00:00:00.000Z" } as DataRequest;
    expect(clockOf(answered, new Date("2027-02-01T00:00:00Z"))).toEqual({
      running: null,
      due: null,
      overdue: false,
      firstResponseMet: false,
      settlementMet: true,
    });
  });
});

describe("the retention schedule", () => {
  it("is the table in docs/decisions.md, row for row", () => {
    const doc = readFileSync(
      fileURLToPath(new URL("../../../../docs/decisions.md", import.meta.url)),
      "utf8",
    );
    const section = doc.slice(doc.indexOf("## Retention"));
    const rows = section
      .split("\n")
      .filter((line) => line.startsWith("| ") && !line.startsWith("| Record") && !line.startsWith("| ---"))
      .map((line) =>
        line
          .split("|")
          .map((cell) => cell.trim())
          .slice(1, 4),
      );
    expect(rows).toEqual(RETENTION_SCHEDULE.map((r) => [r.record, r.kept, r.by]));
  });
});
