import { z } from "zod";
import { DecisionSchema, FlagItemSchema } from "../flagging/model";
import { ActorRefSchema } from "../parties/model";
import { AgencyCodeSchema } from "../reference/agencies";
import { ProvinceCodeSchema } from "../reference/provinces";

/**
 * The review contract (issue 8): one case per flagged item, in exactly one agency's queue, moved only
 * through the transition table (./transitions.ts), every step appended to its case log. The metrics and
 * reports are recounted from the log, so every event a report counts is a log entry type below.
 */

export const CASE_STATES = [
  /** In the agency's queue, nobody working on it. */
  "open",
  /** Claimed (with a lease) or assigned to one reviewer. */
  "assigned",
  /** Sent to a lead: by a reviewer, or because a takedown request went overdue. */
  "escalated",
  /** A confirmed violation by a party with a current pledge, waiting for a second person (a lead). */
  "awaiting_approval",
  /** Violation confirmed; the takedown request to the platform is outstanding. */
  "takedown",
  /** Decided: dismissed, or the violation's content confirmed removed. */
  "closed",
  /** The item was gone before anyone reviewed it (a re-capture showed it removed). */
  "void",
] as const;
export const CaseStateSchema = z.enum(CASE_STATES);
export type CaseState = z.infer<typeof CaseStateSchema>;

/** What kind of violation a confirmation records; the reports group by it. */
export const VIOLATION_TYPES = [
  "false_advertising",
  "false_quality_claim",
  "counterfeit",
  "health_claim",
  "price_deception",
  "prohibited_goods",
  "smuggled_unknown_origin",
  "ip_infringement",
  "other",
] as const;
export const ViolationTypeSchema = z.enum(VIOLATION_TYPES);
export type ViolationType = z.infer<typeof ViolationTypeSchema>;

export const DISMISS_REASONS = ["false_positive", "insufficient_evidence", "already_handled"] as const;
export const DismissReasonSchema = z.enum(DISMISS_REASONS);
export type DismissReason = z.infer<typeof DismissReasonSchema>;

const Note = z.string().trim().max(4_000);

/** A confirmed violation: what it is, under which law, and why (the statement of reasons). */
export const ViolationSchema = z
  .object({
    type: ViolationTypeSchema,
    legalBasis: z.string().trim().min(1).max(1_000),
    statement: z.string().trim().min(1).max(4_000),
  })
  .strict();
export type Violation = z.infer<typeof ViolationSchema>;

/** The decision that stands on a case (at most one; a reopen clears it, the log keeps it). */
export const CaseDecisionSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("confirmed"),
    violation: ViolationSchema,
    by: ActorRefSchema,
    at: z.string(),
    /** The lead who approved it (pledged parties only). */
    approvedBy: ActorRefSchema.optional(),
  }),
  z.object({
    kind: z.literal("dismissed"),
    reason: DismissReasonSchema,
    note: Note.optional(),
    by: ActorRefSchema,
    at: z.string(),
  }),
]);
export type CaseDecision = z.infer<typeof CaseDecisionSchema>;

/** Where a flag came from. Tips carry their id, so a tip's status page can follow its case. */
export const CaseSourceSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("capture"), captureId: z.string().optional() }),
  z.object({ kind: z.literal("evaluation"), by: ActorRefSchema }),
  z.object({ kind: z.literal("tip"), tipId: z.string().min(1).max(100) }),
  z.object({ kind: z.literal("seed") }),
]);
export type CaseSource = z.infer<typeof CaseSourceSchema>;

/** The registered party behind an item, and its current pledge if it has one. */
export const CasePartySchema = z.object({
  partyId: z.string(),
  name: z.string(),
  /** The current quarter's pledge, when valid at intake; confirming a violation breaches it. */
  pledge: z.object({ documentCode: z.string(), quarter: z.string() }).optional(),
});
export type CaseParty = z.infer<typeof CasePartySchema>;

/** Why the case is in its agency's queue: which routing rule applied (./routing.ts). */
export const ROUTING_RULES = ["health_claim", "ad_or_post", "listing", "referral"] as const;
export const RoutingRuleSchema = z.enum(ROUTING_RULES);
export type RoutingRule = z.infer<typeof RoutingRuleSchema>;

export const CaseSchema = z.object({
  /** The flagged item's id (its capture fingerprint): one case per item, ever. */
  id: z.string(),
  item: FlagItemSchema,
  /** The latest flagging decision on the item (reasons with their evidence offsets). */
  evaluation: DecisionSchema,
  agency: AgencyCodeSchema,
  routedBy: RoutingRuleSchema,
  province: ProvinceCodeSchema,
  /** Every rule that ever flagged the item (the queue's rule filter; the per-rule confirmation share). */
  ruleIds: z.array(z.string()),
  party: CasePartySchema.optional(),
  /** The capture whose evidence (screenshot, HTML, manifest) the evidence view shows. */
  captureId: z.string().optional(),
  pageNo: z.number().int().optional(),
  state: CaseStateSchema,
  /**
   * Sortable urgency (an ISO time): the opening time moved earlier by the score and pledge bonus, so
   * ascending order is highest priority first and a waiting case rises by itself (./priority.ts).
   */
  priorityKey: z.string(),
  assignee: ActorRefSchema.optional(),
  /** A claim's lease: another reviewer may take the case once it has passed. */
  leaseUntil: z.string().optional(),
  /** A confirmation waiting for a lead's approval (state awaiting_approval). */
  proposal: z
    .object({
      violation: ViolationSchema,
      by: ActorRefSchema,
      at: z.string(),
      /** What the proposer wrote to the platform: sent with the takedown request once approved. */
      platformNote: z.string().optional(),
    })
    .optional(),
  decision: CaseDecisionSchema.optional(),
  takedownId: z.string().optional(),
  /**
   * The rules no longer flag the item (a rule or the price catalogue changed, and the re-evaluation found
   * it clean): shown to reviewers, who decide; the case is never closed for it (issue 23, item 3).
   */
  unflagged: z.object({ ruleSetVersion: z.number().int(), at: z.string() }).optional(),
  flags: z.number().int().min(0),
  tips: z.number().int().min(0),
  openedAt: z.string(),
  lastFlaggedAt: z.string(),
  updatedAt: z.string(),
  /** Increases by one with every change; every write is conditional on the version read. */
  version: z.number().int().min(1),
});
export type Case = z.infer<typeof CaseSchema>;

/** "system" for the hourly tick and the capture pipeline. */
export const SYSTEM_ACTOR = { staffId: "system", name: "Hệ thống" } as const;

const TakedownAnswer = z.enum(["removed", "disputed"]);

/**
 * Every entry type of the case log. The body of each is what a metric or report needs without reading
 * anything else: a report is a recount of these entries.
 */
export const CaseEventSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("opened"),
    source: CaseSourceSchema,
    score: z.number(),
    ruleIds: z.array(z.string()),
    agency: AgencyCodeSchema,
    routedBy: RoutingRuleSchema,
  }),
  /** A repeated flag or a tip about an item that already has a case. */
  z.object({
    type: z.literal("merged"),
    source: CaseSourceSchema,
    score: z.number(),
    ruleIds: z.array(z.string()),
  }),
  z.object({ type: z.literal("claimed"), leaseUntil: z.string() }),
  z.object({ type: z.literal("released") }),
  z.object({ type: z.literal("assigned"), to: ActorRefSchema }),
  z.object({ type: z.literal("escalated"), reason: z.string() }),
  z.object({
    type: z.literal("referred"),
    fromAgency: AgencyCodeSchema,
    toAgency: AgencyCodeSchema,
    reason: z.string(),
  }),
  /** A confirmation that needs a lead's approval (the party has a current pledge). */
  z.object({ type: z.literal("confirmation_proposed"), violation: ViolationSchema }),
  z.object({ type: z.literal("confirmation_rejected"), reason: z.string() }),
  /** The violation stands (directly, or approved by a lead: `approvedBy`). */
  z.object({
    type: z.literal("confirmed"),
    violation: ViolationSchema,
    proposedBy: ActorRefSchema,
    approvedBy: ActorRefSchema.optional(),
  }),
  z.object({ type: z.literal("pledge_breached"), partyId: z.string(), documentCode: z.string() }),
  z.object({ type: z.literal("dismissed"), reason: DismissReasonSchema }),
  z.object({ type: z.literal("reopened"), reason: z.string() }),
  /** The item was gone before review. */
  z.object({ type: z.literal("voided"), captureId: z.string().optional() }),
  z.object({
    type: z.literal("takedown_requested"),
    takedownId: z.string(),
    platform: z.string(),
    contact: z.string(),
    legalBasis: z.string(),
    dueAt: z.string(),
  }),
  z.object({
    type: z.literal("takedown_answered"),
    takedownId: z.string(),
    answer: TakedownAnswer,
    reason: z.string().optional(),
  }),
  /** The due-time re-capture found the content gone: the case closes. */
  z.object({
    type: z.literal("takedown_removal_confirmed"),
    takedownId: z.string(),
    captureId: z.string().optional(),
  }),
  /** The due-time re-capture found the content still there. */
  z.object({
    type: z.literal("takedown_not_removed"),
    takedownId: z.string(),
    captureId: z.string().optional(),
  }),
  z.object({ type: z.literal("takedown_overdue"), takedownId: z.string(), dueAt: z.string() }),
  /** A lead closes a case whose takedown is settled otherwise (handled offline, sanction issued). */
  z.object({ type: z.literal("closed"), reason: z.string() }),
  /** A note without a change of state. */
  z.object({ type: z.literal("noted") }),
  /** After a rule change, the rules of this version no longer flag the item: reviewers are told. */
  z.object({ type: z.literal("unflagged"), ruleSetVersion: z.number().int() }),
]);
export type CaseEvent = z.infer<typeof CaseEventSchema>;
export type CaseEventType = CaseEvent["type"];

/** One append-only log entry: who, when, the state before and after, and the event. */
export const CaseLogEntrySchema = z.object({
  caseId: z.string(),
  /** The case version this entry produced, and its position within that write (0, 1, …). */
  version: z.number().int().min(1),
  seq: z.number().int().min(0),
  at: z.string(),
  by: ActorRefSchema,
  from: CaseStateSchema.nullable(),
  to: CaseStateSchema,
  /** The agency whose queue the case was in after the entry (metrics per agency). */
  agency: AgencyCodeSchema,
  province: ProvinceCodeSchema,
  event: CaseEventSchema,
  /** Seen by staff only. */
  note: Note.optional(),
  /** Sent to the platform with the takedown request. */
  platformNote: Note.optional(),
});
export type CaseLogEntry = z.infer<typeof CaseLogEntrySchema>;

export const TAKEDOWN_STATES = [
  /** Sent; waiting for the platform's answer or the due time. */
  "requested",
  "answered_removed",
  "answered_disputed",
  /** Due time passed with the content still there (or no answer): escalated to a lead. */
  "overdue",
  /** The re-capture found the content gone. */
  "confirmed_removed",
] as const;
export const TakedownStateSchema = z.enum(TAKEDOWN_STATES);
export type TakedownState = z.infer<typeof TakedownStateSchema>;

/** A request to a platform to take a confirmed violation down, answered on a token page. */
export const TakedownRequestSchema = z.object({
  id: z.string(),
  caseId: z.string(),
  agency: AgencyCodeSchema,
  province: ProvinceCodeSchema,
  platform: z.string(),
  url: z.string(),
  /** Where the request went: the pledge's signer, or the registry party's contact. */
  contact: z.object({ name: z.string(), email: z.string() }),
  legalBasis: z.string(),
  statement: z.string(),
  platformNote: z.string().optional(),
  requestedAt: z.string(),
  dueAt: z.string(),
  /** SHA-256 of the answer token (the token itself is only in the e-mail); cleared once used. */
  tokenHash: z.string().optional(),
  tokenExpiresAt: z.string(),
  state: TakedownStateSchema,
  answer: z.object({ kind: TakedownAnswer, reason: z.string().optional(), at: z.string() }).optional(),
  recapture: z.object({ at: z.string(), removed: z.boolean(), captureId: z.string().optional() }).optional(),
  /**
   * The pledge the confirmed violation breaches (a pledged party), marked breached by the signing service
   * before the e-mail goes out; `markedAt` once done. Until then the tick retries it with the sending.
   */
  breach: z
    .object({
      documentCode: z.string(),
      reason: z.string(),
      by: ActorRefSchema,
      markedAt: z.string().optional(),
    })
    .optional(),
  /** When the e-mail went out (absent: the tick sends it again). */
  sentAt: z.string().optional(),
  /** The re-capture in flight (a capture job of the monitoring pipeline). */
  recaptureJobId: z.string().optional(),
  /** When the hourly tick should next look at it (re-capture at due time); absent when finished. */
  nextCheckAt: z.string().optional(),
  version: z.number().int().min(1),
});
export type TakedownRequest = z.infer<typeof TakedownRequestSchema>;
