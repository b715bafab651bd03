import { z } from "zod";
import { ConflictError, ForbiddenError, InvalidError } from "../errors";
import { DecisionSchema, FlagItemSchema } from "../flagging/model";
import type { EvaluatedItem } from "../flagging/service";
import { fieldIssues } from "../input";
import type { ActorRef } from "../parties/model";
import type { Clock } from "../ports";
import { AgencyCodeSchema } from "../reference/agencies";
import { ProvinceCodeSchema } from "../reference/provinces";
import { applySteps, toEntry } from "./log";
import { type Case, type CaseSource, CaseSourceSchema, RoutingRuleSchema, SYSTEM_ACTOR } from "./model";
import type { CasePartyLookup, CaseRepository } from "./ports";
import { priorityKey } from "./priority";
import { routeCase } from "./routing";

/** What any source (capture pipeline, submitted evaluation, public tip, seed) hands to intake. */
export const IntakeInputSchema = z.object({
  item: FlagItemSchema,
  evaluation: DecisionSchema,
  source: CaseSourceSchema,
  /** The province whose office reviews it: the crawl target's, the submitter's, the tip form's. */
  province: ProvinceCodeSchema,
  captureId: z.string().optional(),
  pageNo: z.number().int().optional(),
  /** The registered party a watched target belongs to, when known. */
  partyId: z.string().optional(),
  /**
   * The queue of an item the rules do not flag (a tip: by what the tipster chose). Ignored when the
   * evaluation flags the item: the rules' reasons route it then, as any flag.
   */
  route: z.object({ agency: AgencyCodeSchema, rule: RoutingRuleSchema }).optional(),
});
export type IntakeInput = z.infer<typeof IntakeInputSchema>;

export interface IntakeResult {
  case: Case;
  /** False when the flag merged into the item's existing case. */
  created: boolean;
}

export type CaseIntake = (input: unknown) => Promise<IntakeResult | null>;

export interface CaseIntakeDeps {
  cases: CaseRepository;
  parties: CasePartyLookup;
  clock: Clock;
}

/** Concurrent flags of one item (two capture workers) retry on the version conflict this many times. */
const ATTEMPTS = 5;

function actorOf(source: CaseSource): ActorRef {
  return source.kind === "evaluation" ? source.by : SYSTEM_ACTOR;
}

/**
 * Opens a case for a flagged item, or merges the flag into the item's case (one case per item, each
 * merge appended to its log). Tips open a case even when the rules do not flag the item: a person
 * reported it. Returns null for an unflagged item from any other source.
 */
export function createCaseIntake(deps: CaseIntakeDeps): CaseIntake {
  async function open(input: IntakeInput, at: string): Promise<Case> {
    const { item, evaluation, source } = input;
    const route = !evaluation.flagged && input.route ? input.route : routeCase(item, evaluation);
    const party = await deps.parties.find({
      partyId: input.partyId,
      seller: item.seller,
      platform: item.platform,
      province: input.province,
    });
    const ruleIds = [...new Set(evaluation.reasons.map((r) => r.rule))];
    const created: Case = {
      id: item.id,
      item,
      evaluation,
      agency: route.agency,
      routedBy: route.rule,
      province: input.province,
      ruleIds,
      ...(party ? { party } : {}),
      ...(input.captureId ? { captureId: input.captureId } : {}),
      ...(input.pageNo !== undefined ? { pageNo: input.pageNo } : {}),
      state: "open",
      priorityKey: priorityKey(at, evaluation.score, party?.pledge !== undefined),
      flags: source.kind === "tip" ? 0 : 1,
      tips: source.kind === "tip" ? 1 : 0,
      openedAt: at,
      lastFlaggedAt: at,
      updatedAt: at,
      version: 1,
    };
    const entry = toEntry(created, 1, 0, actorOf(source), at, null, {
      event: {
        type: "opened",
        source,
        score: evaluation.score,
        ruleIds,
        agency: route.agency,
        routedBy: route.rule,
      },
    });
    await deps.cases.create(created, [entry]);
    return created;
  }

  async function merge(current: Case, input: IntakeInput, at: string): Promise<Case> {
    const { evaluation, source } = input;
    const ruleIds = [...new Set(evaluation.reasons.map((r) => r.rule))];
    const { next, entries } = applySteps(
      current,
      actorOf(source),
      at,
      [{ event: { type: "merged", source, score: evaluation.score, ruleIds } }],
      ({ unflagged: _cleared, ...c }) => ({
        ...c,
        // The item a case was opened with is evidence: a staff submission adds its flag, never its item.
        item: source.kind === "evaluation" ? c.item : input.item,
        evaluation: evaluation.reasons.length > 0 ? evaluation : c.evaluation,
        ruleIds: [...new Set([...c.ruleIds, ...ruleIds])],
        ...(input.captureId ? { captureId: input.captureId, pageNo: input.pageNo } : {}),
        flags: c.flags + (source.kind === "tip" ? 0 : 1),
        tips: c.tips + (source.kind === "tip" ? 1 : 0),
        lastFlaggedAt: at,
      }),
    );
    await deps.cases.update(next, current.version, entries);
    return next;
  }

  return async function intake(raw: unknown): Promise<IntakeResult | null> {
    const parsed = IntakeInputSchema.safeParse(raw);
    if (!parsed.success) {
      throw new InvalidError("Invalid intake", fieldIssues(parsed.error));
    }
    const input = parsed.data;
    if (!input.evaluation.flagged && input.source.kind !== "tip") return null;
    for (let attempt = 1; ; attempt++) {
      const at = deps.clock.now().toISOString();
      try {
        const current = await deps.cases.get(input.item.id);
        // A staff member's submission joins a case of their own province only: an item id cannot reach
        // into another office's case.
        if (current && input.source.kind === "evaluation" && current.province !== input.province) {
          throw new ForbiddenError("This item belongs to a case of another province");
        }
        if (current) return { case: await merge(current, input, at), created: false };
        return { case: await open(input, at), created: true };
      } catch (error) {
        if (!(error instanceof ConflictError) || attempt >= ATTEMPTS) throw error;
      }
    }
  };
}

/**
 * Flagging's `onEvaluated`: every evaluation recorded with a context opens or joins its item's case. The
 * case's source follows who brought the item: staff through the API, the capture pipeline, or demo data.
 */
export function caseIntakeOfEvaluations(intake: CaseIntake) {
  return ({ item, decision, context }: EvaluatedItem) => {
    const source: CaseSource = context.by
      ? { kind: "evaluation", by: context.by }
      : context.captureId
        ? { kind: "capture", captureId: context.captureId }
        : { kind: "seed" };
    return intake({
      item,
      evaluation: decision,
      source,
      province: context.province,
      captureId: context.captureId,
      pageNo: context.pageNo,
      partyId: context.partyId,
    });
  };
}
