import type { ActorRef } from "../parties/model";
import type { Clock, TaskQueue } from "../ports";
import type { RuleSet } from "./model";
import type { EvaluationRepository, ReevaluationRun, RuleEvaluator } from "./ports";
import type { EvaluatedItem } from "./service";

export const REEVALUATE_TASK = "flagging.reevaluate";
/** Items seen in this many days are re-evaluated after a rule change (REEVALUATION_DAYS to change it). */
export const REEVALUATION_DAYS = 30;
/** Items per task: a page is re-evaluated and written well within a task's time. */
export const REEVALUATION_PAGE = 100;
const DAY_MS = 86_400_000;

export interface ReevaluationDeps {
  evaluations: EvaluationRepository;
  /** The compiled current rule set (the flagging service's). */
  current(): Promise<{ ruleSet: RuleSet; evaluator: RuleEvaluator }>;
  tasks: TaskQueue;
  clock: Clock;
  days?: number | undefined;
  /** An item the new rules flag and the old did not: its case opens (the review intake). */
  onNewlyFlagged(evaluated: EvaluatedItem): Promise<unknown>;
  /** An item the old rules flagged and the new do not: its case is marked, never closed. */
  onNoLongerFlagged(itemId: string, ruleSetVersion: number): Promise<unknown>;
}

const ruleIds = (d: { reasons: { rule: string }[] }) =>
  [...new Set(d.reasons.map((r) => r.rule))].sort().join(",");

/**
 * Re-evaluation after a rule change (issue 23, item 3). Saving a rule or the price catalogue makes a new
 * rule-set version and starts its run: the items seen in the last `days` days are evaluated again with
 * that version, a page per background task, with the run's progress kept for the rules console. A newer
 * version supersedes a running one (it re-evaluates the same window). Each page task runs only if the
 * run's page count is the one it was sent with, so a redelivered task does not count a page twice.
 */
export function createReevaluation(deps: ReevaluationDeps) {
  const days = deps.days ?? REEVALUATION_DAYS;
  return {
    async start(ruleSetVersion: number, by: ActorRef): Promise<ReevaluationRun> {
      const existing = await deps.evaluations.getRun(ruleSetVersion);
      if (existing) return existing;
      const now = deps.clock.now();
      const run: ReevaluationRun = {
        ruleSetVersion,
        since: new Date(now.getTime() - days * DAY_MS).toISOString(),
        startedAt: now.toISOString(),
        state: "running",
        pages: 0,
        seen: 0,
        changed: 0,
        newlyFlagged: 0,
        noLongerFlagged: 0,
        by,
      };
      await deps.evaluations.putRun(run, null);
      await deps.tasks.enqueue({ type: REEVALUATE_TASK, payload: { ruleSetVersion, page: 0 } });
      return run;
    },

    async runPage(payload: { ruleSetVersion: number; page: number }): Promise<ReevaluationRun | null> {
      const run = await deps.evaluations.getRun(payload.ruleSetVersion);
      if (run?.state !== "running" || run.pages !== payload.page) return run;
      const { ruleSet, evaluator } = await deps.current();
      const now = deps.clock.now().toISOString();
      if (ruleSet.version !== run.ruleSetVersion) {
        const superseded: ReevaluationRun = { ...run, state: "superseded", finishedAt: now };
        await deps.evaluations.putRun(superseded, run.pages);
        return superseded;
      }
      const page = await deps.evaluations.seenSince(run.since, run.cursor, REEVALUATION_PAGE);
      const next: ReevaluationRun = { ...run, pages: run.pages + 1 };
      for (const record of page.records) {
        const decision = evaluator.evaluate(record.item);
        next.seen++;
        const before = record.decision;
        if (before.flagged !== decision.flagged || ruleIds(before) !== ruleIds(decision)) next.changed++;
        await deps.evaluations.record({ ...record, decision, reevaluatedAt: now });
        if (!before.flagged && decision.flagged) {
          next.newlyFlagged++;
          if (record.province)
            await deps.onNewlyFlagged({
              item: record.item,
              decision,
              context: { province: record.province, ...record.context },
            });
        } else if (before.flagged && !decision.flagged) {
          next.noLongerFlagged++;
          await deps.onNoLongerFlagged(record.item.id, run.ruleSetVersion);
        }
      }
      if (page.cursor) next.cursor = page.cursor;
      else {
        delete next.cursor;
        next.state = "done";
        next.finishedAt = now;
      }
      await deps.evaluations.putRun(next, run.pages);
      if (page.cursor)
        await deps.tasks.enqueue({
          type: REEVALUATE_TASK,
          payload: { ruleSetVersion: run.ruleSetVersion, page: next.pages },
        });
      return next;
    },

    latest: () => deps.evaluations.latestRun(),
  };
}

export type Reevaluation = ReturnType<typeof createReevaluation>;
