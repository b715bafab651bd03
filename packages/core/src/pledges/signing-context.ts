import { createHash, randomInt } from "node:crypto";
import { can } from "../auth/policy";
import type { Principal } from "../auth/roles";
import { hashToken } from "../auth/sessions";
import type { AttemptCounter } from "../auth/sign-in";
import type { EmailTexts } from "../emails";
import { ConflictError, InvalidError, NotFoundError } from "../errors";
import type { Party } from "../parties/model";
import type { PartyRepository } from "../parties/ports";
import type { Clock, TaskQueue } from "../ports";
import { agencyByCode } from "../reference/agencies";
import { provinceByCode } from "../reference/provinces";
import type { DocumentSealer, PledgeDocumentRenderer, UploadedPdfInspector } from "./document";
import type { Invitation, Pledge, PledgeStatus } from "./model";
import type { DocumentStore, Mailer, SigningRepository } from "./ports";
import { compareQuarterIds, quarterId, quarterLabel } from "./quarters";
import type { PledgeTemplate } from "./template";
import { PLEDGE_TEMPLATES } from "./templates";

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
  /** The words of the invitation, the code and the signed copy (the web catalogue's). */
  emails: Pick<EmailTexts, "invitation" | "signingCode" | "signedCopy">;
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

export function partyEmail(party: Party): string | undefined {
  return party.contacts.find((c) => c.email)?.email;
}

export function maskEmail(email: string): string {
  const [user = "", domain = ""] = email.split("@");
  return `${user.slice(0, 2)}${"*".repeat(Math.max(1, user.length - 2))}@${domain}`;
}

export function identifierLines(party: Party): { label: string; value: string }[] {
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

/** What every part of the signing service shares: its ports, limits and the lookups they all make. */
export function signingContext(deps: SigningDeps) {
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
    return {
      to: invitation.email,
      kind: "invitation",
      partyId: party.id,
      ...deps.emails.invitation({
        partyName: party.name,
        agencyName: agencyByCode(party.agency).nameVi,
        provinceName: provinceByCode(issuingProvinceOf(invitation))?.name ?? "",
        quarterLabel: quarterLabel(invitation.quarter),
        link: signLink(token),
        expiresAt: new Date(invitation.expiresAt),
        resent,
      }),
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

  return {
    deps,
    parties,
    signing,
    mailer,
    documents,
    clock,
    newId,
    limits,
    templates,
    baseUrl,
    scopeOf,
    loadParty,
    signLink,
    invitationEmail,
    latestQuarterOf,
    publicView,
    findByToken,
    requireOpen,
    isVerified,
    signerActor,
  };
}

export type SigningContext = ReturnType<typeof signingContext>;
