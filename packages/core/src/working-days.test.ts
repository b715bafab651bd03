import { describe, expect, it } from "vitest";
import { addWorkingDays, isWorkingDay } from "./working-days";

describe("working days in Asia/Ho_Chi_Minh", () => {
  it("skips the weekend: Friday 15:00 plus two working days is Tuesday 15:00", () => {
    expect(addWorkingDays(new Date("2026-12-04T08:00:00Z"), 2).toISOString()).toBe(
      "2026-12-08T08:00:00.000Z",
    );
  });

  it("counts a request made on a Saturday from Monday's start", () => {
    expect(addWorkingDays(new Date("2026-12-05T03:00:00Z"), 2).toISOString()).toBe(
      "2026-12-08T17:00:00.000Z",
    );
  });

  it("uses the Vietnamese date, not the UTC one (Friday 17:30 UTC is Saturday 00:30 in Hà Nội)", () => {
    expect(addWorkingDays(new Date("2026-12-04T17:30:00Z"), 1).toISOString()).toBe(
      "2026-12-07T17:00:00.000Z",
    );
    expect(addWorkingDays(new Date("2026-12-03T16:30:00Z"), 1).toISOString()).toBe(
      "2026-12-04T16:30:00.000Z",
    );
  });

  it("skips 30/4 and 1/5, Tết and Quốc khánh", () => {
    expect(isWorkingDay("2026-04-30")).toBe(false);
    expect(isWorkingDay("2026-09-01")).toBe(false);
    expect(isWorkingDay("2026-02-18")).toBe(false);
    expect(isWorkingDay("2026-12-01")).toBe(true);
    expect(addWorkingDays(new Date("2026-04-29T03:00:00Z"), 2).toISOString()).toBe(
      "2026-05-05T03:00:00.000Z",
    );
    expect(addWorkingDays(new Date("2026-02-13T02:00:00Z"), 2).toISOString()).toBe(
      "2026-02-24T02:00:00.000Z",
    );
  });
});
