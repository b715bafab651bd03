/**
 * Working days in Asia/Ho_Chi_Minh (UTC+7 all year, no daylight saving): Saturdays, Sundays and the
 * statutory public holidays of Bộ luật Lao động 2019, Điều 112 (as amended in 2025: two days for
 * Quốc khánh) are skipped. The lunar holidays (Tết, Giỗ Tổ Hùng Vương) are listed per year as the
 * government announces them; compensating days and swapped weekends are not modelled (docs/decisions.md).
 */
const OFFSET_MS = 7 * 3_600_000;
const DAY_MS = 86_400_000;

/** MM-DD, every year: Tết Dương lịch, Giải phóng miền Nam, Quốc tế Lao động, Quốc khánh (2 days). */
const SOLAR = new Set(["01-01", "04-30", "05-01", "09-01", "09-02"]);

/** YYYY-MM-DD: Tết Nguyên đán (five days) and Giỗ Tổ Hùng Vương (10/3 âm lịch). */
const LUNAR = new Set([
  ...["2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20", "2026-04-26"],
  ...["2027-02-05", "2027-02-06", "2027-02-07", "2027-02-08", "2027-02-09", "2027-04-16"],
  ...["2028-01-25", "2028-01-26", "2028-01-27", "2028-01-28", "2028-01-29", "2028-04-04"],
]);

export function isWorkingDay(date: string): boolean {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day !== 0 && day !== 6 && !SOLAR.has(date.slice(5)) && !LUNAR.has(date);
}

/**
 * `days` working days after `from`: the same time of day on the working day `days` working days later
 * (a request made on Friday 15:00 with 2 days is due Tuesday 15:00; one made on a holiday counts from
 * the next working day's start).
 */
export function addWorkingDays(from: Date, days: number): Date {
  let local = new Date(from.getTime() + OFFSET_MS);
  if (!isWorkingDay(local.toISOString().slice(0, 10))) {
    while (!isWorkingDay(local.toISOString().slice(0, 10))) {
      local = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + 1));
    }
  }
  let left = days;
  while (left > 0) {
    local = new Date(local.getTime() + DAY_MS);
    if (isWorkingDay(local.toISOString().slice(0, 10))) left--;
  }
  return new Date(local.getTime() - OFFSET_MS);
}
