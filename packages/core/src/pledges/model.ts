import { z } from "zod";
import { ActorRefSchema } from "../parties/model";
import { PrivacyConsentSchema } from "../privacy/notice";
import { AgencyCodeSchema } from "../reference/agencies";
import { ProvinceCodeSchema } from "../reference/provinces";
import { PledgeFamilySchema, SignerGroupSchema } from "../reference/signer-groups";

/**
 * An invitation to sign one party's pledge for one quarter. The link's token is stored only as its hash;
 * resending issues a new token and the old link stops working.
 */
export const InvitationStatusSchema = z.enum(["active", "signing", "signed", "revoked"]);
export type InvitationStatus = z.infer<typeof InvitationStatusSchema>;

export const OtpStateSchema = z.object({
  codeHash: z.string(),
  expiresAt: z.string(),
  /** Wrong entries left for this code. */
  attemptsLeft: z.number().int(),
  sentAt: z.string(),
});
export type OtpState = z.infer<typeof OtpStateSchema>;

export const InvitationSchema = z.object({
  id: z.string(),
  partyId: z.string(),
  partyName: z.string(),
  agency: AgencyCodeSchema,
  provinces: z.array(ProvinceCodeSchema).min(1),
  /**
   * The province of the office that issued the invitation (the inviting staff member's, when the party
   * is listed there): the authority the e-mail, the pledge PDF, its seal text and metadata name. Absent
   * on invitations written before it was recorded: the party's first province.
   */
  issuingProvince: ProvinceCodeSchema.optional(),
  family: PledgeFamilySchema,
  quarter: z.string(),
  /** The registered address the link and the codes go to. */
  email: z.string(),
  tokenHash: z.string(),
  status: InvitationStatusSchema,
  createdAt: z.string(),
  createdBy: ActorRefSchema,
  expiresAt: z.string(),
  sentCount: z.number().int(),
  lastSentAt: z.string(),
  openedAt: z.string().optional(),
  otp: OtpStateSchema.optional(),
  /** Hash of the browser key given once the code is verified; signing needs it. */
  verifiedKeyHash: z.string().optional(),
  verifiedAt: z.string().optional(),
  /** Set while one request is signing (a lease), so a double click signs once. */
  signingUntil: z.string().optional(),
  revokedAt: z.string().optional(),
  revokedBy: ActorRefSchema.optional(),
  revokeReason: z.string().optional(),
  documentCode: z.string().optional(),
  version: z.number().int().min(1),
});
export type Invitation = z.infer<typeof InvitationSchema>;

/** Stored status; "expired" and "superseded" are derived from the quarter (see pledgeStatus). */
export const StoredPledgeStatusSchema = z.enum(["valid", "revoked", "breached"]);
export const PledgeStatusSchema = z.enum(["valid", "expired", "superseded", "revoked", "breached"]);
export type PledgeStatus = z.infer<typeof PledgeStatusSchema>;

export const PledgeSchema = z.object({
  documentCode: z.string(),
  partyId: z.string(),
  invitationId: z.string(),
  partyName: z.string(),
  group: SignerGroupSchema,
  family: PledgeFamilySchema,
  agency: AgencyCodeSchema,
  provinces: z.array(ProvinceCodeSchema).min(1),
  /** What the public registry shows of a medical professional: name, title, workplace only. */
  publicTitle: z.string().optional(),
  workplace: z.string().optional(),
  quarter: z.string(),
  templateVersion: z.number().int(),
  templateHash: z.string(),
  signer: z.object({ name: z.string(), title: z.string(), email: z.string() }),
  declarations: z.array(z.object({ id: z.string(), label: z.string(), value: z.string() })),
  typedSignature: z.string(),
  drawnSignature: z.boolean(),
  signedAt: z.string(),
  ip: z.string(),
  userAgent: z.string(),
  contentSha256: z.string(),
  fileKey: z.string(),
  fileSha256: z.string(),
  fileSize: z.number().int(),
  status: StoredPledgeStatusSchema,
  /** The privacy notice the signer consented to, and when (absent on pledges signed before it existed). */
  privacyConsent: PrivacyConsentSchema.optional(),
  statusReason: z.string().optional(),
  statusChangedAt: z.string().optional(),
  statusChangedBy: ActorRefSchema.optional(),
});
export type Pledge = z.infer<typeof PledgeSchema>;

/** One step of a party's pledge life, appended to its hash chain. */
export const AUDIT_EVENT_TYPES = [
  "invitation_created",
  "invitation_sent",
  "invitation_resent",
  "invitation_revoked",
  "invitation_opened",
  "code_sent",
  "code_failed",
  "code_verified",
  "signed",
  "document_emailed",
  "pledge_revoked",
  "pledge_breached",
] as const;
export const AuditEventTypeSchema = z.enum(AUDIT_EVENT_TYPES);
export type AuditEventType = z.infer<typeof AuditEventTypeSchema>;

export const AuditEventSchema = z.object({
  /** The chain: one per party. */
  stream: z.string(),
  seq: z.number().int().min(1),
  at: z.string(),
  type: AuditEventTypeSchema,
  /** Staff member, or the signer (by the invitation) for public steps. */
  actor: z.string(),
  invitationId: z.string().optional(),
  documentCode: z.string().optional(),
  quarter: z.string().optional(),
  ip: z.string().optional(),
  userAgent: z.string().optional(),
  detail: z.string().optional(),
  prevHash: z.string(),
  hash: z.string(),
});
export type AuditEvent = z.infer<typeof AuditEventSchema>;
export type AuditEventDraft = Omit<AuditEvent, "stream" | "seq" | "prevHash" | "hash">;
