import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import {
  DecisionSchema,
  EvaluationRecordSchema,
  EvaluationScopeSchema,
  FlagItemSchema,
  InvalidError,
  PREVIEW_DEFAULT,
  PREVIEW_MAX,
  ReferencePriceSchema,
  RuleChangeSchema,
  RuleSchema,
  RuleSetSchema,
} from "@pledgewatch/core";
import type { AppEnv, WebDeps } from "../env";
import { principalOf, requires } from "../middleware";
import { conflictError, jsonContent, LangQuery, protectedErrors, SECURITY, validationError } from "./common";

const RuleId = z.object({ id: z.string().min(1).max(64).openapi({ example: "counterfeit.slang" }) });
const Saved = z.object({ rule: RuleSchema, ruleSetVersion: z.number().int() }).openapi("SavedRule");
const ReasonOrNull = DecisionSchema.shape.reasons.element.nullable();
const PreviewSchema = z
  .object({
    ruleId: z.string(),
    tried: z.number().int(),
    firesNow: z.number().int(),
    firesAfter: z.number().int(),
    newlyFlagged: z.number().int(),
    noLongerFlagged: z.number().int(),
    rows: z.array(
      z.object({
        item: FlagItemSchema,
        now: ReasonOrNull,
        after: ReasonOrNull,
        flaggedNow: z.boolean(),
        flaggedAfter: z.boolean(),
      }),
    ),
  })
  .openapi("RulePreview");

/** The flagging API: rules, the reference price catalogue, evaluations. */
export function registerRulesApi(app: OpenAPIHono<AppEnv>, deps: WebDeps) {
  registerRuleRoutes(app, deps);
  registerPriceAndEvaluationRoutes(app, deps);
}

/** The rule set, one rule read, written and previewed against recent items. */
function registerRuleRoutes(app: OpenAPIHono<AppEnv>, deps: WebDeps) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/rules",
      tags: ["Flagging rules"],
      summary: "The current rule set (rules and reference price catalogue), seeded on first use",
      description: "The same JSON is accepted by `npx pledgewatch flag --rules file.json`.",
      security: SECURITY,
      middleware: [requires("rules.read")] as const,
      responses: {
        200: { description: "The rule set", content: jsonContent(RuleSetSchema) },
        ...protectedErrors,
      },
    }),
    async (c) => c.json(await deps.flagging.ruleSet(principalOf(c)), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/v1/rules",
      tags: ["Flagging rules"],
      summary: "Add a rule (leads of the rule's agency, admins); takes effect on the next evaluation",
      security: SECURITY,
      middleware: [requires("rules.write")] as const,
      request: { body: { required: true, content: jsonContent(z.object({ rule: z.unknown() })) } },
      responses: {
        201: {
          description: "Created: version 1 of the rule in a new rule-set version",
          content: jsonContent(Saved),
        },
        ...validationError,
        ...protectedErrors,
        ...conflictError,
      },
    }),
    async (c) => c.json(await deps.flagging.saveRule(principalOf(c), c.req.valid("json").rule, 0), 201),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/rules/{id}",
      tags: ["Flagging rules"],
      summary: "One rule with its full change history",
      security: SECURITY,
      middleware: [requires("rules.read")] as const,
      request: { params: RuleId },
      responses: {
        200: {
          description: "The rule",
          content: jsonContent(
            z.object({
              rule: RuleSchema,
              ruleSetVersion: z.number().int(),
              editable: z.boolean(),
              history: z.array(RuleChangeSchema),
            }),
          ),
        },
        404: { description: "No such rule" },
        ...protectedErrors,
      },
    }),
    async (c) => {
      const principal = principalOf(c);
      const found = await deps.flagging.getRule(principal, c.req.valid("param").id);
      return c.json({ ...found, editable: deps.flagging.canEdit(principal, found.rule.agency) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/api/v1/rules/{id}",
      tags: ["Flagging rules"],
      summary: "Change a rule (leads of its agency, admins); takes effect on the next evaluation",
      description:
        "`expectedVersion` is the rule version the change was made from: if someone saved in between, the answer is 409 and nothing is written.",
      security: SECURITY,
      middleware: [requires("rules.write")] as const,
      request: {
        params: RuleId,
        body: {
          required: true,
          content: jsonContent(z.object({ rule: z.unknown(), expectedVersion: z.number().int().min(1) })),
        },
      },
      responses: {
        200: { description: "Saved as the next version", content: jsonContent(Saved) },
        404: { description: "No such rule" },
        ...validationError,
        ...protectedErrors,
        ...conflictError,
      },
    }),
    async (c) => {
      const { rule, expectedVersion } = c.req.valid("json");
      const id = c.req.valid("param").id;
      if ((rule as { id?: unknown } | null)?.id !== id) {
        throw new InvalidError("Invalid rule", [
          { field: "rule.id", message: `must be "${id}" (the rule in the path)` },
        ]);
      }
      return c.json(await deps.flagging.saveRule(principalOf(c), rule, expectedVersion), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/v1/rules/{id}/preview",
      tags: ["Flagging rules"],
      summary: "Try a rule (changed or not) on the last N recorded captures; nothing is saved",
      security: SECURITY,
      middleware: [requires("rules.read")] as const,
      request: {
        params: RuleId,
        body: {
          required: true,
          content: jsonContent(
            z.object({
              rule: z
                .unknown()
                .optional()
                .openapi({ description: "The candidate rule; the current one when omitted" }),
              limit: z.number().int().min(1).max(PREVIEW_MAX).default(PREVIEW_DEFAULT),
            }),
          ),
        },
      },
      responses: {
        200: { description: "What the rule does now and would do", content: jsonContent(PreviewSchema) },
        404: { description: "No such rule" },
        ...validationError,
        ...protectedErrors,
      },
    }),
    async (c) => {
      const principal = principalOf(c);
      const { rule, limit } = c.req.valid("json");
      const candidate = rule ?? (await deps.flagging.getRule(principal, c.req.valid("param").id)).rule;
      return c.json(await deps.flagging.preview(principal, candidate, limit), 200);
    },
  );
}

/** The reference price catalogue and the evaluations of items (read, or one item sent to evaluation). */
function registerPriceAndEvaluationRoutes(app: OpenAPIHono<AppEnv>, deps: WebDeps) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/reference-prices",
      tags: ["Flagging rules"],
      summary: "The reference price catalogue used by the price rules",
      security: SECURITY,
      middleware: [requires("rules.read")] as const,
      responses: {
        200: {
          description: "The catalogue",
          content: jsonContent(
            z.object({ ruleSetVersion: z.number().int(), items: z.array(ReferencePriceSchema) }),
          ),
        },
        ...protectedErrors,
      },
    }),
    async (c) => {
      const set = await deps.flagging.ruleSet(principalOf(c));
      return c.json({ ruleSetVersion: set.version, items: set.catalogue }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/api/v1/reference-prices",
      tags: ["Flagging rules"],
      summary: "Replace the reference price catalogue (leads of the price rules' agency, admins)",
      description:
        "`expectedRuleSetVersion` is the rule-set version the catalogue was read at: a save in between gives 409.",
      security: SECURITY,
      middleware: [requires("rules.write")] as const,
      request: {
        body: {
          required: true,
          content: jsonContent(
            z.object({ items: z.array(z.unknown()), expectedRuleSetVersion: z.number().int().min(1) }),
          ),
        },
      },
      responses: {
        200: {
          description: "Saved as the next rule-set version",
          content: jsonContent(
            z.object({ ruleSetVersion: z.number().int(), items: z.array(ReferencePriceSchema) }),
          ),
        },
        ...validationError,
        ...protectedErrors,
        ...conflictError,
      },
    }),
    async (c) => {
      const { items, expectedRuleSetVersion } = c.req.valid("json");
      const saved = await deps.flagging.saveCatalogue(principalOf(c), items, expectedRuleSetVersion);
      return c.json({ ruleSetVersion: saved.ruleSetVersion, items: saved.catalogue }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/evaluations",
      tags: ["Flagging rules"],
      summary: "Recently evaluated captures with their decisions, newest first",
      security: SECURITY,
      middleware: [requires("evaluations.read")] as const,
      request: {
        query: z.strictObject({
          agency: EvaluationScopeSchema.optional().openapi({
            description: "Flags of one agency; `none`: not flagged",
          }),
          limit: z.coerce.number().int().min(1).max(200).default(50),
          ...LangQuery,
        }),
      },
      responses: {
        200: {
          description: "Evaluations",
          content: jsonContent(z.object({ items: z.array(EvaluationRecordSchema) })),
        },
        ...validationError,
        ...protectedErrors,
      },
    }),
    async (c) => {
      const { agency, limit } = c.req.valid("query");
      return c.json(
        { items: await deps.flagging.latestEvaluations(principalOf(c), { scope: agency, limit }) },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/v1/evaluations",
      tags: ["Flagging rules"],
      summary:
        "Evaluate one item with the current rules and record it (what the capture pipeline does); a flagged item opens or joins its review case in the caller's province",
      security: SECURITY,
      middleware: [requires("evaluations.submit")] as const,
      request: { body: { required: true, content: jsonContent(z.object({ item: z.unknown() })) } },
      responses: {
        200: { description: "The decision", content: jsonContent(DecisionSchema) },
        ...validationError,
        ...protectedErrors,
      },
    }),
    async (c) => {
      const actor = principalOf(c);
      const context = { province: actor.province, by: { staffId: actor.staffId, name: actor.name } };
      return c.json(
        await deps.flagging.evaluateItem(c.req.valid("json").item, { source: "api", context }),
        200,
      );
    },
  );
}
