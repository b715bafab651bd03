/** Score 1 is worth this much waiting time: a sure flag opened now ranks with a weak one two days old. */
export const SCORE_BONUS_HOURS = 48;
/** A party with a current pledge breaking it is worth three more days of waiting. */
export const PLEDGE_BONUS_HOURS = 72;

const HOUR = 3_600_000;

function bonusHours(score: number, pledged: boolean): number {
  return score * SCORE_BONUS_HOURS + (pledged ? PLEDGE_BONUS_HOURS : 0);
}

/**
 * The queue's sort key: when the case was opened, moved earlier by its bonus. Ascending order is highest
 * priority first, and age counts by itself (an older case has an earlier key) without rewriting keys.
 */
export function priorityKey(openedAt: string, score: number, pledged: boolean): string {
  return new Date(Date.parse(openedAt) - bonusHours(score, pledged) * HOUR).toISOString();
}

/** The priority shown to a reviewer: hours waited plus the bonus (higher is more urgent). */
export function priorityHours(key: string, now: Date): number {
  return Math.round((now.getTime() - Date.parse(key)) / HOUR);
}
