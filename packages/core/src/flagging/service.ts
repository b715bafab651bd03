import { authorize, can } from "../auth/policy";
import type { Principal } from "../auth/roles";
import { ConflictError, ForbiddenError, InvalidError, NotFoundError } from "../errors";
import { fieldIssues } from "../input";
import type { ActorRef } from "../parties/model";
import type { Clock } from "../ports";
import type { AgencyCode } from "../reference/agencies";
import {
  type Decision,
  type FlagItem,
  FlagItemSchema,
  type ReferencePrice,
  ReferencePriceSchema,
  type Rule,
  RuleSchema,
  type RuleSet,
  RuleSetSchema,
} from "./model";
import type {
  EvaluationRecord,
  EvaluationRepository,
  EvaluationScope,
  RuleChange,
  RuleCompiler,
  RuleEvaluator,
  RuleRepository,
} from "./ports";
import type { WatchlistEntry } from "./watchlist";

/**
 * The background task that evaluates one captured item (payload `{ item, source? }`): what the capture
 * pipeline enqueues when it prefers a queue to a direct call. Run by `platform.handleTask`.
 */
export const FLAG_ITEM_TASK = "flagging.evaluate-item";

export const PREVIEW_DEFAULT = 200;
export const PREVIEW_MAX = 1_000;

export interface PreviewRow {
  item: FlagItem;
  /** The rule's reason on this item with the current rule and with the candidate (null: does not fire). */
  now: Decision["reasons"][number] | null;
  after: Decision["reasons"][number] | null;
  flaggedNow: boolean;
  flaggedAfter: boolean;
}

export interface RulePreview {
  ruleId: string;
  /** How many recorded items were tried. */
  tried: number;
  firesNow: number;
  firesAfter: number;
  newlyFlagged: number;
  noLongerFlagged: number;
  /** Items where the rule fires before or after, newest first. */
  rows: PreviewRow[];
}

export interface FlaggingDeps {
  rules: RuleRepository;
  evaluations: EvaluationRepository;
  compile: RuleCompiler;
  /** The rule set written on first use (packages/rules' seed). */
  seed: () => RuleSet;
  clock: Clock;
  /** Called with every recorded evaluation that has a context: the review's case intake (issue 8). */
  onEvaluated?: ((evaluated: EvaluatedItem) => Promise<unknown>) | undefined;
  /** Called after a rule or the catalogue is saved as a new version: the re-evaluation starts. */
  onRuleSetSaved?: ((ruleSetVersion: number, by: ActorRef) => Promise<unknown>) | undefined;
}

/** Where an evaluated item belongs, for the review queues: who reviews it and what evidence it has. */
export interface EvaluationContext {
  province: string;
  captureId?: string | undefined;
  pageNo?: number | undefined;
  /** The party of the crawl target it was captured from. */
  partyId?: string | undefined;
  /** The staff member who submitted it (API submissions). */
  by?: ActorRef | undefined;
}

export interface EvaluatedItem {
  item: FlagItem;
  decision: Decision;
  context: EvaluationContext;
}

const SEEDER = { staffId: "seed", name: "Bộ quy tắc mẫu" };

/** What of an evaluation's context is kept with it, for a later re-evaluation to open a case with. */
function recordContext(context: EvaluationContext): NonNullable<EvaluationRecord["context"]> {
  return {
    ...(context.captureId ? { captureId: context.captureId } : {}),
    ...(context.pageNo !== undefined ? { pageNo: context.pageNo } : {}),
    ...(context.partyId ? { partyId: context.partyId } : {}),
    ...(context.by ? { by: context.by } : {}),
  };
}

/**
 * Rules as data, evaluated with the current version. Every evaluation first reads the current version
 * number (one small item); only when it changed is the rule set loaded and compiled again, so a rule
 * saved in the console applies to the very next evaluation, on every Lambda, without a deploy.
 */
/** Evaluation, the part of the flagging service every captured item goes through: the compiled current rule set (seeded on first use), one item evaluated, its reference price, the rules' titles. */
function evaluationSteps(deps: FlaggingDeps) {
  let compiled: { ruleSet: RuleSet; evaluator: RuleEvaluator } | null = null;
  let compiling: Promise<{ ruleSet: RuleSet; evaluator: RuleEvaluator }> | null = null;

  async function seedIfEmpty(): Promise<void> {
    const seed = RuleSetSchema.parse(deps.seed());
    const at = deps.clock.now().toISOString();
    const ruleSet: RuleSet = { ...seed, version: 1, updatedAt: at };
    const changes: RuleChange[] = ruleSet.rules.map((rule) => ({
      ruleId: rule.id,
      ruleVersion: rule.version,
      ruleSetVersion: 1,
      at,
      by: SEEDER,
      action: "seeded",
      before: null,
      after: rule,
    }));
    try {
      await deps.rules.save(ruleSet, null, changes);
    } catch (error) {
      // Seeded concurrently by another instance: theirs is as good as ours.
      if (!(error instanceof ConflictError)) throw error;
    }
  }

  /** The compiled current rule set (seeded on first use). */
  async function current(): Promise<{ ruleSet: RuleSet; evaluator: RuleEvaluator }> {
    let version = await deps.rules.currentVersion();
    if (version === null) {
      await seedIfEmpty();
      version = await deps.rules.currentVersion();
    }
    if (compiled && compiled.ruleSet.version === version) return compiled;
    compiling ??= (async () => {
      try {
        const ruleSet = await deps.rules.load();
        if (!ruleSet) throw new Error("rule set missing after seeding");
        compiled = { ruleSet, evaluator: deps.compile(ruleSet) };
        return compiled;
      } finally {
        compiling = null;
      }
    })();
    return compiling;
  }

  function parseItem(input: unknown): FlagItem {
    const parsed = FlagItemSchema.safeParse(input);
    if (!parsed.success) {
      throw new InvalidError("Invalid item", fieldIssues(parsed.error));
    }
    return parsed.data;
  }

  async function evaluate(input: unknown): Promise<Decision> {
    const item = parseItem(input);
    return (await current()).evaluator.evaluate(item);
  }

  /**
   * What the capture pipeline calls for each captured item: evaluates it with the current rules and
   * records the item with its decision (the latest evaluation of an item replaces the previous one).
   */
  async function evaluateItem(
    input: unknown,
    options: { source?: string; context?: EvaluationContext } = {},
  ): Promise<Decision> {
    const item = parseItem(input);
    const decision = (await current()).evaluator.evaluate(item);
    await deps.evaluations.record({
      item,
      decision,
      at: deps.clock.now().toISOString(),
      source: options.source ?? "capture",
      ...(options.context?.province ? { province: options.context.province } : {}),
      ...(options.context ? { context: recordContext(options.context) } : {}),
    });
    // A flagged item opens or joins its review case; without a context (CLI, demo) it is only recorded.
    if (options.context && deps.onEvaluated)
      await deps.onEvaluated({ item, decision, context: options.context });
    return decision;
  }

  /** The reference price the item's title names (the evidence view's "price against the reference"). */
  async function referencePrice(item: FlagItem): Promise<ReferencePrice | null> {
    return (await current()).evaluator.referencePrice(item);
  }

  /**
   * Each rule's title by id, for pages that name the rules behind a flag (queue, case, metrics): a
   * rule's name is not confidential, so no permission is checked. A rule since removed is absent.
   */
  async function ruleTitles(): Promise<ReadonlyMap<string, string>> {
    return new Map((await current()).ruleSet.rules.map((r) => [r.id, r.title]));
  }

  return { current, evaluate, evaluateItem, referencePrice, ruleTitles };
}

export function createFlaggingService(deps: FlaggingDeps) {
  const { current, evaluate, evaluateItem, referencePrice, ruleTitles } = evaluationSteps(deps);

  async function ruleSet(actor: Principal): Promise<RuleSet> {
    authorize(actor, "rules.read");
    return (await current()).ruleSet;
  }

  async function getRule(
    actor: Principal,
    id: string,
  ): Promise<{ rule: Rule; ruleSetVersion: number; history: RuleChange[] }> {
    authorize(actor, "rules.read");
    const set = (await current()).ruleSet;
    const rule = set.rules.find((r) => r.id === id);
    if (!rule) throw new NotFoundError(`No rule ${id}`);
    return { rule, ruleSetVersion: set.version, history: await deps.rules.history(id) };
  }

  function parseRule(input: unknown): Rule {
    const parsed = RuleSchema.safeParse(input);
    if (!parsed.success) {
      throw new InvalidError("Invalid rule", fieldIssues(parsed.error));
    }
    return parsed.data;
  }

  /** May this person edit rules of this agency? Leads of the owning agency and admins. */
  function canEdit(actor: Principal, agency: AgencyCode): boolean {
    return can(actor, "rules.write", { agency });
  }

  /**
   * Saves a new or changed rule as a new rule-set version. `expectedVersion` is the rule's version the
   * editor saw (0 for a new rule): someone else's save in between is a ConflictError, never overwritten.
   */
  async function saveRule(
    actor: Principal,
    input: unknown,
    expectedVersion: number,
  ): Promise<{ rule: Rule; ruleSetVersion: number }> {
    authorize(actor, "rules.write");
    const candidate = parseRule(input);
    // Only a file load says where a watchlist came from (loadWatchlist); an edit makes it the editor's.
    if (candidate.kind === "product-watch") delete candidate.source;
    return store(actor, candidate, expectedVersion);
  }

  async function store(
    actor: Principal,
    candidate: Rule,
    expectedVersion: number,
  ): Promise<{ rule: Rule; ruleSetVersion: number }> {
    authorize(actor, "rules.write");
    const { ruleSet: set } = await current();
    const before = set.rules.find((r) => r.id === candidate.id) ?? null;
    if (before === null && expectedVersion !== 0) throw new NotFoundError(`No rule ${candidate.id}`);
    if (before !== null && expectedVersion === 0)
      throw new ConflictError(`A rule ${candidate.id} already exists`);
    if (before && before.version !== expectedVersion) {
      throw new ConflictError(`Rule ${candidate.id} was changed meanwhile (now version ${before.version})`);
    }
    authorize(actor, "rules.write", { agency: candidate.agency });
    if (before) {
      authorize(actor, "rules.write", { agency: before.agency });
      // Moving a rule to another agency is an admin's decision.
      if (before.agency !== candidate.agency && actor.role !== "admin") {
        throw new ForbiddenError(
          `Only admins move rules between agencies (${before.agency} → ${candidate.agency})`,
        );
      }
    }
    const at = deps.clock.now().toISOString();
    const by = { staffId: actor.staffId, name: actor.name };
    const rule: Rule = {
      ...candidate,
      version: (before?.version ?? 0) + 1,
      updatedAt: at,
      updatedBy: actor.name,
    };
    const next: RuleSet = RuleSetSchema.parse({
      ...set,
      version: set.version + 1,
      updatedAt: at,
      rules: before ? set.rules.map((r) => (r.id === rule.id ? rule : r)) : [...set.rules, rule],
    });
    await deps.rules.save(next, set.version, [
      {
        ruleId: rule.id,
        ruleVersion: rule.version,
        ruleSetVersion: next.version,
        at,
        by,
        action: before ? "updated" : "created",
        before,
        after: rule,
      },
    ]);
    await deps.onRuleSetSaved?.(next.version, by);
    return { rule, ruleSetVersion: next.version };
  }

  /**
   * A product watchlist's entries replaced by a list read from a regulator's file: a new version of the
   * rule, with the file's name, its rows, who and when, through the same checks, history and
   * re-evaluation as any edit.
   */
  async function loadWatchlist(
    actor: Principal,
    ruleId: string,
    list: { entries: WatchlistEntry[]; file: string; rows: number },
    expectedVersion: number,
  ): Promise<{ rule: Rule; ruleSetVersion: number }> {
    authorize(actor, "rules.write");
    const { ruleSet: set } = await current();
    const rule = set.rules.find((r) => r.id === ruleId);
    if (!rule) throw new NotFoundError(`No rule ${ruleId}`);
    if (rule.kind !== "product-watch") {
      throw new InvalidError("Not a product watchlist", [
        { field: "kind", message: `rule ${ruleId} is a ${rule.kind} rule, not a product-watch` },
      ]);
    }
    const source = {
      file: list.file.normalize("NFC").slice(0, 200) || "watchlist",
      rows: list.rows,
      loadedAt: deps.clock.now().toISOString(),
      loadedBy: actor.name,
    };
    return store(actor, parseRule({ ...rule, entries: list.entries, source }), expectedVersion);
  }

  /**
   * "Try this rule on the last N captures": the recorded items, evaluated with the current rule set and
   * with the candidate rule in place of the current one; nothing is saved.
   */
  async function preview(actor: Principal, input: unknown, limit = PREVIEW_DEFAULT): Promise<RulePreview> {
    authorize(actor, "rules.read");
    const candidate = parseRule(input);
    const { ruleSet: set, evaluator } = await current();
    const exists = set.rules.some((r) => r.id === candidate.id);
    const trial = deps.compile({
      ...set,
      rules: exists
        ? set.rules.map((r) => (r.id === candidate.id ? candidate : r))
        : [...set.rules, candidate],
    });
    // A rule is tried on the items of the editor's province (every province for an admin).
    const records = await deps.evaluations.latest({
      limit: Math.max(1, Math.min(limit, PREVIEW_MAX)),
      ...(actor.role === "admin" ? {} : { province: actor.province }),
    });
    const result: RulePreview = {
      ruleId: candidate.id,
      tried: records.length,
      firesNow: 0,
      firesAfter: 0,
      newlyFlagged: 0,
      noLongerFlagged: 0,
      rows: [],
    };
    for (const { item } of records) {
      const before = evaluator.evaluate(item);
      const after = trial.evaluate(item);
      const now = before.reasons.find((r) => r.rule === candidate.id) ?? null;
      const then = after.reasons.find((r) => r.rule === candidate.id) ?? null;
      if (now) result.firesNow++;
      if (then) result.firesAfter++;
      if (!before.flagged && after.flagged) result.newlyFlagged++;
      if (before.flagged && !after.flagged) result.noLongerFlagged++;
      if (now || then || before.flagged !== after.flagged) {
        result.rows.push({ item, now, after: then, flaggedNow: before.flagged, flaggedAfter: after.flagged });
      }
    }
    return result;
  }

  /**
   * Replaces the reference price catalogue as a new rule-set version. The catalogue serves the price
   * rules, so whoever may edit every price rule may edit it (leads of their agency, admins).
   */
  async function saveCatalogue(
    actor: Principal,
    input: unknown,
    expectedRuleSetVersion: number,
  ): Promise<{ catalogue: ReferencePrice[]; ruleSetVersion: number }> {
    authorize(actor, "rules.write");
    const { ruleSet: set } = await current();
    const owners = [...new Set(set.rules.filter((r) => r.kind === "price").map((r) => r.agency))];
    if (owners.length === 0 && actor.role !== "admin")
      throw new ForbiddenError("No price rule: only admins edit the catalogue");
    for (const agency of owners) authorize(actor, "rules.write", { agency });
    const parsed = ReferencePriceSchema.array().max(10_000).safeParse(input);
    if (!parsed.success) {
      throw new InvalidError("Invalid catalogue", fieldIssues(parsed.error));
    }
    const ids = new Set<string>();
    for (const [i, entry] of parsed.data.entries()) {
      if (ids.has(entry.id))
        throw new InvalidError("Invalid catalogue", [{ field: `${i}.id`, message: "duplicate id" }]);
      ids.add(entry.id);
    }
    if (set.version !== expectedRuleSetVersion) {
      throw new ConflictError(`The rule set changed meanwhile (now version ${set.version})`);
    }
    const next: RuleSet = {
      ...set,
      version: set.version + 1,
      updatedAt: deps.clock.now().toISOString(),
      catalogue: parsed.data,
    };
    await deps.rules.save(next, set.version, []);
    await deps.onRuleSetSaved?.(next.version, { staffId: actor.staffId, name: actor.name });
    return { catalogue: next.catalogue, ruleSetVersion: next.version };
  }

  /**
   * The latest evaluations a caller may read: an admin every scope; other staff their own agency's flags
   * (the default) or the unflagged items ("none"), of their own province only.
   */
  async function latestEvaluations(
    actor: Principal,
    query: { scope?: EvaluationScope | undefined; limit: number },
  ): Promise<EvaluationRecord[]> {
    authorize(actor, "evaluations.read");
    if (actor.role === "admin") return deps.evaluations.latest(query);
    const scope = query.scope ?? actor.agency;
    if (scope !== actor.agency && scope !== "none") {
      throw new ForbiddenError("Evaluations of another agency");
    }
    return deps.evaluations.latest({ scope, province: actor.province, limit: query.limit });
  }

  return {
    current,
    evaluate,
    evaluateItem,
    referencePrice,
    ruleTitles,
    ruleSet,
    getRule,
    saveRule,
    loadWatchlist,
    saveCatalogue,
    preview,
    canEdit,
    latestEvaluations,
  };
}

export type FlaggingService = ReturnType<typeof createFlaggingService>;
