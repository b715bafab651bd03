import type { Principal } from "../auth/roles";
import { InvalidError } from "../errors";
import type { Case } from "./model";
/** How long a claim holds a case for its reviewer. */
import { LEASE_MINUTES, type ReviewContext, ref } from "./review-context";

/** Who works a case: claim, release, assign; a lead reopens or closes it; anyone in scope adds a note. */
export function createCaseWork(ctx: ReviewContext) {
  const { deps, conflictOn, act, release } = ctx;

  return {
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
