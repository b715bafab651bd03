import { authorize } from "../auth/policy";
import type { Principal } from "../auth/roles";
import { ConflictError, ForbiddenError, InvalidError, NotFoundError } from "../errors";
import { parseInput } from "../input";
import { ApprovalInputSchema, BulkDismissSchema, DecisionInputSchema } from "./input";
import type { Step } from "./log";
import type { Case } from "./model";
/** How long a claim holds a case for its reviewer. */
import { type ReviewContext, ref } from "./review-context";

/** A reviewer's decision, a lead's approval, and dismissing many at once. */
export function createDecisions(ctx: ReviewContext) {
  const { conflictOn, act, undecided, confirmation, afterConfirmed, release } = ctx;

  return {
    async decide(actor: Principal, id: string, raw: unknown): Promise<Case> {
      authorize(actor, "cases.work");
      const input = parseInput(DecisionInputSchema, raw, "Invalid decision");
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
      const input = parseInput(ApprovalInputSchema, raw, "Invalid approval");
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
      const input = parseInput(BulkDismissSchema, raw, "Invalid bulk dismissal");
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
  };
}
