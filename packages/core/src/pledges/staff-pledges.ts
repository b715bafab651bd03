import { authorize, can } from "../auth/policy";
import type { Principal } from "../auth/roles";
import { ConflictError, NotFoundError } from "../errors";
import type { ActorRef, Party } from "../parties/model";
import { actorRef } from "../parties/service";
import type { Pledge } from "./model";
import type { SigningContext } from "./signing-context";

/** Signed pledges as staff see them: the record, its file, revocation and a confirmed breach. */
export function createStaffPledges(ctx: SigningContext) {
  const { parties, signing, documents, clock, scopeOf } = ctx;

  /** A stored status change (revoked, breached) with the party's pledge summary and the audit event. */
  async function changePledgeStatus(
    before: Pledge,
    status: "revoked" | "breached",
    reason: string,
    by: ActorRef,
  ): Promise<Pledge> {
    const { documentCode } = before;
    const now = clock.now();
    const after: Pledge = {
      ...before,
      status,
      statusReason: reason,
      statusChangedAt: now.toISOString(),
      statusChangedBy: by,
    };
    const party = await parties.get(before.partyId);
    const action = status === "revoked" ? ("pledge_revoked" as const) : ("pledge_breached" as const);
    const partyWrite =
      party?.pledge?.documentCode === documentCode
        ? (() => {
            const updated: Party = {
              ...party,
              pledge: { quarter: before.quarter, status, documentCode },
              version: party.version + 1,
              updatedAt: now.toISOString(),
            };
            return {
              before: party,
              after: updated,
              change: {
                partyId: party.id,
                at: now.toISOString(),
                by,
                action,
                reason,
                before: party,
                after: updated,
              },
            };
          })()
        : null;
    await signing.updatePledge(before, after, partyWrite, [
      {
        at: now.toISOString(),
        type: action,
        actor: `staff:${by.staffId}`,
        documentCode,
        quarter: before.quarter,
        detail: reason,
      },
    ]);
    return after;
  }

  return {
    async pledgeForStaff(actor: Principal, documentCode: string): Promise<Pledge> {
      const pledge = await signing.findPledgeByCode(documentCode);
      if (!pledge || !can(actor, "pledges.read", scopeOf(pledge)))
        throw new NotFoundError("Document not found");
      return pledge;
    },

    async documentForStaff(
      actor: Principal,
      documentCode: string,
    ): Promise<{ pledge: Pledge; pdf: Uint8Array }> {
      const pledge = await signing.findPledgeByCode(documentCode);
      if (!pledge || !can(actor, "pledges.read", scopeOf(pledge)))
        throw new NotFoundError("Document not found");
      const pdf = await documents.get(pledge.fileKey);
      if (!pdf) throw new NotFoundError("Document file missing");
      return { pledge, pdf };
    },

    async revokePledge(actor: Principal, documentCode: string, reason: string): Promise<Pledge> {
      const before = await signing.findPledgeByCode(documentCode);
      if (!before || !can(actor, "pledges.read", scopeOf(before)))
        throw new NotFoundError("Document not found");
      authorize(actor, "pledges.revoke", scopeOf(before));
      if (before.status !== "valid") throw new ConflictError(`Pledge is ${before.status}`);
      return changePledgeStatus(before, "revoked", reason, actorRef(actor));
    },

    /**
     * A confirmed violation by the party (issue 8's review, after a lead's approval): the pledge is marked
     * breached, once; a pledge already breached or revoked is left as it is.
     */
    async markBreached(documentCode: string, reason: string, by: ActorRef): Promise<void> {
      const before = await signing.findPledgeByCode(documentCode);
      if (!before) throw new NotFoundError("Document not found");
      if (before.status !== "valid") return;
      await changePledgeStatus(before, "breached", reason, by);
    },
  };
}
