import { authorize, can } from "../auth/policy";
import type { Principal } from "../auth/roles";
import { hashToken, randomToken } from "../auth/sessions";
import { ConflictError, InvalidError } from "../errors";
import type { Party } from "../parties/model";
import { actorRef } from "../parties/service";
import type { Invitation } from "./model";
import { quarterId } from "./quarters";
import { INVITE_MANY_TASK, maskEmail, partyEmail, type SigningContext } from "./signing-context";

/** Inviting parties to sign this quarter: one, one already checked by the renewal cycle, or many. */
export function createInviting(ctx: SigningContext) {
  const { deps, signing, mailer, clock, newId, limits, scopeOf, loadParty, invitationEmail } = ctx;

  /** Why a party cannot be invited now, or null when it can. */
  async function ineligibility(party: Party, quarter: string): Promise<string | null> {
    if (party.status !== "active") return "inactive";
    if (!partyEmail(party)) return "no_email";
    if (await signing.getPledge(party.id, quarter)) return "already_signed";
    const open = (await signing.invitationsOfParty(party.id)).find(
      (i) => i.quarter === quarter && (i.status === "active" || i.status === "signing"),
    );
    if (open && new Date(open.expiresAt) > clock.now()) return "already_invited";
    return null;
  }

  /**
   * `checked`: the caller (the renewal cycle, over a fresh registry page) has already established that
   * the party is active, has an e-mail and has neither signed nor been invited this quarter; the
   * one-open-invitation guard still refuses a duplicate (ConflictError).
   */
  async function inviteParty(actor: Principal, party: Party, checked = false): Promise<Invitation> {
    const now = clock.now();
    const quarter = quarterId(now);
    const reason = checked ? (partyEmail(party) ? null : "no_email") : await ineligibility(party, quarter);
    if (reason === "inactive")
      throw new InvalidError("Party is not active", [
        { field: "partyId", message: "Đối tượng không còn hoạt động" },
      ]);
    if (reason === "no_email") {
      throw new InvalidError("Party has no e-mail", [
        { field: "partyId", message: "Đối tượng chưa có email liên hệ để gửi lời mời" },
      ]);
    }
    if (reason === "already_signed") throw new ConflictError("Already signed this quarter");
    if (reason === "already_invited") throw new ConflictError("Already invited; resend instead");
    const token = randomToken();
    const email = partyEmail(party) ?? "";
    const invitation: Invitation = {
      id: newId(),
      partyId: party.id,
      partyName: party.name,
      agency: party.agency,
      provinces: party.provinces,
      // The inviting office: a national platform listed in several provinces is addressed to the one
      // whose staff invited it.
      issuingProvince: party.provinces.includes(actor.province)
        ? actor.province
        : (party.provinces[0] ?? actor.province),
      family: party.family,
      quarter,
      email,
      tokenHash: hashToken(token),
      status: "active",
      createdAt: now.toISOString(),
      createdBy: actorRef(actor),
      expiresAt: new Date(now.getTime() + limits.invitationTtlDays * 86_400_000).toISOString(),
      sentCount: 1,
      lastSentAt: now.toISOString(),
      version: 1,
    };
    const actorName = `staff:${actor.staffId}`;
    await signing.createInvitation(invitation, [
      {
        at: now.toISOString(),
        type: "invitation_created",
        actor: actorName,
        invitationId: invitation.id,
        quarter,
      },
    ]);
    await mailer.send(invitationEmail(invitation, token, party, false));
    await signing.appendAudit(party.id, [
      {
        at: clock.now().toISOString(),
        type: "invitation_sent",
        actor: actorName,
        invitationId: invitation.id,
        quarter,
        detail: `to ${maskEmail(email)}`,
      },
    ]);
    return invitation;
  }

  return {
    /** The renewal cycle's invitation of a party it has checked (see inviteParty); no re-reads. */
    async inviteChecked(actor: Principal, party: Party): Promise<Invitation> {
      authorize(actor, "pledges.invite", scopeOf(party));
      return inviteParty(actor, party, true);
    },

    async invite(actor: Principal, partyId: string): Promise<Invitation> {
      const party = await loadParty(actor, partyId);
      authorize(actor, "pledges.invite", scopeOf(party));
      return inviteParty(actor, party);
    },

    /**
     * Invites every eligible party in the caller's scope matching a filter ("everyone due" = no filter):
     * runs in the background; parties already signed or invited, inactive or without e-mail are skipped.
     */
    async inviteMany(
      actor: Principal,
      filter: { group?: string | undefined; province?: string | undefined },
    ) {
      // Checked now, not only in the background run: another province is refused at once.
      authorize(actor, "pledges.invite", filter.province ? { provinces: [filter.province] } : {});
      await deps.tasks.enqueue({ type: INVITE_MANY_TASK, payload: { actor, filter } });
    },

    /** The background half of inviteMany. Returns what it did, for logs and tests. */
    async runInviteMany(
      actor: Principal,
      filter: { group?: string | undefined; province?: string | undefined },
      listParties: (cursor: string | undefined) => Promise<{ items: Party[]; next?: string | undefined }>,
    ) {
      const counts = { invited: 0, skipped: {} as Record<string, number>, failed: 0 };
      const quarter = quarterId(clock.now());
      let cursor: string | undefined;
      do {
        const page = await listParties(cursor);
        for (const party of page.items) {
          if (filter.group && party.group !== filter.group) continue;
          if (!can(actor, "pledges.invite", scopeOf(party))) continue;
          const reason = await ineligibility(party, quarter);
          if (reason) {
            counts.skipped[reason] = (counts.skipped[reason] ?? 0) + 1;
            continue;
          }
          try {
            await inviteParty(actor, party);
            counts.invited++;
          } catch (error) {
            if (error instanceof ConflictError)
              counts.skipped.already_invited = (counts.skipped.already_invited ?? 0) + 1;
            else counts.failed++;
          }
        }
        cursor = page.next;
      } while (cursor);
      return counts;
    },
  };
}
