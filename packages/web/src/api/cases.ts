import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import {
  ApprovalInputSchema,
  BulkDismissSchema,
  CaseLogEntrySchema,
  CaseSchema,
  DecisionInputSchema,
  QueueFilterSchema,
  TakedownRequestSchema,
} from "@pledgewatch/core";
import type { AppEnv, WebDeps } from "../env";
import { attachment, exportCases } from "../files";
import { principalOf, requires } from "../middleware";
import { artefactResponse } from "../routes/monitoring";
import {
  conflictError,
  FormatQuery,
  fileResponse,
  jsonBody,
  jsonResponse,
  LangQuery,
  protectedErrors,
  SECURITY,
  validationError,
  withoutLang,
} from "./common";

const Case = z.object(CaseSchema.shape).openapi("Case");
const LogEntry = z.object(CaseLogEntrySchema.shape).openapi("CaseLogEntry");
const Takedown = z.object(TakedownRequestSchema.shape).openapi("TakedownRequest");
const IdParam = z.object({ id: z.string().min(1).max(200) });
const notFound = { 404: { description: "No such case in the caller's agency and province" } } as const;
const caseAction = {
  200: jsonResponse(Case, "The case after the action"),
  ...notFound,
  ...validationError,
  ...protectedErrors,
  409: {
    description:
      "Someone else decided or claimed the case first (details: who, what, when), or its state does not allow this",
    content: conflictError[409].content,
  },
} as const;
const Reason = z.strictObject({ reason: z.string().trim().min(1).max(2_000) });

/** Review queues and cases (issue 8). Every route checks the case's agency and province. */
export function registerCasesApi(app: OpenAPIHono<AppEnv>, deps: WebDeps) {
  const post = (
    path: string,
    summary: string,
    action: "cases.work" | "cases.assign" | "cases.approve",
    schema: z.ZodType,
    run: (c: { actor: ReturnType<typeof principalOf>; id: string; input: never }) => Promise<unknown>,
  ) =>
    app.openapi(
      createRoute({
        method: "post",
        path: `/api/v1/cases/{id}/${path}`,
        tags: ["Review"],
        summary,
        security: SECURITY,
        middleware: [requires(action)] as const,
        request: { params: IdParam, ...jsonBody(schema) },
        responses: caseAction,
      }),
      async (c) => {
        const result = await run({
          actor: principalOf(c),
          id: c.req.valid("param").id,
          input: c.req.valid("json") as never,
        });
        return c.json(result as z.infer<typeof Case>, 200);
      },
    );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/cases",
      tags: ["Review"],
      summary: "The caller's review queue (agency × province × state), highest priority first",
      security: SECURITY,
      middleware: [requires("cases.read")] as const,
      request: { query: QueueFilterSchema.extend(LangQuery) },
      responses: {
        200: jsonResponse(z.object({ items: z.array(Case), next: z.string().optional() }), "Cases"),
        ...validationError,
        ...protectedErrors,
      },
    }),
    async (c) => {
      const page = await deps.review.queue(principalOf(c), withoutLang(c.req.valid("query")));
      return c.json({ items: page.cases, ...(page.cursor ? { next: page.cursor } : {}) }, 200);
    },
  );

  // Before /api/v1/cases/{id}, which would take "export" for an id.
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/cases/export",
      tags: ["Review"],
      summary: "The caller's queue, every page of it, as XLSX or CSV (issue 21)",
      security: SECURITY,
      middleware: [requires("cases.read")] as const,
      request: {
        query: QueueFilterSchema.omit({ limit: true, cursor: true })
          .extend({ format: FormatQuery })
          .extend(LangQuery),
      },
      responses: { ...fileResponse, ...validationError, ...protectedErrors },
    }),
    async (c) => {
      const { format, ...filter } = withoutLang(c.req.valid("query"));
      return attachment(await exportCases(deps, principalOf(c), filter, format)) as never;
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/cases/{id}",
      tags: ["Review"],
      summary: "A case with its log, its takedown request and the same party's earlier cases",
      security: SECURITY,
      middleware: [requires("cases.read")] as const,
      request: { params: IdParam },
      responses: {
        200: jsonResponse(
          z.object({
            case: Case,
            log: z.array(LogEntry),
            takedown: Takedown.nullable(),
            earlier: z.array(Case),
          }),
          "The case",
        ),
        ...notFound,
        ...protectedErrors,
      },
    }),
    async (c) => c.json(await deps.review.get(principalOf(c), c.req.valid("param").id), 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/cases/{id}/artefact",
      tags: ["Review"],
      summary: "One evidence artefact of the case's capture (screenshot, HTML as text, manifest)",
      security: SECURITY,
      middleware: [requires("cases.read")] as const,
      request: { params: IdParam, query: z.strictObject({ key: z.string().min(1).max(500), ...LangQuery }) },
      responses: {
        200: { description: "The artefact's bytes" },
        ...notFound,
        ...protectedErrors,
      },
    }),
    async (c) => {
      const { artefact, body: bytes } = await deps.review.artefact(
        principalOf(c),
        c.req.valid("param").id,
        c.req.valid("query").key,
      );
      return artefactResponse(c, artefact.name, artefact.contentType, bytes);
    },
  );

  post(
    "claim",
    "Claim the case (a lease of 30 minutes; claiming again renews it)",
    "cases.work",
    z.strictObject({ expectedVersion: z.number().int().min(1).optional() }),
    ({ actor, id, input }) =>
      deps.review.claim(actor, id, (input as { expectedVersion?: number }).expectedVersion),
  );
  post("release", "Give the case back to the queue", "cases.work", z.strictObject({}), ({ actor, id }) =>
    deps.review.release(actor, id),
  );
  post(
    "assign",
    "Assign the case to a colleague of its agency and province",
    "cases.assign",
    z.strictObject({ staffId: z.string().min(1).max(200), note: z.string().max(4_000).optional() }),
    ({ actor, id, input }) => {
      const { staffId, note } = input as { staffId: string; note?: string };
      return deps.review.assign(actor, id, staffId, note);
    },
  );
  post(
    "decision",
    "Decide: confirm a violation (type, legal basis, statement), dismiss, escalate to a lead, or refer",
    "cases.work",
    DecisionInputSchema,
    ({ actor, id, input }) => deps.review.decide(actor, id, input),
  );
  post(
    "approval",
    "A lead (not the proposer) approves or rejects a confirmed violation by a pledged party",
    "cases.approve",
    ApprovalInputSchema,
    ({ actor, id, input }) => deps.review.approve(actor, id, input),
  );
  post("reopen", "A lead reopens a closed or void case", "cases.approve", Reason, ({ actor, id, input }) =>
    deps.review.reopen(actor, id, (input as { reason: string }).reason),
  );
  post(
    "close",
    "A lead closes a case whose takedown was settled otherwise",
    "cases.approve",
    Reason,
    ({ actor, id, input }) => deps.review.close(actor, id, (input as { reason: string }).reason),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/v1/cases/bulk-dismiss",
      tags: ["Review"],
      summary: "Dismiss several cases with one reason; each case stands or fails on its own",
      security: SECURITY,
      middleware: [requires("cases.work")] as const,
      request: jsonBody(BulkDismissSchema),
      responses: {
        200: jsonResponse(
          z.object({
            dismissed: z.number().int(),
            results: z.array(
              z.object({
                id: z.string(),
                ok: z.boolean(),
                code: z.string().optional(),
                error: z.string().optional(),
              }),
            ),
          }),
          "One result per case",
        ),
        ...validationError,
        ...protectedErrors,
      },
    }),
    async (c) => c.json(await deps.review.bulkDismiss(principalOf(c), c.req.valid("json")), 200),
  );
}
