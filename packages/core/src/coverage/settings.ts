import { z } from "zod";
import { ActorRefSchema } from "../parties/model";
import { PLEDGE_TIME_ZONE, quarterBounds } from "../pledges/quarters";

/**
 * The renewal cycle of one province. The plans ask for a pledge "định kỳ theo quý": each quarter a party
 * is invited, reminded before the due day, and escalated to its agency's leads once overdue.
 */
export const RenewalSettingsSchema = z.strictObject({
  cycle: z.literal("quarterly"),
  /** The day of the quarter (1 = its first day) by which the pledge is due. */
  dueDay: z.number().int().min(1).max(90),
  /** Days before the due day on which unsigned parties are reminded. */
  reminderOffsets: z.array(z.number().int().min(1).max(89)).max(6),
  /** Days a party that becomes obligated during the quarter has, from that day, before it is due. */
  graceDays: z.number().int().min(0).max(90),
});
export type RenewalSettings = z.infer<typeof RenewalSettingsSchema>;

export const DEFAULT_RENEWAL_SETTINGS: RenewalSettings = {
  cycle: "quarterly",
  dueDay: 45,
  reminderOffsets: [14, 7, 1],
  graceDays: 30,
};

export const StoredRenewalSettingsSchema = RenewalSettingsSchema.extend({
  province: z.string(),
  updatedAt: z.string(),
  updatedBy: ActorRefSchema,
});
export type StoredRenewalSettings = z.infer<typeof StoredRenewalSettingsSchema>;

const DAY_MS = 86_400_000;
const DATE_IN_VIETNAM = new Intl.DateTimeFormat("en-CA", {
  timeZone: PLEDGE_TIME_ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

/** The calendar date of an instant in Asia/Ho_Chi_Minh, "2026-02-10". */
export function vietnamDate(instant: Date): string {
  return DATE_IN_VIETNAM.format(instant);
}

const DATE_TIME_IN_VIETNAM = new Intl.DateTimeFormat("en-GB", {
  timeZone: PLEDGE_TIME_ZONE,
  day: "2-digit",
  month: "2-digit",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

/** An instant as people in Vietnam read it, "08/12/2026 15:00" (Asia/Ho_Chi_Minh, both languages). */
export function vietnamDateTime(instant: Date): string {
  const p = Object.fromEntries(DATE_TIME_IN_VIETNAM.formatToParts(instant).map((x) => [x.type, x.value]));
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`;
}

/** The hour (0–23) of an instant in Asia/Ho_Chi_Minh. */
export function vietnamHour(instant: Date): number {
  return Number(
    new Intl.DateTimeFormat("en-US", {
      timeZone: PLEDGE_TIME_ZONE,
      hour: "numeric",
      hourCycle: "h23",
    }).format(instant),
  );
}

/** Whole days from date a to date b ("2026-01-01" → "2026-01-15" = 14). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);
}

/** The earlier / later of two ISO dates (strings: `Math.min` would turn them into NaN). */
const earlier = (a: string, b: string) => (a < b ? a : b);
const later = (a: string, b: string) => (a < b ? b : a);

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** First and last calendar dates of a quarter in Vietnam. */
export function quarterDates(quarter: string): { first: string; last: string } {
  const { start, end } = quarterBounds(quarter);
  return { first: vietnamDate(start), last: vietnamDate(new Date(end.getTime() - 1)) };
}

/** The quarter's due date for everyone obligated from its start. */
export function quarterDueDate(quarter: string, settings: RenewalSettings): string {
  const { first, last } = quarterDates(quarter);
  const due = addDays(first, settings.dueDay - 1);
  return earlier(due, last);
}

/**
 * A party's due date in a quarter: the quarter's, or — for a party obligated after the quarter began —
 * its obligation date plus the grace days, whichever is later, and never after the quarter's last day.
 */
export function partyDueDate(
  party: { obligatedFrom: string },
  quarter: string,
  settings: RenewalSettings,
): string {
  const { first, last } = quarterDates(quarter);
  const due = quarterDueDate(quarter, settings);
  const from = party.obligatedFrom.slice(0, 10);
  if (from <= first) return due;
  return earlier(later(addDays(from, settings.graceDays), due), last);
}
