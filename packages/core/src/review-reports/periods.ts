import { InvalidError } from "../errors";
import { isQuarterId, quarterBounds, quarterId, quarterLabel } from "../pledges/quarters";
import type { PeriodicReportKind } from "./model";

/**
 * The periods of the periodic reports, in Asia/Ho_Chi_Minh (UTC+07:00 all year, no daylight saving):
 * a quarter ("2026-Q4", Quý IV/2026), a month ("2026-11", Tháng 11/2026), and a campaign week named by
 * the Thursday it starts ("2026-11-26": Thursday 26/11 00:00 to Thursday 03/12 00:00). The plans want the
 * weekly report in before 16:00 on Thursday, so the week ends at the start of the Thursday it is due.
 */
const OFFSET_MS = 7 * 3_600_000;
const DAY_MS = 86_400_000;

export interface ReportPeriod {
  id: string;
  label: string;
  from: Date;
  to: Date;
}

const pad = (n: number) => String(n).padStart(2, "0");
/** Midnight in Vietnam of a calendar day, as an instant. */
const vnMidnight = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d) - OFFSET_MS);
/** The calendar day (y, m, d) in Vietnam of an instant. */
function vnDay(at: Date): { y: number; m: number; d: number; weekday: number } {
  const local = new Date(at.getTime() + OFFSET_MS);
  return {
    y: local.getUTCFullYear(),
    m: local.getUTCMonth() + 1,
    d: local.getUTCDate(),
    weekday: local.getUTCDay(),
  };
}
const dmy = (at: Date) => {
  const { y, m, d } = vnDay(at);
  return `${pad(d)}/${pad(m)}/${y}`;
};

function refuse(message: string): never {
  throw new InvalidError("Invalid period", [{ field: "period", message }]);
}

export function reportPeriod(kind: PeriodicReportKind, id: string): ReportPeriod {
  switch (kind) {
    case "advertising_quarterly": {
      if (!isQuarterId(id)) refuse("Quý không hợp lệ: dạng 2026-Q4");
      const { start, end } = quarterBounds(id);
      return { id, label: quarterLabel(id), from: start, to: end };
    }
    case "quality_monthly": {
      const match = /^(\d{4})-(\d{2})$/.exec(id);
      const y = Number(match?.[1]);
      const m = Number(match?.[2]);
      if (!match || m < 1 || m > 12 || y < 2000) refuse("Tháng không hợp lệ: dạng 2026-11");
      return {
        id,
        label: `Tháng ${pad(m)}/${y}`,
        from: vnMidnight(y, m, 1),
        to: m === 12 ? vnMidnight(y + 1, 1, 1) : vnMidnight(y, m + 1, 1),
      };
    }
    case "campaign_weekly": {
      const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(id);
      const from = match ? vnMidnight(Number(match[1]), Number(match[2]), Number(match[3])) : null;
      if (!from || Number.isNaN(from.getTime()))
        refuse("Tuần không hợp lệ: ngày thứ Năm bắt đầu tuần, dạng 2026-11-26");
      const day = vnDay(from);
      if (`${day.y}-${pad(day.m)}-${pad(day.d)}` !== id) refuse("Ngày không có thật");
      if (day.weekday !== 4) refuse("Tuần báo cáo bắt đầu vào thứ Năm");
      const to = new Date(from.getTime() + 7 * DAY_MS);
      return { id, label: `Tuần ${dmy(from)} – ${dmy(new Date(to.getTime() - DAY_MS))}`, from, to };
    }
  }
}

/** The id of the period containing `at`. */
export function periodIdAt(kind: PeriodicReportKind, at: Date): string {
  const { y, m, d, weekday } = vnDay(at);
  switch (kind) {
    case "advertising_quarterly":
      return quarterId(at);
    case "quality_monthly":
      return `${y}-${pad(m)}`;
    case "campaign_weekly": {
      const back = (weekday - 4 + 7) % 7;
      const start = vnDay(new Date(vnMidnight(y, m, d).getTime() - back * DAY_MS));
      return `${start.y}-${pad(start.m)}-${pad(start.d)}`;
    }
  }
}

/** The current period and the `count - 1` before it, newest first: what the console offers. */
export function recentPeriods(kind: PeriodicReportKind, now: Date, count: number): ReportPeriod[] {
  const periods: ReportPeriod[] = [];
  let at = now;
  for (let i = 0; i < count; i++) {
    const period = reportPeriod(kind, periodIdAt(kind, at));
    periods.push(period);
    at = new Date(period.from.getTime() - 1);
  }
  return periods;
}
