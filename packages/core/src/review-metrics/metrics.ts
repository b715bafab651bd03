import type { CaseEventType, CaseLogEntry, CaseState } from "../review/model";

/**
 * Review metrics, recounted from case log entries only (issue 8): nothing here reads a case's current
 * fields, so a metric means the same whichever way the cases were later changed, and a test can check it
 * against its own count of the entries it wrote.
 */

/** The first entry that shows a person at work on a case: a claim, an assignment or a decision. */
export const FIRST_REVIEW_EVENTS: readonly CaseEventType[] = [
  "claimed",
  "assigned",
  "confirmation_proposed",
  "confirmed",
  "dismissed",
];

const OPEN_STATES: readonly CaseState[] = ["open", "assigned", "escalated", "awaiting_approval"];

export const AGE_BANDS = [
  { id: "lt1d", maxHours: 24 },
  { id: "1to3d", maxHours: 72 },
  { id: "3to7d", maxHours: 168 },
  { id: "gt7d", maxHours: Number.POSITIVE_INFINITY },
] as const;
export type AgeBand = (typeof AGE_BANDS)[number]["id"];

export interface DurationStats {
  count: number;
  /** Hours, one decimal; null with no sample. */
  medianHours: number | null;
  meanHours: number | null;
  maxHours: number | null;
}

export interface RuleShare {
  ruleId: string;
  /** Cases the rule flagged (opened or merged with it). */
  flagged: number;
  /** Of those, decided: confirmed or dismissed. */
  decided: number;
  confirmed: number;
  /** confirmed / decided; null when none decided. */
  share: number | null;
}

export interface ReviewMetrics {
  period: { from: string; to: string };
  opened: number;
  timeToFirstReview: DurationStats;
  /** Cases waiting for review at `period.to` (open, assigned, escalated, awaiting approval) by age. */
  queueAge: Record<AgeBand, number>;
  rules: RuleShare[];
  takedowns: {
    requested: number;
    /** Removal confirmed, with the platform's removal (its answer, else the re-capture) by the due time. */
    removedInTime: number;
    removedLate: number;
    /** removedInTime / requested; null with no request. */
    compliance: number | null;
    timeToRemoval: DurationStats;
  };
}

const HOUR = 3_600_000;
const round1 = (n: number) => Math.round(n * 10) / 10;

export function durationStats(hours: number[]): DurationStats {
  if (hours.length === 0) return { count: 0, medianHours: null, meanHours: null, maxHours: null };
  const sorted = [...hours].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return {
    count: sorted.length,
    medianHours: round1(median),
    meanHours: round1(sorted.reduce((a, b) => a + b, 0) / sorted.length),
    maxHours: round1(sorted.at(-1) as number),
  };
}

function byCase(entries: readonly CaseLogEntry[]): Map<string, CaseLogEntry[]> {
  const cases = new Map<string, CaseLogEntry[]>();
  for (const e of entries) {
    const list = cases.get(e.caseId) ?? [];
    list.push(e);
    cases.set(e.caseId, list);
  }
  for (const list of cases.values()) list.sort((a, b) => a.version - b.version || a.seq - b.seq);
  return cases;
}

/**
 * The metrics of one scope for `[from, to)`: `entries` are every log entry of the cases opened in the
 * scope up to `to` (the log index's query), in any order. Cases opened in the period count for time to
 * first review; flags and decisions in the period count for the rules' shares; takedown requests made in
 * the period count for compliance; the queue is the state of every case at `to`.
 */
export function computeReviewMetrics(
  entries: readonly CaseLogEntry[],
  from: string,
  to: string,
): ReviewMetrics {
  const inPeriod = (at: string) => at >= from && at < to;
  const cases = byCase(entries.filter((e) => e.at < to));
  let opened = 0;
  const firstReview: number[] = [];
  const queueAge: Record<AgeBand, number> = { lt1d: 0, "1to3d": 0, "3to7d": 0, gt7d: 0 };
  const rules = new Map<string, { flagged: Set<string>; decided: Set<string>; confirmed: Set<string> }>();
  const rule = (id: string) => {
    let r = rules.get(id);
    if (!r) {
      r = { flagged: new Set(), decided: new Set(), confirmed: new Set() };
      rules.set(id, r);
    }
    return r;
  };
  let requested = 0;
  let removedInTime = 0;
  let removedLate = 0;
  const removal: number[] = [];

  for (const [caseId, log] of cases) {
    const first = log[0];
    if (first?.event.type !== "opened") continue;
    if (inPeriod(first.at)) {
      opened++;
      const reviewed = log.find((e) => FIRST_REVIEW_EVENTS.includes(e.event.type));
      if (reviewed) firstReview.push((Date.parse(reviewed.at) - Date.parse(first.at)) / HOUR);
    }
    const last = log.at(-1) as CaseLogEntry;
    // A case referred to another agency has left this office's queue (its referral is filed here too).
    if (OPEN_STATES.includes(last.to) && last.agency === first.agency) {
      const hours = (Date.parse(to) - Date.parse(first.at)) / HOUR;
      const band: AgeBand = AGE_BANDS.find((b) => hours < b.maxHours)?.id ?? "gt7d";
      queueAge[band]++;
    }
    // The rules that flagged the case so far, then the decisions of the period against them.
    const flaggedBy = new Set<string>();
    const requests = new Map<string, { at: string; dueAt: string; answeredRemovedAt?: string }>();
    for (const e of log) {
      const ev = e.event;
      if (ev.type === "opened" || ev.type === "merged") {
        for (const id of ev.ruleIds) {
          flaggedBy.add(id);
          if (inPeriod(e.at)) rule(id).flagged.add(caseId);
        }
      } else if ((ev.type === "confirmed" || ev.type === "dismissed") && inPeriod(e.at)) {
        for (const id of flaggedBy) {
          rule(id).decided.add(caseId);
          if (ev.type === "confirmed") rule(id).confirmed.add(caseId);
          // A reopened case decided again counts once, by its last decision.
          if (ev.type === "dismissed") rule(id).confirmed.delete(caseId);
        }
      } else if (ev.type === "takedown_requested") {
        requests.set(ev.takedownId, { at: e.at, dueAt: ev.dueAt });
        if (inPeriod(e.at)) requested++;
      } else if (ev.type === "takedown_answered" && ev.answer === "removed") {
        const r = requests.get(ev.takedownId);
        if (r && !r.answeredRemovedAt) r.answeredRemovedAt = e.at;
      } else if (ev.type === "takedown_removal_confirmed") {
        const r = requests.get(ev.takedownId);
        if (!r || !inPeriod(r.at)) continue;
        const removedAt = r.answeredRemovedAt ?? e.at;
        if (removedAt <= r.dueAt) removedInTime++;
        else removedLate++;
        removal.push((Date.parse(removedAt) - Date.parse(r.at)) / HOUR);
      }
    }
  }

  return {
    period: { from, to },
    opened,
    timeToFirstReview: durationStats(firstReview),
    queueAge,
    rules: [...rules.entries()]
      .map(([ruleId, r]) => ({
        ruleId,
        flagged: r.flagged.size,
        decided: r.decided.size,
        confirmed: r.confirmed.size,
        share: r.decided.size > 0 ? Math.round((r.confirmed.size / r.decided.size) * 1000) / 1000 : null,
      }))
      .sort((a, b) => a.ruleId.localeCompare(b.ruleId)),
    takedowns: {
      requested,
      removedInTime,
      removedLate,
      compliance: requested > 0 ? Math.round((removedInTime / requested) * 1000) / 1000 : null,
      timeToRemoval: durationStats(removal),
    },
  };
}
