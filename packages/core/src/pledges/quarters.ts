import { z } from "zod";

/**
 * Quarters (quý) as the pledge calendar counts them: pledges are signed "tháng 02/2026 và định kỳ theo
 * quý" (Ninh Bình KH, mục III.7.5–7.6), so every pledge, template version and coverage report is keyed by
 * a quarter id "2026-Q1", shown to people as "Quý I/2026".
 *
 * A quarter is a calendar quarter in Asia/Ho_Chi_Minh, whatever the time zone of the machine: an instant
 * is converted with Intl, never with the Date getters that use the process time zone.
 */

export const PLEDGE_TIME_ZONE = "Asia/Ho_Chi_Minh";

export type QuarterNumber = 1 | 2 | 3 | 4;

export interface Quarter {
  year: number;
  quarter: QuarterNumber;
}

const QUARTER_ID = /^([1-9]\d{3})-Q([1-4])$/;

/** A quarter id: four-digit year, "-Q", quarter 1–4. "2026-Q1". */
export const QuarterIdSchema = z.string().regex(QUARTER_ID, 'quarter id must look like "2026-Q1"');

const ROMAN: Readonly<Record<QuarterNumber, string>> = { 1: "I", 2: "II", 3: "III", 4: "IV" };

/** Splits a quarter id; throws an Error naming the bad value when it is not one. */
export function parseQuarterId(id: string): Quarter {
  const match = QUARTER_ID.exec(id);
  if (!match) throw new Error(`invalid quarter id ${JSON.stringify(id)}: expected the form "2026-Q1"`);
  return { year: Number(match[1]), quarter: Number(match[2]) as QuarterNumber };
}

export function isQuarterId(id: string): boolean {
  return QUARTER_ID.test(id);
}

/** Builds a quarter id from its parts ("2026-Q1"); throws when the parts do not make one. */
export function formatQuarterId(year: number, quarter: number): string {
  const id = `${year}-Q${quarter}`;
  parseQuarterId(id);
  return id;
}

const YEAR_MONTH_IN_VIETNAM = new Intl.DateTimeFormat("en-US", {
  timeZone: PLEDGE_TIME_ZONE,
  year: "numeric",
  month: "numeric",
});

/** The quarter an instant falls in, on the calendar of Asia/Ho_Chi_Minh. */
export function quarterId(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new Error("quarterId: invalid date");
  let year = Number.NaN;
  let month = Number.NaN;
  for (const part of YEAR_MONTH_IN_VIETNAM.formatToParts(date)) {
    if (part.type === "year") year = Number(part.value);
    if (part.type === "month") month = Number(part.value);
  }
  return formatQuarterId(year, Math.floor((month - 1) / 3) + 1);
}

/** "2026-Q1" → "Quý I/2026". */
export function quarterLabel(id: string): string {
  const { year, quarter } = parseQuarterId(id);
  return `Quý ${ROMAN[quarter]}/${year}`;
}

/** The following quarter: "2026-Q4" → "2027-Q1". */
export function nextQuarterId(id: string): string {
  const { year, quarter } = parseQuarterId(id);
  return quarter === 4 ? formatQuarterId(year + 1, 1) : formatQuarterId(year, quarter + 1);
}

/** The preceding quarter: "2027-Q1" → "2026-Q4". */
export function previousQuarterId(id: string): string {
  const { year, quarter } = parseQuarterId(id);
  return quarter === 1 ? formatQuarterId(year - 1, 4) : formatQuarterId(year, quarter - 1);
}

/** Negative when a is earlier than b, 0 when equal, positive when later. Usable with Array.sort. */
export function compareQuarterIds(a: string, b: string): number {
  const qa = parseQuarterId(a);
  const qb = parseQuarterId(b);
  return qa.year !== qb.year ? qa.year - qb.year : qa.quarter - qb.quarter;
}

const WALL_CLOCK_IN_VIETNAM = new Intl.DateTimeFormat("en-US", {
  timeZone: PLEDGE_TIME_ZONE,
  hourCycle: "h23",
  year: "numeric",
  month: "numeric",
  day: "numeric",
  hour: "numeric",
  minute: "numeric",
  second: "numeric",
});

/** Offset of Asia/Ho_Chi_Minh from UTC at an instant given in whole seconds, in ms (+07:00 since 1975). */
function offsetInVietnam(instant: number): number {
  const parts: Partial<Record<Intl.DateTimeFormatPartTypes, number>> = {};
  for (const part of WALL_CLOCK_IN_VIETNAM.formatToParts(new Date(instant))) {
    parts[part.type] = Number(part.value);
  }
  const wallClock = Date.UTC(
    parts.year ?? 0,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return wallClock - instant;
}

/** Midnight at the start of a quarter in Asia/Ho_Chi_Minh, as an instant. */
function quarterStartInstant({ year, quarter }: Quarter): number {
  const wallClock = Date.UTC(year, (quarter - 1) * 3, 1);
  return wallClock - offsetInVietnam(wallClock);
}

/**
 * The instants a quarter covers in Asia/Ho_Chi_Minh: `start` inclusive (00:00 on its first day), `end`
 * exclusive (00:00 on the first day of the next quarter). "2026-Q1" → 2025-12-31T17:00Z … 2026-03-31T17:00Z.
 */
export function quarterBounds(id: string): { start: Date; end: Date } {
  return {
    start: new Date(quarterStartInstant(parseQuarterId(id))),
    end: new Date(quarterStartInstant(parseQuarterId(nextQuarterId(id)))),
  };
}
