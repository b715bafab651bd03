import { ConflictError } from "../errors";
import type { Clock } from "../ports";
import { applySteps } from "./log";
import { SYSTEM_ACTOR } from "./model";
import type { CaseRepository } from "./ports";
import { allowed } from "./transitions";

/**
 * After a rule change, an item the new rules no longer flag (issue 23, item 3): its case, if a person
 * still has to act on it, is marked and the mark logged, so the queue and the case page tell reviewers.
 * It is never closed for it: a rule can be wrong, and the decision stays a person's. Returns whether a
 * case was marked.
 */
export function createCaseUnflagging(deps: { cases: Pick<CaseRepository, "get" | "update">; clock: Clock }) {
  return async function markUnflagged(itemId: string, ruleSetVersion: number): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      const current = await deps.cases.get(itemId);
      if (!current || !allowed(current.state, "unflagged")) return false;
      if (current.unflagged && current.unflagged.ruleSetVersion >= ruleSetVersion) return false;
      const at = deps.clock.now().toISOString();
      const { next, entries } = applySteps(
        current,
        SYSTEM_ACTOR,
        at,
        [{ event: { type: "unflagged", ruleSetVersion } }],
        (c) => ({ ...c, unflagged: { ruleSetVersion, at } }),
      );
      try {
        await deps.cases.update(next, current.version, entries);
        return true;
      } catch (error) {
        if (!(error instanceof ConflictError) || attempt >= 5) throw error;
      }
    }
  };
}
