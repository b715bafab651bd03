import { z } from "zod";
import { ActorRefSchema } from "../parties/model";
import { AgencyCodeSchema } from "../reference/agencies";
import { ProvinceCodeSchema } from "../reference/provinces";
import {
  type Decision,
  DecisionSchema,
  type FlagItem,
  FlagItemSchema,
  type ReferencePrice,
  RuleSchema,
  type RuleSet,
} from "./model";

/** One change of one rule, kept forever: who, when, what it was before and after. */
export const RuleChangeSchema = z.object({
  ruleId: z.string(),
  ruleVersion: z.number().int(),
  ruleSetVersion: z.number().int(),
  at: z.string(),
  by: ActorRefSchema,
  action: z.enum(["seeded", "created", "updated"]),
  before: RuleSchema.nullable(),
  after: RuleSchema,
});
export type RuleChange = z.infer<typeof RuleChangeSchema>;

export interface RuleRepository {
  /** The current rule-set version: one small read, done before every evaluation. Null before seeding. */
  currentVersion(): Promise<number | null>;
  /** The rule set of the current version (null before seeding). */
  load(): Promise<RuleSet | null>;
  /**
   * Makes `next` the current rule set if the current version is still `expected` (null: nothing yet),
   * with the changes' history records, all or nothing. ConflictError when someone saved meanwhile.
   */
  save(next: RuleSet, expected: number | null, changes: RuleChange[]): Promise<void>;
  history(ruleId: string): Promise<RuleChange[]>;
}

/** An evaluated item and its decision, as recorded for the preview and the review queues. */
export const EvaluationRecordSchema = z.object({
  item: FlagItemSchema,
  decision: DecisionSchema,
  at: z.string(),
  /** Where the item came from (capture pipeline, demo seed, tip, API). */
  source: z.string().max(100),
  /** The province it was captured or submitted in; absent for items evaluated without one (the CLI). */
  province: ProvinceCodeSchema.optional(),
  /** Where its evidence is and whose target it came from: what a re-evaluation opens a case with. */
  context: z
    .object({
      captureId: z.string().optional(),
      pageNo: z.number().int().optional(),
      partyId: z.string().optional(),
      /** The staff member who submitted it: a case a re-evaluation opens is theirs, not "demo data". */
      by: ActorRefSchema.optional(),
    })
    .optional(),
  /** The last re-evaluation after a rule change (`at` stays the time it was seen). */
  reevaluatedAt: z.string().optional(),
});
export type EvaluationRecord = z.infer<typeof EvaluationRecordSchema>;

export const EvaluationScopeSchema = z.union([AgencyCodeSchema, z.literal("none")]);
export type EvaluationScope = z.infer<typeof EvaluationScopeSchema>;

export interface EvaluationRepository {
  /** Records the latest evaluation of an item (a re-evaluation replaces the previous one). */
  record(record: EvaluationRecord): Promise<void>;
  get(itemId: string): Promise<EvaluationRecord | null>;
  /**
   * Newest first: of one agency's flags ("none": not flagged), or of every item when scope is omitted;
   * with `province`, only the items evaluated in that province.
   */
  latest(query: {
    scope?: EvaluationScope | undefined;
    province?: string | undefined;
    limit: number;
  }): Promise<EvaluationRecord[]>;
  /** Every item seen at or after `since` (ISO), newest first, a page at a time: the re-evaluation's. */
  seenSince(
    since: string,
    cursor: string | undefined,
    limit: number,
  ): Promise<{ records: EvaluationRecord[]; cursor?: string }>;
  /** The re-evaluation runs, one per rule-set version (./reevaluation.ts). */
  /** Writes a run if its stored page count is still `expectedPages` (null: a new run); ConflictError otherwise. */
  putRun(run: ReevaluationRun, expectedPages: number | null): Promise<void>;
  getRun(ruleSetVersion: number): Promise<ReevaluationRun | null>;
  latestRun(): Promise<ReevaluationRun | null>;
}

/** One re-evaluation after a rule change: its window, where it is, and what it found so far. */
export const ReevaluationRunSchema = z.object({
  ruleSetVersion: z.number().int(),
  /** Items seen since then are re-evaluated. */
  since: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  state: z.enum(["running", "done", "superseded"]),
  /** The page the next task reads (absent before the first page). */
  cursor: z.string().optional(),
  /** The number of pages done: a redelivered page task finds its page already counted. */
  pages: z.number().int(),
  seen: z.number().int(),
  changed: z.number().int(),
  newlyFlagged: z.number().int(),
  noLongerFlagged: z.number().int(),
  by: ActorRefSchema,
});
export type ReevaluationRun = z.infer<typeof ReevaluationRunSchema>;

/** The engine, compiled once per rule-set version (packages/rules implements it). */
export interface RuleEvaluator {
  version: number;
  evaluate(item: FlagItem): Decision;
  /** The catalogue entry the item's title names (the price rules' reference), if any. */
  referencePrice(item: FlagItem): ReferencePrice | null;
}
export type RuleCompiler = (ruleSet: RuleSet) => RuleEvaluator;
