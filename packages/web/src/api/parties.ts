import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { AGENCY_CODES, NewPartySchema, PartySchema, SIGNER_GROUPS } from "@pledgewatch/core";
import type { AppEnv, WebDeps } from "../env";
import { principalOf, requires } from "../middleware";
import { conflictError, protectedErrors, SECURITY, validationError } from "./common";

const PartyResponse = z.object(PartySchema.shape).openapi("Party");
const NewPartyBody = z.strictObject(NewPartySchema.shape).openapi("NewParty");

const ListQuery = z.strictObject({
  agency: z.enum(AGENCY_CODES).optional().openapi({ description: "Admins only: another agency" }),
  province: z.string().optional().openapi({ description: "Admins only: another province", example: "37" }),
  group: z.enum(SIGNER_GROUPS).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional().openapi({ example: 50 }),
  cursor: z.string().max(2048).optional(),
});

export function registerPartiesApi(app: OpenAPIHono<AppEnv>, deps: WebDeps) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/parties",
      tags: ["Parties"],
      summary: "Obligated parties of an agency in a province, by signer group",
      security: SECURITY,
      middleware: [requires("parties.read")] as const,
      request: { query: ListQuery },
      responses: {
        200: {
          description: "One page of parties",
          content: {
            "application/json": {
              schema: z.object({ items: z.array(PartyResponse), next: z.string().optional() }),
            },
          },
        },
        ...validationError,
        ...protectedErrors,
      },
    }),
    async (c) => {
      const principal = principalOf(c);
      const page = await deps.parties.list(principal, c.req.valid("query"));
      return c.json(page, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/v1/parties",
      tags: ["Parties"],
      summary: "Register an obligated party",
      description: "The owning agency and pledge family follow from the signer group.",
      security: SECURITY,
      middleware: [requires("parties.write")] as const,
      request: { body: { required: true, content: { "application/json": { schema: NewPartyBody } } } },
      responses: {
        201: { description: "Created", content: { "application/json": { schema: PartyResponse } } },
        ...validationError,
        ...protectedErrors,
        ...conflictError,
      },
    }),
    async (c) => {
      const principal = principalOf(c);
      const party = await deps.parties.create(principal, c.req.valid("json"));
      return c.json(party, 201);
    },
  );
}
