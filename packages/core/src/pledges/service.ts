import { createHash, randomInt } from "node:crypto";
import { authorize, can } from "../auth/policy";
import type { Principal } from "../auth/roles";
import { hashToken, randomToken } from "../auth/sessions";
import type { AttemptCounter } from "../auth/sign-in";
import { ConflictError, InvalidError, NotFoundError, TooManyRequestsError } from "../errors";
import type { ActorRef, Party } from "../parties/model";
import type { PartyRepository } from "../parties/ports";
import { actorRef } from "../parties/service";
import type { Clock, TaskQueue } from "../ports";
import { agencyByCode } from "../reference/agencies";
import { provinceByCode } from "../reference/provinces";
import type {
  DocumentSealer,
  PledgeDocumentInput,
  PledgeDocumentRenderer,
  UploadedPdfInspector,
  UploadedPdfVerdict,
} from "./document";
import { checkDeclarations, type SignInput, SignInputSchema } from "./input";
import { AUDIT_EVENT_LABELS_VI, FAMILY_LABELS_VI, GROUP_LABELS_VI } from "./labels";
import type { Invitation, Pledge, PledgeStatus } from "./model";
import type { DocumentStore, Mailer, SigningRepository } from "./ports";
import { compareQuarterIds, quarterId, quarterLabel } from "./quarters";
import type { PledgeTemplate } from "./template";
import { PLEDGE_TEMPLATES, templateFor, templateHash } from "./templates";

export const EMAIL_SIGNED_COPY_TASK = "pledges.email-signed-copy";
export const INVITE_MANY_TASK = "pledges.invite-many";

export interface SigningLimits {
  /** How long an invitation link works. */
  invitationTtlDays: number;
  /** Lifetime of a one-time code. */
  codeTtlSeconds: number;
  /** Wrong entries allowed per code. */
  codeAttempts: number;
  /** Codes one invitation may request per hour. */
  codesPerHour: number;
  /** Minimum seconds between two codes. */
  codeIntervalSeconds: number;
  /** Code entries allowed per client address per hour, across invitations. */
  codeEntriesPerAddressPerHour: number;
  /** How long a verified code lets the browser sign. */
  verifiedTtlSeconds: number;
  /** How long one request may hold the signing lease. */
  signingLeaseSeconds: number;
}

export const DEFAULT_SIGNING_LIMITS: SigningLimits = {
  invitationTtlDays: 30,
  codeTtlSeconds: 10 * 60,
  codeAttempts: 5,
  codesPerHour: 5,
  codeIntervalSeconds: 30,
  codeEntriesPerAddressPerHour: 30,
  verifiedTtlSeconds: 30 * 60,
  signingLeaseSeconds: 120,
};

export interface SigningDeps {
  parties: PartyRepository;
  signing: SigningRepository;
  mailer: Mailer;
  documents: DocumentStore;
  render: PledgeDocumentRenderer;
  seal: DocumentSealer;
  inspect: UploadedPdfInspector;
  attempts: AttemptCounter;
  tasks: TaskQueue;
  clock: Clock;
  newId: () => string;
  /** Absolute base URL of the public site, e.g. "https://camket.example.gov.vn" (links in e-mails, QR). */
  publicBaseUrl: string | (() => string);
  templates?: readonly PledgeTemplate[];
  limits?: SigningLimits;
}

/** Who is acting on a public page, for the audit trail. */
export interface RequestMeta {
  ip: string;
  userAgent: string;
}

export type InvitationView =
  | { state: "ready"; invitation: Invitation; party: Party; template: PledgeTemplate; verified: boolean }
  | { state: "signing"; invitation: Invitation }
  | { state: "signed"; invitation: Invitation; pledge: Pledge | null }
  | { state: "expired"; invitation: Invitation }
  | { state: "revoked"; invitation: Invitation };

export interface PublicPledgeView {
  documentCode: string;
  name: string;
  family: Pledge["family"];
  group: Pledge["group"];
  quarter: string;
  quarterLabel: string;
  provinces: string[];
  signedAt: string;
  status: PledgeStatus;
  /** Medical professionals: title and workplace instead of anything identifying. */
  title?: string | undefined;
  workplace?: string | undefined;
}

const CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** "CK-2026Q1-7KX3M9QP": quarter plus 40 random bits in Crockford base32. */
export function newDocumentCode(quarter: string): string {
  let suffix = "";
  for (let i = 0; i < 8; i++) suffix += CODE_ALPHABET[randomInt(32)];
  return `CK-${quarter.replace("-", "")}-${suffix}`;
}

export const DOCUMENT_CODE_PATTERN = /^CK-\d{4}Q[1-4]-[0-9A-HJKMNP-TV-Z]{8}$/;

export function sha256Hex(data: Uint8Array | string): string {
  return createHash("sha256").update(data).digest("hex");
}

/** The hash printed on the document: of the pledge's content, in a fixed order, so it can be recomputed. */
export function pledgeContentHash(
  p: Pick<
    Pledge,
    | "documentCode"
    | "partyId"
    | "partyName"
    | "quarter"
    | "family"
    | "templateVersion"
    | "templateHash"
    | "signer"
    | "declarations"
    | "typedSignature"
    | "signedAt"
  > & { drawnSignatureSha256: string | null },
): string {
  return sha256Hex(
    JSON.stringify([
      p.documentCode,
      p.partyId,
      p.partyName,
      p.quarter,
      p.family,
      p.templateVersion,
      p.templateHash,
      [p.signer.name, p.signer.title, p.signer.email],
      p.declarations.map((d) => [d.id, d.value]),
      p.typedSignature,
      p.drawnSignatureSha256,
      p.signedAt,
    ]),
  );
}

/** The status the public sees: stored revocation or breach first, then superseded, then expired. */
export function pledgeStatus(
  pledge: Pledge,
  latestQuarterOfParty: string,
  currentQuarter: string,
): PledgeStatus {
  if (pledge.status !== "valid") return pledge.status;
  if (compareQuarterIds(latestQuarterOfParty, pledge.quarter) > 0) return "superseded";
  if (compareQuarterIds(pledge.quarter, currentQuarter) < 0) return "expired";
  return "valid";
}

function partyEmail(party: Party): string | undefined {
  return party.contacts.find((c) => c.email)?.email;
}

function maskEmail(email: string): string {
  const [user = "", domain = ""] = email.split("@");
  return `${user.slice(0, 2)}${"*".repeat(Math.max(1, user.length - 2))}@${domain}`;
}

function identifierLines(party: Party): { label: string; value: string }[] {
  const ids = party.identifiers;
  const lines: { label: string; value: string }[] = [];
  if (ids.taxCode) lines.push({ label: "Mã số thuế", value: ids.taxCode });
  if (ids.pressLicence) lines.push({ label: "Số giấy phép", value: ids.pressLicence });
  if (ids.practisingCertificate)
    lines.push({ label: "Chứng chỉ hành nghề", value: ids.practisingCertificate });
  for (const p of ids.profiles) lines.push({ label: `Trang ${p.network}`, value: p.url });
  if (ids.refCode) lines.push({ label: "Mã quản lý", value: ids.refCode });
  return lines;
}

/** The province of the office that issued an invitation (older records: the party's first province). */
export function issuingProvinceOf(invitation: Pick<Invitation, "issuingProvince" | "provinces">): string {
  return invitation.issuingProvince ?? invitation.provinces[0] ?? "";
}

export function createSigningService(deps: SigningDeps) {
  const { parties, signing, mailer, documents, clock, newId } = deps;
  const limits = deps.limits ?? DEFAULT_SIGNING_LIMITS;
  const templates = deps.templates ?? PLEDGE_TEMPLATES;
  const baseUrl = () =>
    (typeof deps.publicBaseUrl === "function" ? deps.publicBaseUrl() : deps.publicBaseUrl).replace(
      /\/+$/,
      "",
    );
  const scopeOf = (x: { agency: Party["agency"]; provinces: readonly string[] }) => ({
    agency: x.agency,
    provinces: x.provinces,
  });

  async function loadParty(actor: Principal, partyId: string): Promise<Party> {
    const party = await parties.get(partyId);
    if (!party || !can(actor, "parties.read", scopeOf(party))) throw new NotFoundError("Party not found");
    return party;
  }

  function signLink(token: string) {
    return `${baseUrl()}/sign/${token}`;
  }

  function invitationEmail(invitation: Invitation, token: string, party: Party, resent: boolean) {
    const agency = agencyByCode(party.agency).nameVi;
    const province = provinceByCode(issuingProvinceOf(invitation))?.name ?? "";
    return {
      to: invitation.email,
      kind: "invitation",
      partyId: party.id,
      subject: `${resent ? "[Gửi lại] " : ""}Mời ký cam kết ${quarterLabel(invitation.quarter)} – ${agency}`,
      text: [
        `Kính gửi ${party.name},`,
        "",
        `${agency}${province ? ` ${province}` : ""} trân trọng mời Quý vị ký bản cam kết không kinh doanh, quảng cáo hàng giả, hàng kém chất lượng, hàng không rõ nguồn gốc xuất xứ, hàng xâm phạm quyền sở hữu trí tuệ và không đưa thông tin sai sự thật (${quarterLabel(invitation.quarter)}).`,
        "",
        "Ký trực tuyến tại đường dẫn riêng dưới đây (chỉ dùng cho Quý vị, không chuyển tiếp):",
        signLink(token),
        "",
        `Đường dẫn có hiệu lực đến ${new Date(invitation.expiresAt).toLocaleDateString("vi-VN", { timeZone: "Asia/Ho_Chi_Minh" })}. Khi mở, hệ thống sẽ gửi mã xác thực đến địa chỉ email này.`,
        "",
        "Nếu Quý vị không phải người nhận, vui lòng bỏ qua thư này.",
      ].join("\n"),
    };
  }

  async function latestQuarterOf(partyId: string): Promise<string | undefined> {
    const list = await signing.pledgesOfParty(partyId);
    return list[0]?.quarter;
  }

  async function publicView(pledge: Pledge): Promise<PublicPledgeView> {
    const current = quarterId(clock.now());
    const latest = (await latestQuarterOf(pledge.partyId)) ?? pledge.quarter;
    const medical = pledge.family === "medical";
    return {
      documentCode: pledge.documentCode,
      name: pledge.partyName,
      family: pledge.family,
      group: pledge.group,
      quarter: pledge.quarter,
      quarterLabel: quarterLabel(pledge.quarter),
      provinces: pledge.provinces,
      signedAt: pledge.signedAt,
      status: pledgeStatus(pledge, latest, current),
      ...(medical ? { title: pledge.publicTitle, workplace: pledge.workplace } : {}),
    };
  }

  // ---- staff: invitations ---------------------------------------------------------------------------

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

  async function renderAndStore(invitation: Invitation, party: Party, input: SignInput, meta: RequestMeta) {
    const template = templateFor(invitation.family, invitation.quarter, templates);
    const declared = checkDeclarations(template, input.declarations);
    if (!declared.ok) throw new InvalidError("Invalid declarations", declared.issues);
    const now = clock.now();
    const documentCode = newDocumentCode(invitation.quarter);
    const agency = agencyByCode(party.agency);
    const provinceNames = party.provinces.map((p) => provinceByCode(p)?.name ?? p);
    const tHash = templateHash(template);
    const drawnHash = input.drawnSignature ? sha256Hex(input.drawnSignature) : null;
    const content = {
      documentCode,
      partyId: party.id,
      partyName: party.name,
      quarter: invitation.quarter,
      family: invitation.family,
      templateVersion: template.version,
      templateHash: tHash,
      signer: { name: input.signerName, title: input.signerTitle, email: invitation.email },
      declarations: declared.value,
      typedSignature: input.typedSignature,
      signedAt: now.toISOString(),
    };
    const contentSha256 = pledgeContentHash({ ...content, drawnSignatureSha256: drawnHash });
    const trail = (await signing.auditOf(party.id)).filter((e) => e.invitationId === invitation.id);
    const documentInput: PledgeDocumentInput = {
      documentCode,
      quarterLabel: quarterLabel(invitation.quarter),
      authority: {
        agencyName: agency.nameVi,
        provinceName: provinceByCode(issuingProvinceOf(invitation))?.name ?? provinceNames[0] ?? "",
      },
      title: template.title,
      preamble: template.preamble,
      commitments: template.commitments,
      closing: template.closing,
      templateLabel: `Mẫu ${FAMILY_LABELS_VI[template.family]}, phiên bản ${template.version}`,
      party: {
        name: party.name,
        groupLabel: GROUP_LABELS_VI[party.group],
        identifiers: identifierLines(party),
        provinces: provinceNames.join(", "),
      },
      signer: content.signer,
      declarations: declared.value.map(({ label, value }) => ({ label, value })),
      typedSignature: input.typedSignature,
      drawnSignaturePng: input.drawnSignature,
      signedAt: now,
      contentSha256,
      verifyUrl: `${baseUrl()}/verify/${documentCode}`,
      audit: [
        ...trail
          .filter((e) => e.type !== "code_failed")
          .map((e) => ({
            at: new Date(e.at),
            event: AUDIT_EVENT_LABELS_VI[e.type] ?? e.type,
            ip: e.ip,
            userAgent: e.userAgent,
          })),
        {
          at: now,
          event: AUDIT_EVENT_LABELS_VI.signed ?? "Ký cam kết",
          ip: meta.ip,
          userAgent: meta.userAgent,
        },
      ],
    };
    const unsealed = await deps.render(documentInput);
    const sealed = await deps.seal(unsealed, {
      name: `${agency.nameVi} ${provinceNames[0] ?? ""}`.trim(),
      reason: `Pledgewatch ${documentCode}`,
      location: provinceNames[0] ?? "Việt Nam",
      contactInfo: baseUrl().replace(/^https?:\/\//, ""),
    });
    const fileKey = `pledges/${invitation.quarter}/${documentCode}.pdf`;
    await documents.put(fileKey, sealed, "application/pdf");
    const pledge: Pledge = {
      ...content,
      invitationId: invitation.id,
      group: party.group,
      agency: party.agency,
      provinces: party.provinces,
      ...(party.family === "medical"
        ? { publicTitle: input.signerTitle, ...(input.workplace ? { workplace: input.workplace } : {}) }
        : {}),
      drawnSignature: Boolean(input.drawnSignature),
      ip: meta.ip,
      userAgent: meta.userAgent,
      contentSha256,
      fileKey,
      fileSha256: sha256Hex(sealed),
      fileSize: sealed.length,
      status: "valid",
    };
    return pledge;
  }

  async function findByToken(token: string): Promise<Invitation> {
    if (typeof token !== "string" || token.length < 20 || token.length > 100)
      throw new NotFoundError("No such invitation");
    const invitation = await signing.findInvitationByTokenHash(hashToken(token));
    if (!invitation) throw new NotFoundError("No such invitation");
    return invitation;
  }

  function requireOpen(invitation: Invitation) {
    if (invitation.status === "revoked") throw new NotFoundError("Invitation revoked");
    if (invitation.status === "signed") throw new ConflictError("Already signed");
    if (new Date(invitation.expiresAt) <= clock.now())
      throw new InvalidError("Invitation expired", [{ field: "token", message: "Đường dẫn ký đã hết hạn" }]);
  }

  function isVerified(invitation: Invitation, key: string | undefined): boolean {
    if (!key || !invitation.verifiedKeyHash || !invitation.verifiedAt) return false;
    if (hashToken(key) !== invitation.verifiedKeyHash) return false;
    return (
      clock.now().getTime() - new Date(invitation.verifiedAt).getTime() < limits.verifiedTtlSeconds * 1000
    );
  }

  const signerActor = (invitation: Invitation) => `signer:${invitation.id}`;

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
    maskEmail,

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
        subject: `Mã xác thực ký cam kết: ${code}`,
        text: [
          `Mã xác thực của Quý vị là: ${code}`,
          "",
          `Mã có hiệu lực trong ${Math.round(limits.codeTtlSeconds / 60)} phút và chỉ dùng một lần. Không chia sẻ mã này với bất kỳ ai, kể cả cán bộ.`,
        ].join("\n"),
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

    /**
     * Signs: exactly one pledge per party and quarter whatever the number of clicks or tabs. The first
     * request takes a lease on the invitation; a concurrent one gets a ConflictError and the page shows
     * the outcome of the first.
     */
    async sign(token: string, key: string | undefined, raw: unknown, meta: RequestMeta): Promise<Pledge> {
      const parsed = SignInputSchema.safeParse(raw);
      const first = await findByToken(token);
      if (first.status === "signed") {
        const existing = await signing.getPledge(first.partyId, first.quarter);
        if (existing && isVerified(first, key)) return existing;
        throw new ConflictError("Already signed");
      }
      requireOpen(first);
      if (!isVerified(first, key)) {
        throw new InvalidError("Code not verified", [
          { field: "code", message: "Vui lòng xác thực mã gửi qua email trước khi ký" },
        ]);
      }
      if (!parsed.success) {
        throw new InvalidError(
          "Invalid signing form",
          parsed.error.issues.map((i) => ({ field: i.path.join("."), message: i.message })),
        );
      }
      const input = parsed.data;
      const template = templateFor(first.family, first.quarter, templates);
      if (template.family === "medical" && !input.workplace?.trim()) {
        throw new InvalidError("Workplace required", [
          { field: "workplace", message: "Vui lòng nhập nơi công tác" },
        ]);
      }
      const declared = checkDeclarations(template, input.declarations);
      if (!declared.ok) throw new InvalidError("Invalid declarations", declared.issues);

      const now = clock.now();
      if (first.status === "signing" && first.signingUntil && new Date(first.signingUntil) > now) {
        throw new ConflictError("Signing in progress");
      }
      const leased: Invitation = {
        ...first,
        status: "signing",
        signingUntil: new Date(now.getTime() + limits.signingLeaseSeconds * 1000).toISOString(),
        version: first.version + 1,
      };
      await signing.updateInvitation(first, leased, []);
      try {
        const party = await parties.get(first.partyId);
        if (!party) throw new NotFoundError("Party gone");
        const pledge = await renderAndStore(leased, party, input, meta);
        const signed: Invitation = {
          ...leased,
          status: "signed",
          signingUntil: undefined,
          documentCode: pledge.documentCode,
          version: leased.version + 1,
        };
        const updatedParty: Party = {
          ...party,
          pledge: { quarter: pledge.quarter, status: "valid", documentCode: pledge.documentCode },
          version: party.version + 1,
          updatedAt: pledge.signedAt,
        };
        await signing.commitSigning({
          invitationBefore: leased,
          invitationAfter: signed,
          pledge,
          party: {
            before: party,
            after: updatedParty,
            change: {
              partyId: party.id,
              at: pledge.signedAt,
              by: { staffId: signerActor(first), name: pledge.signer.name },
              action: "pledge_signed",
              reason: pledge.documentCode,
              before: party,
              after: updatedParty,
            },
          },
          events: [
            {
              at: pledge.signedAt,
              type: "signed",
              actor: signerActor(first),
              invitationId: first.id,
              documentCode: pledge.documentCode,
              quarter: pledge.quarter,
              ip: meta.ip,
              userAgent: meta.userAgent,
              detail: `sha256:${pledge.fileSha256}`,
            },
          ],
        });
        await deps.tasks.enqueue({
          type: EMAIL_SIGNED_COPY_TASK,
          payload: { documentCode: pledge.documentCode },
        });
        return pledge;
      } catch (error) {
        // Give the lease back so the signer can try again (unless the signing itself went through).
        const current = await signing.getInvitation(first.id);
        if (current && current.status === "signing" && current.version === leased.version) {
          await signing
            .updateInvitation(
              current,
              { ...current, status: "active", signingUntil: undefined, version: current.version + 1 },
              [],
            )
            .catch(() => undefined);
        }
        throw error;
      }
    },

    /** Background: e-mails the signed copy to the signer (retried by the queue on failure). */
    async emailSignedCopy(documentCode: string): Promise<void> {
      const pledge = await signing.findPledgeByCode(documentCode);
      if (!pledge) throw new NotFoundError(`No pledge ${documentCode}`);
      const already = (await signing.auditOf(pledge.partyId)).some(
        (e) => e.type === "document_emailed" && e.documentCode === documentCode,
      );
      if (already) return;
      const pdf = await documents.get(pledge.fileKey);
      if (!pdf) throw new NotFoundError(`Missing file of ${documentCode}`);
      await mailer.send({
        to: pledge.signer.email,
        kind: "signed_copy",
        partyId: pledge.partyId,
        subject: `Bản cam kết đã ký ${quarterLabel(pledge.quarter)} – mã ${documentCode}`,
        text: [
          `Kính gửi ${pledge.signer.name},`,
          "",
          `Đính kèm là bản cam kết ${quarterLabel(pledge.quarter)} của ${pledge.partyName}, đã được ký và đóng dấu điện tử.`,
          `Mã văn bản: ${documentCode}`,
          `Kiểm tra tính xác thực: ${baseUrl()}/verify/${documentCode}`,
        ].join("\n"),
        attachments: [{ filename: `${documentCode}.pdf`, contentType: "application/pdf", content: pdf }],
      });
      await signing.appendAudit(pledge.partyId, [
        {
          at: clock.now().toISOString(),
          type: "document_emailed",
          actor: "system",
          documentCode,
          quarter: pledge.quarter,
          detail: `to ${maskEmail(pledge.signer.email)}`,
        },
      ]);
    },

    /** The signed PDF for the signer's own browser (the key from the code check). */
    async documentForSigner(
      token: string,
      key: string | undefined,
    ): Promise<{ pledge: Pledge; pdf: Uint8Array }> {
      const invitation = await findByToken(token);
      if (invitation.status !== "signed" || !isVerified(invitation, key))
        throw new NotFoundError("No document");
      const pledge = await signing.getPledge(invitation.partyId, invitation.quarter);
      const pdf = pledge ? await documents.get(pledge.fileKey) : null;
      if (!pledge || !pdf) throw new NotFoundError("No document");
      return { pledge, pdf };
    },

    // ---- public ------------------------------------------------------------------------------------

    async verifyCodeLookup(documentCode: string): Promise<PublicPledgeView | null> {
      const code = documentCode.trim().toUpperCase();
      if (!DOCUMENT_CODE_PATTERN.test(code)) return null;
      const pledge = await signing.findPledgeByCode(code);
      return pledge ? publicView(pledge) : null;
    },

    /** What an uploaded PDF is: one of ours, unchanged, and which pledge; or why not. */
    async verifyUpload(
      pdf: Uint8Array,
    ): Promise<{ verdict: UploadedPdfVerdict; pledge: PublicPledgeView | null }> {
      const verdict = await deps.inspect(pdf);
      if (verdict.kind !== "ours_intact") return { verdict, pledge: null };
      const byHash = await signing.findPledgeByFileHash(sha256Hex(pdf));
      const pledge = byHash ?? (await signing.findPledgeByCode(verdict.documentCode));
      return { verdict, pledge: pledge ? await publicView(pledge) : null };
    },

    async publicRegistry(query: {
      quarter?: string | undefined;
      province?: string | undefined;
      family?: string | undefined;
      cursor?: string | undefined;
    }) {
      const quarter = query.quarter ?? quarterId(clock.now());
      const page = await signing.publicPledges({ ...query, quarter, limit: 50 });
      const items = await Promise.all(page.items.map(publicView));
      return { quarter, items, next: page.next };
    },

    currentQuarter(): string {
      return quarterId(clock.now());
    },
  };
}

export type SigningService = ReturnType<typeof createSigningService>;
