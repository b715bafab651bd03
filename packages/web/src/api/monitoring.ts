import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import {
  CapturedItemSchema,
  CaptureJobSchema,
  CaptureSchema,
  CrawlTargetSchema,
  NewTargetSchema,
  TargetChangeSchema,
} from "@pledgewatch/core";
import type { AppEnv, WebDeps } from "../env";
import { principalOf, requires } from "../middleware";
import { conflictError, jsonResponse, LangQuery, protectedErrors, SECURITY, validationError } from "./common";

const Target = z.object(CrawlTargetSchema.shape).openapi("CrawlTarget");
const Job = z.object(CaptureJobSchema.shape).openapi("CaptureJob");
const Capture = z.object(CaptureSchema.shape).openapi("Capture");
const Item = z.object(CapturedItemSchema.shape).openapi("CapturedItem");
const NewTargetBody = z.strictObject(NewTargetSchema.shape).openapi("NewCrawlTarget");
const TargetChangeBody = z.strictObject(TargetChangeSchema.shape).openapi("CrawlTargetChange");
const IdParam = z.object({ id: z.string().min(1).max(80) });
const CursorQuery = z.strictObject({ cursor: z.string().max(2000).optional(), ...LangQuery });
const notFound = { 404: { description: "No such resource in the caller's scope" } } as const;

/** Monitoring capture: crawl targets, capture on demand, captures with their evidence, captured items. */
export function registerMonitoringApi(app: OpenAPIHono<AppEnv>, deps: WebDeps) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/monitoring/targets",
      tags: ["Monitoring"],
      summary: "Crawl targets of the caller's agency and province",
      security: SECURITY,
      middleware: [requires("monitoring.read")] as const,
      request: { query: CursorQuery },
      responses: {
        200: jsonResponse(
          z.object({ items: z.array(Target), next: z.string().optional() }),
          "Targets, newest first",
        ),
        ...validationError,
        ...protectedErrors,
      },
    }),
    async (c) => {
      const page = await deps.monitoring.listTargets(principalOf(c), c.req.valid("query").cursor);
      return c.json({ items: page.items, ...(page.next ? { next: page.next } : {}) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/v1/monitoring/targets",
      tags: ["Monitoring"],
      summary: "Watch a page (its first capture is due at once)",
      security: SECURITY,
      middleware: [requires("monitoring.targets.write")] as const,
      request: { body: { required: true, content: { "application/json": { schema: NewTargetBody } } } },
      responses: {
        201: jsonResponse(Target, "Created"),
        ...validationError,
        ...protectedErrors,
        ...conflictError,
      },
    }),
    async (c) => c.json(await deps.monitoring.createTarget(principalOf(c), c.req.valid("json")), 201),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/monitoring/targets/{id}",
      tags: ["Monitoring"],
      summary: "One crawl target",
      security: SECURITY,
      middleware: [requires("monitoring.read")] as const,
      request: { params: IdParam },
      responses: { 200: jsonResponse(Target, "The target"), ...notFound, ...protectedErrors },
    }),
    async (c) => c.json(await deps.monitoring.getTarget(principalOf(c), c.req.valid("param").id), 200),
  );

  app.openapi(
    createRoute({
      method: "patch",
      path: "/api/v1/monitoring/targets/{id}",
      tags: ["Monitoring"],
      summary: "Change a target's schedule, page limit, label, party link, or pause it",
      security: SECURITY,
      middleware: [requires("monitoring.targets.write")] as const,
      request: {
        params: IdParam,
        body: { required: true, content: { "application/json": { schema: TargetChangeBody } } },
      },
      responses: {
        200: jsonResponse(Target, "The changed target"),
        ...notFound,
        ...validationError,
        ...protectedErrors,
        ...conflictError,
      },
    }),
    async (c) =>
      c.json(
        await deps.monitoring.updateTarget(principalOf(c), c.req.valid("param").id, c.req.valid("json")),
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/v1/monitoring/captures",
      tags: ["Monitoring"],
      summary: "Capture a URL on demand; follow the job until its capture (with certificate) exists",
      security: SECURITY,
      middleware: [requires("monitoring.capture")] as const,
      request: {
        body: {
          required: true,
          content: { "application/json": { schema: z.strictObject({ url: z.string().min(1).max(2000) }) } },
        },
      },
      responses: {
        202: jsonResponse(Job, "Accepted: the capture job"),
        ...validationError,
        ...protectedErrors,
        ...conflictError,
      },
    }),
    async (c) => c.json(await deps.monitoring.requestCapture(principalOf(c), c.req.valid("json").url), 202),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/monitoring/jobs/{id}",
      tags: ["Monitoring"],
      summary: "A capture job: open, done (with its captureId) or failed",
      security: SECURITY,
      middleware: [requires("monitoring.read")] as const,
      request: { params: IdParam },
      responses: { 200: jsonResponse(Job, "The job"), ...notFound, ...protectedErrors },
    }),
    async (c) => c.json(await deps.monitoring.getJob(principalOf(c), c.req.valid("param").id), 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/monitoring/captures/{id}",
      tags: ["Monitoring"],
      summary: "A capture: pages with their evidence (artefacts and SHA-256 manifest) and its items",
      security: SECURITY,
      middleware: [requires("monitoring.read")] as const,
      request: { params: IdParam },
      responses: {
        200: jsonResponse(z.object({ capture: Capture, items: z.array(Item) }), "The capture"),
        ...notFound,
        ...protectedErrors,
      },
    }),
    async (c) => c.json(await deps.monitoring.getCapture(principalOf(c), c.req.valid("param").id), 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/monitoring/items",
      tags: ["Monitoring"],
      summary: "Captured listings, posts and ads of the caller's agency and province, last seen first",
      security: SECURITY,
      middleware: [requires("monitoring.read")] as const,
      request: { query: CursorQuery },
      responses: {
        200: jsonResponse(z.object({ items: z.array(Item), next: z.string().optional() }), "Items"),
        ...validationError,
        ...protectedErrors,
      },
    }),
    async (c) => {
      const page = await deps.monitoring.listItems(principalOf(c), c.req.valid("query").cursor);
      return c.json({ items: page.items, ...(page.next ? { next: page.next } : {}) }, 200);
    },
  );
}
