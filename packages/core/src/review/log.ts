import type { ActorRef } from "../parties/model";
import type { Case, CaseEvent, CaseLogEntry } from "./model";
import { nextState } from "./transitions";

export interface Step {
  event: CaseEvent;
  note?: string | undefined;
  platformNote?: string | undefined;
}

/**
 * Applies steps to a case through the transition table: the case with its new state and version, and
 * one log entry per step. `change` sets the other fields (assignee, decision, …) on the result.
 */
export function applySteps(
  current: Case,
  by: ActorRef,
  at: string,
  steps: readonly Step[],
  change: (next: Case) => Case = (next) => next,
): { next: Case; entries: CaseLogEntry[] } {
  let state = current.state;
  const version = current.version + 1;
  const staged = change({ ...current, version, updatedAt: at });
  const entries = steps.map((step, seq) => {
    const from = state;
    state = nextState(from, step.event.type);
    return toEntry(staged, version, seq, by, at, from, step);
  });
  return { next: { ...staged, state }, entries };
}

export function toEntry(
  target: Pick<Case, "id" | "agency" | "province">,
  version: number,
  seq: number,
  by: ActorRef,
  at: string,
  from: CaseLogEntry["from"],
  step: Step,
): CaseLogEntry {
  return {
    caseId: target.id,
    version,
    seq,
    at,
    by: { staffId: by.staffId, name: by.name },
    from,
    to: nextState(from, step.event.type),
    agency: target.agency,
    province: target.province,
    event: step.event,
    ...(step.note ? { note: step.note } : {}),
    ...(step.platformNote ? { platformNote: step.platformNote } : {}),
  };
}
