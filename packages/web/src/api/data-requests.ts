import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import {
  clockOf,
  DATA_REQUEST_CHANNELS,
  DATA_REQUEST_KINDS,
  DATA_REQUEST_OUTCOMES,
  type DataRequest,
  DataRequestSchema,
} from "@pledgewatch/core";
import type { AppEnv, WebDeps } from "../env";
import { principalOf, requires } from "../middleware";
import { conflictError, jsonBody, jsonResponse, protectedErrors, SECURITY, validationError } from "./common";

const Clock = z
  .object({
    running: z.enum(["first_response", "settlement"]).nullable(),
    due: z.string().nullable(),
    overdue: z.boolean(),
    firstResponseMet: z.boolean().optional(),
    settlementMet: z.boolean().optional(),
  })
  .openapi("DataRequestClock");
const Request = z.object({ ...DataRequestSchema.shape, clock: Clock }).openapi("DataRequest");
const IdParam = z.object({ id: z.string().min(1).max(100) });
const notFound = { 404: { description: "No such request in the caller's agency and province" } };

// Documented as the service reads them; the service validates, so the issues come in Vietnamese.
const NewRequest = z
  .object({
    kind: z.enum(DATA_REQUEST_KINDS),
    channel: z.enum(DATA_REQUEST_CHANNELS),
    subjectName: z.string(),
    subjectContact: z.string().openapi({ description: "Where the answer goes: e-mail, phone or address" }),
    details: z.string().optional(),
    receivedAt: z.string().optional().openapi({ description: "ISO time it arrived; default now" }),
    tipCode: z.string().optional().openapi({ description: "The tracking code of a tip it is about" }),
  })
  .openapi("NewDataRequest");
const Ack = z.object({ version: z.number().int(), note: z.string() }).openapi("DataRequestAck");
const Answer = z
  .object({ version: z.number().int(), outcome: z.enum(DATA_REQUEST_OUTCOMES), answer: z.string() })
  .openapi("DataRequestAnswer");

export function registerDataRequestsApi(app: OpenAPIHono<AppEnv>, deps: WebDeps) {
  const view = (request: DataRequest) => ({ ...request, clock: clockOf(request, deps.clock.now()) });

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/data-requests",
      tags: ["Personal data"],
      summary: "Data subject requests of the caller's agency and province, newest first, with their clocks",
      security: SECURITY,
      middleware: [requires("privacy.requests.read")] as const,
      responses: {
        200: jsonResponse(z.object({ items: z.array(Request) }), "Requests"),
        ...protectedErrors,
      },
    }),
    async (c) => c.json({ items: (await deps.dataRequests.list(principalOf(c))).map(view) }, 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/v1/data-requests",
      tags: ["Personal data"],
      summary: "Record a data subject's request as it arrived; its legal clocks start at receipt",
      security: SECURITY,
      middleware: [requires("privacy.requests.write")] as const,
      request: jsonBody(NewRequest),
      responses: {
        201: jsonResponse(Request, "Recorded"),
        ...validationError,
        ...protectedErrors,
      },
    }),
    async (c) => c.json(view(await deps.dataRequests.record(principalOf(c), c.req.valid("json"))), 201),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/data-requests/{id}",
      tags: ["Personal data"],
      summary: "One data subject request, its steps and its clocks",
      security: SECURITY,
      middleware: [requires("privacy.requests.read")] as const,
      request: { params: IdParam },
      responses: { 200: jsonResponse(Request, "The request"), ...notFound, ...protectedErrors },
    }),
    async (c) => c.json(view(await deps.dataRequests.get(principalOf(c), c.req.valid("param").id)), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/v1/data-requests/{id}/acknowledge",
      tags: ["Personal data"],
      summary: "Record the first response sent to the requester (stops the 2-working-day clock)",
      security: SECURITY,
      middleware: [requires("privacy.requests.write")] as const,
      request: { params: IdParam, ...jsonBody(Ack) },
      responses: {
        200: jsonResponse(Request, "Acknowledged"),
        ...validationError,
        ...notFound,
        ...conflictError,
        ...protectedErrors,
      },
    }),
    async (c) =>
      c.json(
        view(
          await deps.dataRequests.acknowledge(principalOf(c), c.req.valid("param").id, c.req.valid("json")),
        ),
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/v1/data-requests/{id}/answer",
      tags: ["Personal data"],
      summary:
        "Answer a request (a lead): fulfilled, partly, or refused with the legal reason; a fulfilled deletion or withdrawal on a tip erases the tipster's contact and address",
      security: SECURITY,
      middleware: [requires("privacy.requests.answer")] as const,
      request: { params: IdParam, ...jsonBody(Answer) },
      responses: {
        200: jsonResponse(Request, "Answered"),
        ...validationError,
        ...notFound,
        ...conflictError,
        ...protectedErrors,
      },
    }),
    async (c) =>
      c.json(
        view(await deps.dataRequests.answer(principalOf(c), c.req.valid("param").id, c.req.valid("json"))),
        200,
      ),
  );
}
