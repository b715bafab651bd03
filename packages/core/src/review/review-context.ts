import { authorize, can } from "../auth/policy";
import type { Principal } from "../auth/roles";
import { ConflictError, NotFoundError } from "../errors";
import type { ActorRef } from "../parties/model";
import type { Clock } from "../ports";
import type { StaffRepository } from "../staff/staff";
import { conflictFrom } from "./conflict";
import { applySteps, type Step } from "./log";
import type { Case, CaseLogEntry, TakedownRequest, Violation } from "./model";
import type { CaseEvidence, CaseRepository, TakedownWrite } from "./ports";
import type { TakedownService } from "./takedown";

/** How long a claim holds a case for its reviewer. */
export const LEASE_MINUTES = 30;
export const DAY_MS = 86_400_000;

export interface ReviewDeps {
  cases: CaseRepository;
  staff: Pick<StaffRepository, "get" | "listByScope">;
  takedowns: TakedownService;
  evidence: CaseEvidence;
  clock: Clock;
}

export interface CaseDetail {
  case: Case;
  log: CaseLogEntry[];
  takedown: TakedownRequest | null;
  /** The same party's other cases, newest first. */
  earlier: Case[];
}

export const ref = (actor: Principal): ActorRef => ({ staffId: actor.staffId, name: actor.name });
export const scopeOf = (c: Pick<Case, "agency" | "province">) => ({
  agency: c.agency,
  provinces: [c.province],
});
/**
 * What every action on a case shares: loading it in the caller's scope, the lease, the transition through
 * the table and the conditional write that makes one of simultaneous decisions win.
 */
export function reviewContext(deps: ReviewDeps) {
  const now = () => deps.clock.now();

  /** The case, if the caller may see it; another agency's or province's case does not exist for them. */
  async function load(actor: Principal, id: string): Promise<Case> {
    authorize(actor, "cases.read");
    const found = await deps.cases.get(id);
    if (!found || !can(actor, "cases.read", scopeOf(found))) throw new NotFoundError("No such case");
    return found;
  }

  async function conflictOn(id: string, cause?: unknown): Promise<never> {
    const current = await deps.cases.get(id);
    const log = await deps.cases.log(id);
    const last = log.at(-1);
    if (!current || !last) throw new ConflictError("The case changed meanwhile", { cause });
    const lease =
      current.leaseUntil && current.leaseUntil > now().toISOString() ? current.leaseUntil : undefined;
    throw conflictFrom(last, current.state, current.version, lease, cause);
  }

  async function commit(current: Case, next: Case, entries: CaseLogEntry[], takedown?: TakedownWrite) {
    try {
      await deps.cases.update(next, current.version, entries, takedown);
    } catch (error) {
      if (error instanceof ConflictError) await conflictOn(current.id, error);
      throw error;
    }
  }

  /** A live claim by someone else keeps others' hands off, except a lead's or an admin's. */
  function ensureFree(actor: Principal, current: Case): Promise<void> | undefined {
    const held =
      current.state === "assigned" &&
      current.assignee &&
      current.assignee.staffId !== actor.staffId &&
      (current.leaseUntil === undefined || current.leaseUntil > now().toISOString());
    if (held && actor.role !== "lead" && actor.role !== "admin") return conflictOn(current.id);
    return undefined;
  }

  async function act(
    actor: Principal,
    id: string,
    action: "cases.work" | "cases.assign" | "cases.approve",
    build: (
      current: Case,
      at: string,
    ) => Promise<{ steps: Step[]; change?: (c: Case) => Case; takedown?: TakedownWrite }>,
    expectedVersion?: number,
  ): Promise<Case> {
    const current = await load(actor, id);
    authorize(actor, action, scopeOf(current));
    if (expectedVersion !== undefined && expectedVersion !== current.version) await conflictOn(id);
    await ensureFree(actor, current);
    const at = now().toISOString();
    const { steps, change, takedown } = await build(current, at);
    const { next, entries } = applySteps(current, ref(actor), at, steps, change);
    await commit(current, next, entries, takedown);
    return next;
  }

  function undecided(current: Case): Promise<void> | undefined {
    return current.decision ? conflictOn(current.id) : undefined;
  }

  /** The confirmed violation's steps: the decision, the breach of a pledge, the takedown request. */
  async function confirmation(
    current: Case,
    at: string,
    violation: Violation,
    proposedBy: ActorRef,
    approvedBy: ActorRef | undefined,
    platformNote: string | undefined,
  ) {
    const takedown = await deps.takedowns.draft(
      current,
      violation,
      at,
      platformNote,
      approvedBy ?? proposedBy,
    );
    const steps: Step[] = [
      { event: { type: "confirmed", violation, proposedBy, ...(approvedBy ? { approvedBy } : {}) } },
      ...(current.party?.pledge
        ? [
            {
              event: {
                type: "pledge_breached" as const,
                partyId: current.party.partyId,
                documentCode: current.party.pledge.documentCode,
              },
            },
          ]
        : []),
      {
        event: {
          type: "takedown_requested" as const,
          takedownId: takedown.id,
          platform: takedown.platform,
          contact: takedown.contact.email,
          legalBasis: takedown.legalBasis,
          dueAt: takedown.dueAt,
        },
        platformNote,
      },
    ];
    const change = (c: Case): Case => {
      const { proposal: _p, leaseUntil: _l, ...rest } = c;
      return {
        ...rest,
        decision: { kind: "confirmed", violation, by: proposedBy, at, ...(approvedBy ? { approvedBy } : {}) },
        takedownId: takedown.id,
      };
    };
    return { steps, change, takedown: { next: takedown, expectedVersion: null } };
  }

  /**
   * After a confirmation's transaction: the pledge is marked breached and the request e-mailed (both in
   * the takedown's `send`). The decision is written whatever happens here: a failure leaves the request
   * unsent, and the hourly tick sends it (breach first) until it succeeds — so the reviewer is not told
   * that a decision which stands has failed.
   */
  async function afterConfirmed(next: Case): Promise<void> {
    if (next.state !== "takedown" || !next.takedownId) return;
    await deps.takedowns.send(next.takedownId).catch(() => undefined);
  }

  const release = (c: Case): Case => {
    const { assignee: _a, leaseUntil: _l, ...rest } = c;
    return rest;
  };

  return {
    deps,
    now,
    load,
    conflictOn,
    commit,
    ensureFree,
    act,
    undecided,
    confirmation,
    afterConfirmed,
    release,
  };
}

export type ReviewContext = ReturnType<typeof reviewContext>;
