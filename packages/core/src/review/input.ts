import { z } from "zod";
import { AgencyCodeSchema } from "../reference/agencies";
import { ProvinceCodeSchema } from "../reference/provinces";
import { CaseStateSchema, DismissReasonSchema, ViolationSchema } from "./model";

const Reason = z.string().trim().min(1).max(2_000);
const Note = z.string().trim().max(4_000).optional();

/** A reviewer's decision on a case, as the API and the console form send it. */
export const DecisionInputSchema = z.discriminatedUnion("kind", [
  z
    .object({
      kind: z.literal("confirm"),
      violation: ViolationSchema,
      note: Note,
      /** Goes to the platform with the takedown request. */
      platformNote: Note,
      expectedVersion: z.number().int().min(1).optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal("dismiss"),
      reason: DismissReasonSchema,
      note: Note,
      expectedVersion: z.number().int().min(1).optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal("escalate"),
      reason: Reason,
      note: Note,
      expectedVersion: z.number().int().min(1).optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal("refer"),
      toAgency: AgencyCodeSchema,
      reason: Reason,
      note: Note,
      expectedVersion: z.number().int().min(1).optional(),
    })
    .strict(),
]);
export type DecisionInput = z.infer<typeof DecisionInputSchema>;

export const ApprovalInputSchema = z
  .object({
    approve: z.boolean(),
    /** Required when rejecting. */
    reason: z.string().trim().max(2_000).optional(),
    note: Note,
  })
  .strict()
  .refine((a) => a.approve || (a.reason ?? "").length > 0, {
    path: ["reason"],
    message: "Cần nêu lý do không phê duyệt",
  });
export type ApprovalInput = z.infer<typeof ApprovalInputSchema>;

export const QueueFilterSchema = z
  .object({
    state: CaseStateSchema.default("open"),
    platform: z.string().trim().max(100).optional(),
    rule: z.string().trim().max(64).optional(),
    /** Admins only: another agency's or province's queue. */
    agency: AgencyCodeSchema.optional(),
    province: ProvinceCodeSchema.optional(),
    /** Only cases opened at least / at most this many days ago. */
    minAgeDays: z.coerce.number().int().min(0).max(3_650).optional(),
    maxAgeDays: z.coerce.number().int().min(0).max(3_650).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(2_000).optional(),
  })
  .strict();
export type QueueFilter = z.infer<typeof QueueFilterSchema>;

export const BulkDismissSchema = z
  .object({
    ids: z.array(z.string().min(1).max(200)).min(1).max(100),
    reason: DismissReasonSchema,
    note: Note,
  })
  .strict();

export const TakedownAnswerSchema = z.discriminatedUnion("answer", [
  z.object({ answer: z.literal("removed"), reason: z.string().trim().max(2_000).optional() }).strict(),
  z.object({ answer: z.literal("disputed"), reason: Reason }).strict(),
]);
export type TakedownAnswerInput = z.infer<typeof TakedownAnswerSchema>;
