import { ConflictError } from "../errors";
import type { CaseEventType, CaseState } from "./model";

/** "same": the entry is logged, the state does not change. */
type Target = CaseState | "same";

const WORKABLE = ["open", "assigned", "escalated"] as const satisfies readonly CaseState[];
const LIVE = ["open", "assigned", "escalated", "awaiting_approval", "takedown", "closed"] as const;
const ALL = [...LIVE, "void"] as const satisfies readonly CaseState[];

/**
 * The one transition table of a case: for every log entry type, the states it may be written in and the
 * state it leaves. Nothing changes a case's state except through `nextState`.
 */
export const TRANSITIONS: Record<CaseEventType, Partial<Record<CaseState, Target>>> = {
  opened: {},
  // A repeated flag or a tip: logged on any case; an item that had gone and is back reopens its case.
  merged: { ...fromAll(ALL, "same"), void: "open" },
  claimed: { open: "assigned", assigned: "assigned" },
  released: { assigned: "open" },
  assigned: fromAll(WORKABLE, "assigned"),
  escalated: { open: "escalated", assigned: "escalated" },
  referred: fromAll(WORKABLE, "open"),
  confirmation_proposed: fromAll(WORKABLE, "awaiting_approval"),
  confirmation_rejected: { awaiting_approval: "assigned" },
  confirmed: { ...fromAll(WORKABLE, "takedown"), awaiting_approval: "takedown" },
  pledge_breached: { takedown: "same" },
  dismissed: fromAll(WORKABLE, "closed"),
  reopened: { closed: "open", void: "open" },
  voided: fromAll(WORKABLE, "void"),
  takedown_requested: { takedown: "same" },
  takedown_answered: { takedown: "same", escalated: "same" },
  takedown_removal_confirmed: { takedown: "closed", escalated: "closed" },
  takedown_not_removed: { takedown: "same", escalated: "same" },
  takedown_overdue: { takedown: "escalated" },
  closed: { takedown: "closed", escalated: "closed" },
  noted: fromAll(ALL, "same"),
  // Only where a person still has to act: a decided case keeps its decision.
  unflagged: fromAll([...WORKABLE, "awaiting_approval", "takedown"], "same"),
};

function fromAll(states: readonly CaseState[], to: Target): Partial<Record<CaseState, Target>> {
  return Object.fromEntries(states.map((s) => [s, to]));
}

/** The state a case of state `from` (null: no case yet) is in after an entry of type `type`. */
export function nextState(from: CaseState | null, type: CaseEventType): CaseState {
  if (from === null) {
    if (type === "opened") return "open";
    throw new ConflictError(`A case starts with "opened", not "${type}"`);
  }
  const target = TRANSITIONS[type][from];
  if (target === undefined) throw new ConflictError(`A case in state "${from}" cannot take "${type}"`);
  return target === "same" ? from : target;
}

export function allowed(from: CaseState, type: CaseEventType): boolean {
  return TRANSITIONS[type][from] !== undefined;
}
