import { z } from "zod";
import { PrivacyConsentSchema } from "../privacy/notice";
import { AgencyCodeSchema } from "../reference/agencies";
import { ProvinceCodeSchema } from "../reference/provinces";

/**
 * Public tips (issue 8): anyone may report a URL without signing in. The URL is hostile (it goes through
 * the crawler's URL safety and is captured as evidence), the text is hostile (escaped wherever shown),
 * and the tipster only ever sees the safe status of their tip through an unguessable tracking code.
 */

/** What the tipster says is wrong: a fixed choice, which also routes a tip the rules do not flag. */
export const TIP_CATEGORIES = [
  "counterfeit",
  "smuggled",
  "health_claim",
  "false_advertising",
  "other",
] as const;
export const TipCategorySchema = z.enum(TIP_CATEGORIES);
export type TipCategory = z.infer<typeof TipCategorySchema>;

export const TIP_STATES = [
  /** Filed; its capture is queued or running. */
  "received",
  /** Captured (or the capture failed) and handed to case intake: `caseId` is set. */
  "filed",
  /** A duplicate of an earlier tip about the same URL (within a day): it follows that tip's case. */
  "merged",
  /**
   * Its capture was refused by URL safety (a redirect to an internal address, or a name that came to
   * resolve to one after the tip was filed): no evidence, so no case; the tipster is told.
   */
  "not_checkable",
] as const;
export const TipStateSchema = z.enum(TIP_STATES);
export type TipState = z.infer<typeof TipStateSchema>;

export const TipContactSchema = z.object({ kind: z.enum(["email", "phone"]), value: z.string() });
export type TipContact = z.infer<typeof TipContactSchema>;

export const TipSchema = z.object({
  id: z.string(),
  /** SHA-256 of the tracking code; the code itself is shown once, to the tipster. */
  codeHash: z.string(),
  url: z.string(),
  host: z.string(),
  urlKey: z.string(),
  category: TipCategorySchema,
  details: z.string(),
  contact: TipContactSchema.optional(),
  /** The privacy notice the tipster consented to when leaving a contact, and when. */
  privacyConsent: PrivacyConsentSchema.optional(),
  province: ProvinceCodeSchema,
  /** The queue a tip the rules do not flag goes to (by the tipster's choice). */
  agency: AgencyCodeSchema,
  state: TipStateSchema,
  jobId: z.string().optional(),
  captureId: z.string().optional(),
  captureOutcome: z.enum(["succeeded", "failed"]).optional(),
  caseId: z.string().optional(),
  /** The earlier tip about the same URL this one was merged with. */
  mergedInto: z.string().optional(),
  /**
   * HMAC of the client address with the form's secret (rate limits are by address; the address itself is
   * not kept). Erased with the contact by the retention sweep (../privacy/retention.ts).
   */
  addressHash: z.string().optional(),
  /** When the retention sweep or a data subject's deletion request erased the contact and address. */
  personalDataErasedAt: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int().min(1),
});
export type Tip = z.infer<typeof TipSchema>;

/** One URL's tips of the current day: the first (whose capture the others share) and the later ones. */
export const TipUrlRecordSchema = z.object({
  urlKey: z.string(),
  primaryTipId: z.string(),
  duplicateTipIds: z.array(z.string()),
  firstAt: z.string(),
  version: z.number().int().min(1),
});
export type TipUrlRecord = z.infer<typeof TipUrlRecordSchema>;

/** What a tipster may see: never a note, a reviewer's name, or the agency's reasoning. */
export const PUBLIC_TIP_STATUSES = [
  "received",
  "evidence_captured",
  "under_review",
  "violation_confirmed",
  "no_violation",
  "taken_down",
  /** The address could not be checked: it leads to an internal, non-public address. No case is opened. */
  "not_checkable",
] as const;
export const PublicTipStatusSchema = z.enum(PUBLIC_TIP_STATUSES);
export type PublicTipStatus = z.infer<typeof PublicTipStatusSchema>;

export const PublicTipViewSchema = z.object({
  code: z.string(),
  status: PublicTipStatusSchema,
  category: TipCategorySchema,
  url: z.string(),
  province: ProvinceCodeSchema,
  receivedAt: z.string(),
  /** When the status last changed, as far as the public may know. */
  updatedAt: z.string(),
});
export type PublicTipView = z.infer<typeof PublicTipViewSchema>;

/** Why a tip was refused: each has its own Vietnamese (and English) message in the web catalogues. */
export const TIP_REFUSALS = [
  "form_missing",
  "form_invalid",
  "form_too_fast",
  "form_expired",
  "form_used",
  "honeypot",
  "too_many_from_address",
  "too_many_for_url",
  "capture_busy",
  /** URL safety refuses the address at once (internal, non-public, or not resolving): nothing is written. */
  "url_not_checkable",
] as const;
export type TipRefusalReason = (typeof TIP_REFUSALS)[number];
