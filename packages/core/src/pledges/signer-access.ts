import { randomInt } from "node:crypto";
import { hashToken, randomToken } from "../auth/sessions";
import { ConflictError, InvalidError, NotFoundError, TooManyRequestsError } from "../errors";
import type { Invitation } from "./model";
import { type InvitationView, maskEmail, type RequestMeta, type SigningContext } from "./signing-context";
import { templateFor } from "./templates";

/** The signer by the link's token: opening the invitation, sending a one-time code, checking it. */
export function createSignerAccess(ctx: SigningContext) {
  const {
    deps,
    parties,
    signing,
    mailer,
    clock,
    limits,
    templates,
    findByToken,
    requireOpen,
    isVerified,
    signerActor,
  } = ctx;

  return {
    // ---- the signer, by the link's token ------------------------------------------------------------

    async open(token: string, meta: RequestMeta, verifiedKey?: string): Promise<InvitationView> {
      let invitation = await findByToken(token);
      if (invitation.status === "revoked") return { state: "revoked", invitation };
      if (invitation.status === "signed") {
        return {
          state: "signed",
          invitation,
          pledge: await signing.getPledge(invitation.partyId, invitation.quarter),
        };
      }
      if (new Date(invitation.expiresAt) <= clock.now()) return { state: "expired", invitation };
      if (
        invitation.status === "signing" &&
        invitation.signingUntil &&
        new Date(invitation.signingUntil) > clock.now()
      ) {
        return { state: "signing", invitation };
      }
      const party = await parties.get(invitation.partyId);
      if (!party) throw new NotFoundError("Party gone");
      if (!invitation.openedAt) {
        const now = clock.now().toISOString();
        const after = { ...invitation, openedAt: now, version: invitation.version + 1 };
        try {
          await signing.updateInvitation(invitation, after, [
            {
              at: now,
              type: "invitation_opened",
              actor: signerActor(invitation),
              invitationId: invitation.id,
              quarter: invitation.quarter,
              ip: meta.ip,
              userAgent: meta.userAgent,
            },
          ]);
          invitation = after;
        } catch (error) {
          // Two tabs opened at once: the other one recorded the opening.
          if (!(error instanceof ConflictError)) throw error;
        }
      }
      return {
        state: "ready",
        invitation,
        party,
        template: templateFor(invitation.family, invitation.quarter, templates),
        verified: isVerified(invitation, verifiedKey),
      };
    },

    /** Sends a one-time code to the party's registered address. */
    async sendCode(token: string, meta: RequestMeta): Promise<{ sentTo: string }> {
      const before = await findByToken(token);
      requireOpen(before);
      const now = clock.now();
      if (
        before.otp &&
        now.getTime() - new Date(before.otp.sentAt).getTime() < limits.codeIntervalSeconds * 1000
      ) {
        throw new TooManyRequestsError("Code sent moments ago", limits.codeIntervalSeconds);
      }
      const sent = await deps.attempts.hit(`otp-send:${before.id}`, 3600, now);
      if (sent > limits.codesPerHour)
        throw new TooManyRequestsError(
          "Too many codes requested",
          3600 - (Math.floor(now.getTime() / 1000) % 3600),
        );
      const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
      const after: Invitation = {
        ...before,
        otp: {
          codeHash: hashToken(`${before.id}:${code}`),
          expiresAt: new Date(now.getTime() + limits.codeTtlSeconds * 1000).toISOString(),
          attemptsLeft: limits.codeAttempts,
          sentAt: now.toISOString(),
        },
        version: before.version + 1,
      };
      await signing.updateInvitation(before, after, [
        {
          at: now.toISOString(),
          type: "code_sent",
          actor: signerActor(before),
          invitationId: before.id,
          quarter: before.quarter,
          ip: meta.ip,
          userAgent: meta.userAgent,
          detail: `to ${maskEmail(before.email)}`,
        },
      ]);
      await mailer.send({
        to: before.email,
        kind: "otp",
        partyId: before.partyId,
        ...deps.emails.signingCode({ code, minutes: Math.round(limits.codeTtlSeconds / 60) }),
      });
      return { sentTo: maskEmail(before.email) };
    },

    /** Checks a code; on success returns the browser key that lets this browser sign. */
    async verifyCode(token: string, code: string, meta: RequestMeta): Promise<{ key: string }> {
      const before = await findByToken(token);
      requireOpen(before);
      const now = clock.now();
      const byAddress = await deps.attempts.count(`otp-entry:${meta.ip}`, 3600, now);
      if (byAddress >= limits.codeEntriesPerAddressPerHour)
        throw new TooManyRequestsError("Too many code entries", 3600);
      const otp = before.otp;
      const invalid = (message: string) => new InvalidError(message, [{ field: "code", message }]);
      if (!otp || otp.attemptsLeft <= 0) throw invalid("Mã đã hết lượt nhập; vui lòng yêu cầu mã mới");
      if (new Date(otp.expiresAt) <= now) throw invalid("Mã đã hết hạn; vui lòng yêu cầu mã mới");
      const clean = code.replace(/\s/g, "");
      if (!/^\d{6}$/.test(clean) || hashToken(`${before.id}:${clean}`) !== otp.codeHash) {
        await deps.attempts.hit(`otp-entry:${meta.ip}`, 3600, now);
        const after = {
          ...before,
          otp: { ...otp, attemptsLeft: otp.attemptsLeft - 1 },
          version: before.version + 1,
        };
        await signing.updateInvitation(before, after, [
          {
            at: now.toISOString(),
            type: "code_failed",
            actor: signerActor(before),
            invitationId: before.id,
            quarter: before.quarter,
            ip: meta.ip,
            userAgent: meta.userAgent,
          },
        ]);
        const left = otp.attemptsLeft - 1;
        throw invalid(
          left > 0
            ? `Mã không đúng; còn ${left} lần thử`
            : "Mã không đúng; đã hết lượt nhập, vui lòng yêu cầu mã mới",
        );
      }
      const key = randomToken();
      const after: Invitation = {
        ...before,
        otp: { ...otp, attemptsLeft: 0 },
        verifiedKeyHash: hashToken(key),
        verifiedAt: now.toISOString(),
        version: before.version + 1,
      };
      await signing.updateInvitation(before, after, [
        {
          at: now.toISOString(),
          type: "code_verified",
          actor: signerActor(before),
          invitationId: before.id,
          quarter: before.quarter,
          ip: meta.ip,
          userAgent: meta.userAgent,
        },
      ]);
      return { key };
    },
  };
}
