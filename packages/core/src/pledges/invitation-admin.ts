import { authorize, can } from "../auth/policy";
import type { Principal } from "../auth/roles";
import { hashToken, randomToken } from "../auth/sessions";
import { ConflictError, NotFoundError } from "../errors";
import { actorRef } from "../parties/service";
import type { Invitation } from "./model";
import { quarterId } from "./quarters";
import { maskEmail, partyEmail, pledgeStatus, type SigningContext } from "./signing-context";

/** Staff's handling of issued invitations: resend with a new link, revoke, a party's history. */
export function createInvitationAdmin(ctx: SigningContext) {
  const { signing, mailer, clock, limits, scopeOf, loadParty, invitationEmail } = ctx;

  async function loadInvitationForStaff(
    actor: Principal,
    id: string,
    action: "pledges.read" | "pledges.invite",
  ) {
    const invitation = await signing.getInvitation(id);
    if (!invitation || !can(actor, action, scopeOf(invitation)))
      throw new NotFoundError("Invitation not found");
    return invitation;
  }

  return {
    /** New link (the old one stops working), new expiry, sent again. */
    async resend(actor: Principal, invitationId: string): Promise<Invitation> {
      const before = await loadInvitationForStaff(actor, invitationId, "pledges.invite");
      if (before.status !== "active") throw new ConflictError(`Invitation is ${before.status}`);
      const party = await loadParty(actor, before.partyId);
      const now = clock.now();
      const token = randomToken();
      const email = partyEmail(party) ?? before.email;
      const after: Invitation = {
        ...before,
        email,
        tokenHash: hashToken(token),
        expiresAt: new Date(now.getTime() + limits.invitationTtlDays * 86_400_000).toISOString(),
        sentCount: before.sentCount + 1,
        lastSentAt: now.toISOString(),
        otp: undefined,
        verifiedKeyHash: undefined,
        verifiedAt: undefined,
        version: before.version + 1,
      };
      await signing.updateInvitation(before, after, [
        {
          at: now.toISOString(),
          type: "invitation_resent",
          actor: `staff:${actor.staffId}`,
          invitationId: before.id,
          quarter: before.quarter,
          detail: `to ${maskEmail(email)}`,
        },
      ]);
      await mailer.send(invitationEmail(after, token, party, true));
      return after;
    },

    async revoke(actor: Principal, invitationId: string, reason: string): Promise<Invitation> {
      const before = await loadInvitationForStaff(actor, invitationId, "pledges.invite");
      if (before.status !== "active") throw new ConflictError(`Invitation is ${before.status}`);
      const now = clock.now();
      const after: Invitation = {
        ...before,
        status: "revoked",
        revokedAt: now.toISOString(),
        revokedBy: actorRef(actor),
        revokeReason: reason,
        version: before.version + 1,
      };
      await signing.updateInvitation(before, after, [
        {
          at: now.toISOString(),
          type: "invitation_revoked",
          actor: `staff:${actor.staffId}`,
          invitationId: before.id,
          quarter: before.quarter,
          detail: reason,
        },
      ]);
      return after;
    },

    /** A party's invitations and pledges for the console (never a token or link). */
    async ofParty(actor: Principal, partyId: string) {
      const party = await loadParty(actor, partyId);
      authorize(actor, "pledges.read", scopeOf(party));
      const [invitations, pledges] = await Promise.all([
        signing.invitationsOfParty(partyId),
        signing.pledgesOfParty(partyId),
      ]);
      const current = quarterId(clock.now());
      const latest = pledges[0]?.quarter ?? current;
      return {
        party,
        invitations,
        pledges: pledges.map((p) => ({ ...p, effectiveStatus: pledgeStatus(p, latest, current) })),
      };
    },
  };
}
