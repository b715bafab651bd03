import type { z } from "zod";
import { authorize, can } from "../auth/policy";
import type { Principal } from "../auth/roles";
import { ConflictError, ForbiddenError, InvalidError, NotFoundError } from "../errors";
import { fieldIssues } from "../input";
import type { ActorRef } from "../parties/model";
import type { Clock } from "../ports";
import type { AgencyCode } from "../reference/agencies";
import type { StaffRepository } from "../staff/staff";
import { conflictFrom } from "./conflict";
import {
  ApprovalInputSchema,
  BulkDismissSchema,
  DecisionInputSchema,
  type QueueFilter,
  QueueFilterSchema,
} from "./input";
import { applySteps, type Step } from "./log";
import type { Case, CaseLogEntry, TakedownRequest, Violation } from "./model";
import type { CaseEvidence, CasePage, CaseRepository, TakedownWrite } from "./ports";
import type { TakedownService } from "./takedown";

/** How long a claim holds a case for its reviewer. */
export const LEASE_MINUTES = 30;
const DAY_MS = 86_400_000;

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

function parse<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new InvalidError(what, fieldIssues(parsed.error, input));
  }
  return parsed.data;
}

const ref = (actor: Principal): ActorRef => ({ staffId: actor.staffId, name: actor.name });
const scopeOf = (c: Pick<Case, "agency" | "province">) => ({ agency: c.agency, provinces: [c.province] });

/**
 * The review queues and every action on a case. Each action reads the case, checks the caller's role and
 * the case's agency and province, moves it through the transition table, and writes it conditionally on
 * the version read: of simultaneous decisions exactly one is written; the others get a CaseConflictError
 * saying who did what.
 */
export function createReviewService(deps: ReviewDeps) {
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
    async queue(actor: Principal, raw: unknown): Promise<CasePage & { filter: QueueFilter }> {
      authorize(actor, "cases.read");
      const filter = parse(QueueFilterSchema, raw ?? {}, "Invalid queue filter");
      const agency: AgencyCode = filter.agency ?? actor.agency;
      const province = filter.province ?? actor.province;
      authorize(actor, "cases.read", { agency, provinces: [province] });
      const t = now().getTime();
      const page = await deps.cases.queue({
        agency,
        province,
        state: filter.state,
        limit: filter.limit,
        cursor: filter.cursor,
        platform: filter.platform || undefined,
        rule: filter.rule || undefined,
        openedTo:
          filter.minAgeDays !== undefined
            ? new Date(t - filter.minAgeDays * DAY_MS).toISOString()
            : undefined,
        openedFrom:
          filter.maxAgeDays !== undefined
            ? new Date(t - filter.maxAgeDays * DAY_MS).toISOString()
            : undefined,
      });
      return { ...page, filter };
    },

    async get(actor: Principal, id: string): Promise<CaseDetail> {
      const found = await load(actor, id);
      const [log, takedown, earlier] = await Promise.all([
        deps.cases.log(id),
        found.takedownId ? deps.cases.getTakedown(found.takedownId) : Promise.resolve(null),
        found.party ? deps.cases.byParty(found.party.partyId, 20) : Promise.resolve([]),
      ]);
      return { case: found, log, takedown, earlier: earlier.filter((c) => c.id !== id) };
    },

    /** One artefact of the case's capture (screenshot, HTML, manifest), behind the case's scope. */
    async artefact(actor: Principal, id: string, key: string) {
      const found = await load(actor, id);
      if (!found.captureId) throw new NotFoundError("The case has no capture");
      const artefact = await deps.evidence.artefact(found.captureId, key);
      if (!artefact) throw new NotFoundError("No such artefact");
      return artefact;
    },

    async capture(actor: Principal, id: string) {
      const found = await load(actor, id);
      return found.captureId ? deps.evidence.capture(found.captureId) : null;
    },

    /** Who the case may be assigned to: active reviewers, leads and admins of its agency and province. */
    async colleagues(actor: Principal, id: string): Promise<ActorRef[]> {
      const found = await load(actor, id);
      const people = await deps.staff.listByScope(found.agency, found.province);
      return people
        .filter((p) => p.status === "active" && p.role !== "viewer")
        .map((p) => ({ staffId: p.id, name: p.name }));
    },

    /** Takes the case for LEASE_MINUTES; claiming one's own claim renews it. */
    claim(actor: Principal, id: string, expectedVersion?: number): Promise<Case> {
      return act(
        actor,
        id,
        "cases.work",
        async (current, at) => {
          if (current.state !== "open" && current.state !== "assigned") await conflictOn(id);
          const leaseUntil = new Date(Date.parse(at) + LEASE_MINUTES * 60_000).toISOString();
          return {
            steps: [{ event: { type: "claimed", leaseUntil } }],
            change: (c) => ({ ...c, assignee: ref(actor), leaseUntil }),
          };
        },
        expectedVersion,
      );
    },

    release(actor: Principal, id: string): Promise<Case> {
      return act(actor, id, "cases.work", async (current) => {
        if (current.assignee?.staffId !== actor.staffId && actor.role === "reviewer") await conflictOn(id);
        return { steps: [{ event: { type: "released" } }], change: release };
      });
    },

    /** Hands the case to a colleague of the same agency and province (reviewer or above). */
    assign(actor: Principal, id: string, staffId: string, note?: string): Promise<Case> {
      return act(actor, id, "cases.assign", async (current, at) => {
        const person = await deps.staff.get(staffId);
        if (
          person?.status !== "active" ||
          person.role === "viewer" ||
          (person.role !== "admin" &&
            (person.agency !== current.agency || person.province !== current.province))
        ) {
          throw new InvalidError("Invalid assignee", [
            { field: "staffId", message: "Không có cán bộ xử lý này trong đơn vị của hồ sơ" },
          ]);
        }
        const to = { staffId: person.id, name: person.name };
        const leaseUntil = new Date(Date.parse(at) + LEASE_MINUTES * 60_000).toISOString();
        return {
          steps: [{ event: { type: "assigned", to }, note }],
          change: (c) => ({ ...c, assignee: to, leaseUntil }),
        };
      });
    },

    /** Confirm, dismiss, escalate or refer. */
    async decide(actor: Principal, id: string, raw: unknown): Promise<Case> {
      authorize(actor, "cases.work");
      const input = parse(DecisionInputSchema, raw, "Invalid decision");
      const next = await act(
        actor,
        id,
        "cases.work",
        async (current, at) => {
          switch (input.kind) {
            case "confirm": {
              await undecided(current);
              if (current.party?.pledge) {
                // A pledged party's breach is a lead's call, made by a second person.
                return {
                  steps: [
                    {
                      event: { type: "confirmation_proposed", violation: input.violation },
                      note: input.note,
                    },
                  ],
                  change: (c) => ({
                    ...c,
                    proposal: {
                      violation: input.violation,
                      by: ref(actor),
                      at,
                      ...(input.platformNote ? { platformNote: input.platformNote } : {}),
                    },
                  }),
                };
              }
              const confirmed = await confirmation(
                current,
                at,
                input.violation,
                ref(actor),
                undefined,
                input.platformNote,
              );
              confirmed.steps[0] = { ...(confirmed.steps[0] as Step), note: input.note };
              return confirmed;
            }
            case "dismiss":
              await undecided(current);
              return {
                steps: [{ event: { type: "dismissed", reason: input.reason }, note: input.note }],
                change: (c) => ({
                  ...release(c),
                  decision: {
                    kind: "dismissed",
                    reason: input.reason,
                    by: ref(actor),
                    at,
                    ...(input.note ? { note: input.note } : {}),
                  },
                }),
              };
            case "escalate":
              return { steps: [{ event: { type: "escalated", reason: input.reason }, note: input.note }] };
            case "refer":
              if (input.toAgency === current.agency)
                throw new InvalidError("Invalid referral", [
                  { field: "toAgency", message: "Hồ sơ đã thuộc đơn vị này" },
                ]);
              return {
                steps: [
                  {
                    event: {
                      type: "referred",
                      fromAgency: current.agency,
                      toAgency: input.toAgency,
                      reason: input.reason,
                    },
                    note: input.note,
                  },
                ],
                change: (c) => ({ ...release(c), agency: input.toAgency, routedBy: "referral" }),
              };
          }
        },
        input.expectedVersion,
      );
      await afterConfirmed(next);
      return next;
    },

    /** A lead approves or rejects a proposed confirmation; never the person who proposed it. */
    async approve(actor: Principal, id: string, raw: unknown): Promise<Case> {
      authorize(actor, "cases.approve");
      const input = parse(ApprovalInputSchema, raw, "Invalid approval");
      const next = await act(actor, id, "cases.approve", async (current, at) => {
        const proposal = current.proposal;
        if (current.state !== "awaiting_approval" || !proposal) await conflictOn(id);
        if (!proposal) throw new ConflictError("Nothing to approve");
        if (proposal.by.staffId === actor.staffId) {
          throw new ForbiddenError(
            "A second person approves: the proposer may not approve their own proposal",
          );
        }
        if (!input.approve) {
          return {
            steps: [
              { event: { type: "confirmation_rejected", reason: input.reason ?? "" }, note: input.note },
            ],
            change: (c) => {
              const { proposal: _p, ...rest } = c;
              return { ...rest, assignee: proposal.by };
            },
          };
        }
        return confirmation(current, at, proposal.violation, proposal.by, ref(actor), proposal.platformNote);
      });
      await afterConfirmed(next);
      return next;
    },

    /** Dismisses several cases with one reason; each case stands or fails on its own. */
    async bulkDismiss(actor: Principal, raw: unknown) {
      authorize(actor, "cases.work");
      const input = parse(BulkDismissSchema, raw, "Invalid bulk dismissal");
      const results: { id: string; ok: boolean; error?: string; code?: string }[] = [];
      for (const id of [...new Set(input.ids)]) {
        try {
          await this.decide(actor, id, { kind: "dismiss", reason: input.reason, note: input.note });
          results.push({ id, ok: true });
        } catch (error) {
          if (
            !(
              error instanceof ConflictError ||
              error instanceof NotFoundError ||
              error instanceof ForbiddenError
            )
          )
            throw error;
          results.push({ id, ok: false, code: error.code, error: error.message });
        }
      }
      return { results, dismissed: results.filter((r) => r.ok).length };
    },

    /** A lead reopens a closed or void case, or closes one whose takedown is settled otherwise. */
    reopen(actor: Principal, id: string, reason: string): Promise<Case> {
      return act(actor, id, "cases.approve", async () => ({
        steps: [{ event: { type: "reopened", reason } }],
        change: (c) => {
          const { decision: _d, takedownId: _t, proposal: _p, ...rest } = release(c);
          return rest;
        },
      }));
    },

    close(actor: Principal, id: string, reason: string): Promise<Case> {
      return act(actor, id, "cases.approve", async () => ({
        steps: [{ event: { type: "closed", reason } }],
        change: release,
      }));
    },

    note(actor: Principal, id: string, note: string): Promise<Case> {
      return act(actor, id, "cases.work", async () => ({ steps: [{ event: { type: "noted" }, note }] }));
    },
  };
}

export type ReviewService = ReturnType<typeof createReviewService>;
