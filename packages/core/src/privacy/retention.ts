import type { Clock } from "../ports";
import type { CaseRepository } from "../review/ports";
import type { Tip } from "../tips/model";
import type { TipRepository } from "../tips/ports";
import { caseOfTip } from "../tips/service";

/**
 * How long each kind of record is kept, and what applies it (issue 19, item 8). The table in
 * docs/decisions.md ("Retention") is this list; a unit test keeps the two the same. Three mechanisms:
 * DynamoDB's TTL (short-lived records carry `ttl`), Object Lock on the documents bucket (nothing of this
 * app can delete before the retention ends — excepted from the sweep, on purpose), and the daily
 * retention sweep below (RETENTION_SWEEP_TASK), for what must go on a clock that starts later than its
 * write: a tipster's contact, after the case closes.
 */
export interface RetentionRule {
  record: string;
  kept: string;
  by: "ttl" | "object-lock" | "sweep" | "kept" | "log-retention";
}

export const TIP_PERSONAL_DATA_DAYS = 30;
export const DATA_REQUEST_RETENTION_YEARS = 5;

export const RETENTION_SCHEDULE: readonly RetentionRule[] = [
  {
    record: "staff session",
    kept: "8 hours from sign-in (SESSION_TTL_SECONDS; ended sooner by sign-out)",
    by: "ttl",
  },
  { record: "pending sign-in, sign-in challenge", kept: "until it expires (minutes)", by: "ttl" },
  { record: "attempt and rate-limit counters", kept: "their window (1 minute to 1 day)", by: "ttl" },
  { record: "local e-mail outbox (npm start only)", kept: "30 days", by: "ttl" },
  { record: "tip URL day record", kept: "2 days", by: "ttl" },
  {
    record: "tipster's contact and address HMAC",
    kept: `${TIP_PERSONAL_DATA_DAYS} days after the tip's case closes (or after its capture was refused: no case opens)`,
    by: "sweep",
  },
  {
    record: "data subject request",
    kept: `${DATA_REQUEST_RETENTION_YEARS} years after it is answered`,
    by: "sweep",
  },
  {
    record: "sealed pledge PDF, audit checkpoint, capture evidence",
    kept: "10 years (Object Lock, governance mode)",
    by: "object-lock",
  },
  {
    record: "pledge, invitation, audit chain, party and its history",
    kept: "as long as the pledge PDF: the administrative record of the provincial plan",
    by: "kept",
  },
  {
    record: "review case, its log, takedown requests, tip URL and details",
    kept: "with the case file: the agency's records schedule (Luật Lưu trữ), not this platform",
    by: "kept",
  },
  { record: "function and API access logs", kept: "3 months", by: "log-retention" },
];

export const RETENTION_SWEEP_TASK = "privacy.retention";

/** A tip with its contact and address erased (the URL, details and case stay: they are the case file). */
export function erasedTip(tip: Tip, now: Date): Tip {
  const { contact: _contact, addressHash: _address, ...rest } = tip;
  return {
    ...rest,
    personalDataErasedAt: now.toISOString(),
    updatedAt: now.toISOString(),
    version: tip.version + 1,
  };
}

export interface RetentionDeps {
  tips: Pick<TipRepository, "get" | "update" | "withPersonalData">;
  cases: Pick<CaseRepository, "get">;
  /** Answered data subject requests, oldest first, and their deletion. */
  dataRequests: {
    answeredBefore(before: string, limit: number): Promise<{ id: string }[]>;
    delete(id: string): Promise<void>;
  };
  clock: Clock;
}

const DAY_MS = 86_400_000;
const CLOSED = new Set(["closed", "void"]);

export function createRetentionSweep(deps: RetentionDeps) {
  /** When the clock of a tip's personal data started: its case closed, or the tip ended with no case. */
  async function endOf(tip: Tip): Promise<string | null> {
    const { followed, case: found } = await caseOfTip(tip, deps);
    if (tip.caseId ?? followed.caseId) {
      // A case that went away (never in practice) no longer needs a way back to the tipster.
      if (!found) return tip.updatedAt;
      return CLOSED.has(found.state) ? found.updatedAt : null;
    }
    // No case will open: the capture was refused (not checkable).
    return tip.state === "not_checkable" ? tip.updatedAt : null;
  }

  return {
    /**
     * One run: erases every tip's contact and address whose clock ran out, deletes the answered requests
     * past their years. Idempotent (a second run the same day finds nothing), so a repeated or redelivered
     * task does no harm; each tip is written with its version, so a tip changed meanwhile is left for the
     * next run.
     */
    async sweep(): Promise<{ tipsErased: number; tipsKept: number; requestsDeleted: number }> {
      const now = deps.clock.now();
      const outcome = { tipsErased: 0, tipsKept: 0, requestsDeleted: 0 };
      let cursor: string | undefined;
      do {
        const page = await deps.tips.withPersonalData(cursor, 100);
        for (const tip of page.tips) {
          const end = await endOf(tip);
          if (end === null || Date.parse(end) + TIP_PERSONAL_DATA_DAYS * DAY_MS > now.getTime()) {
            outcome.tipsKept++;
            continue;
          }
          try {
            await deps.tips.update(erasedTip(tip, now), tip.version);
            outcome.tipsErased++;
          } catch {
            outcome.tipsKept++;
          }
        }
        cursor = page.cursor;
      } while (cursor);
      const before = new Date(now);
      before.setUTCFullYear(before.getUTCFullYear() - DATA_REQUEST_RETENTION_YEARS);
      for (;;) {
        const due = await deps.dataRequests.answeredBefore(before.toISOString(), 100);
        for (const request of due) await deps.dataRequests.delete(request.id);
        outcome.requestsDeleted += due.length;
        if (due.length < 100) break;
      }
      return outcome;
    },
  };
}
