import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { AGENCY_CODES, NewStaffSchema, StaffAccountSchema } from "@pledgewatch/core";
import type { AppEnv, WebDeps } from "../env";
import { principalOf, requires } from "../middleware";
import { conflictError, LangQuery, protectedErrors, SECURITY, validationError, withoutLang } from "./common";

const StaffResponse = z.object(StaffAccountSchema.omit({ passwordHash: true }).shape).openapi("StaffAccount");
const NewStaffBody = z.strictObject(NewStaffSchema.shape).openapi("NewStaffAccount");

export function registerStaffApi(app: OpenAPIHono<AppEnv>, deps: WebDeps) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/staff",
      tags: ["Staff"],
      summary: "Staff accounts of an agency in a province",
      security: SECURITY,
      middleware: [requires("staff.read")] as const,
      request: {
        query: z.strictObject({
          agency: z.enum(AGENCY_CODES).optional(),
          province: z.string().optional(),
          ...LangQuery,
        }),
      },
      responses: {
        200: {
          description: "Staff",
          content: { "application/json": { schema: z.object({ items: z.array(StaffResponse) }) } },
        },
        ...validationError,
        ...protectedErrors,
      },
    }),
    async (c) => {
      const principal = principalOf(c);
      return c.json({ items: await deps.staff.list(principal, withoutLang(c.req.valid("query"))) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/v1/staff",
      tags: ["Staff"],
      summary: "Create a staff account (local sign-in; on AWS accounts live in Cognito)",
      security: SECURITY,
      middleware: [requires("staff.manage")] as const,
      request: { body: { required: true, content: { "application/json": { schema: NewStaffBody } } } },
      responses: {
        201: { description: "Created", content: { "application/json": { schema: StaffResponse } } },
        ...validationError,
        ...protectedErrors,
        ...conflictError,
      },
    }),
    async (c) => {
      const principal = principalOf(c);
      return c.json(await deps.staff.create(principal, c.req.valid("json")), 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/staff/{id}",
      tags: ["Staff"],
      summary: "One staff account (one's own, or within one's scope for leads)",
      security: SECURITY,
      middleware: [requires("me.read")] as const,
      request: { params: z.object({ id: z.string().min(1).max(64) }) },
      responses: {
        200: { description: "The account", content: { "application/json": { schema: StaffResponse } } },
        404: { description: "No such account" },
        ...protectedErrors,
      },
    }),
    async (c) => {
      const principal = principalOf(c);
      return c.json(await deps.staff.get(principal, c.req.valid("param").id), 200);
    },
  );
}
