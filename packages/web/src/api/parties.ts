import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import {
  AGENCY_CODES,
  CeasePartySchema,
  ChangeOwnerSchema,
  PartyChangeSchema,
  PartyInputSchema,
  PartySchema,
  PartyStatusSchema,
  PartyUpdateSchema,
  SIGNER_GROUPS,
} from "@pledgewatch/core";
import type { AppEnv, WebDeps } from "../env";
import { principalOf, requires } from "../middleware";
import {
  conflictError,
  jsonContent,
  LangQuery,
  protectedErrors,
  SECURITY,
  validationError,
  withoutLang,
} from "./common";

const PartyResponse = z.object(PartySchema.shape).openapi("Party");
const IdParam = z.object({ id: z.string().min(1).max(64) });
const notFound = { 404: { description: "No such party in the caller's scope" } } as const;

export const PartyListQuery = z.strictObject({
  agency: z.enum(AGENCY_CODES).optional().openapi({ description: "Admins only: another agency" }),
  province: z.string().optional().openapi({ description: "Admins only: another province", example: "37" }),
  group: z.enum(SIGNER_GROUPS).optional(),
  status: PartyStatusSchema.optional(),
  q: z.string().max(200).optional().openapi({
    description: "Name (any case, with or without diacritics) or an identifier",
    example: "shopee",
  }),
  limit: z.coerce.number().int().min(1).max(200).optional().openapi({ example: 50 }),
  cursor: z.string().max(2048).optional(),
  ...LangQuery,
});

export function registerPartiesApi(app: OpenAPIHono<AppEnv>, deps: WebDeps) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/parties",
      tags: ["Parties"],
      summary: "List or search obligated parties of an agency in a province",
      description:
        "Without `q`: by signer group and name. With `q`: names starting with any word of the query (case and diacritics ignored), or the party holding that identifier (tax code, licence, certificate, profile URL, reference code).",
      security: SECURITY,
      middleware: [requires("parties.read")] as const,
      request: { query: PartyListQuery },
      responses: {
        200: {
          description: "One page of parties",
          content: jsonContent(z.object({ items: z.array(PartyResponse), next: z.string().optional() })),
        },
        ...validationError,
        ...protectedErrors,
      },
    }),
    async (c) => c.json(await deps.parties.list(principalOf(c), withoutLang(c.req.valid("query"))), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/v1/parties",
      tags: ["Parties"],
      summary: "Register an obligated party",
      description:
        "The owning agency and pledge family follow from the signer group. Identifiers are validated and normalised (tax code check digit, one canonical URL per social network, E.164 phone numbers).",
      security: SECURITY,
      middleware: [requires("parties.write")] as const,
      request: { body: { required: true, content: jsonContent(PartyInputSchema) } },
      responses: {
        201: { description: "Created", content: jsonContent(PartyResponse) },
        ...validationError,
        ...protectedErrors,
        ...conflictError,
      },
    }),
    async (c) => c.json(await deps.parties.create(principalOf(c), c.req.valid("json")), 201),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/parties/{id}",
      tags: ["Parties"],
      summary: "One party",
      security: SECURITY,
      middleware: [requires("parties.read")] as const,
      request: { params: IdParam },
      responses: {
        200: { description: "The party", content: jsonContent(PartyResponse) },
        ...notFound,
        ...protectedErrors,
      },
    }),
    async (c) => c.json(await deps.parties.get(principalOf(c), c.req.valid("param").id), 200),
  );

  app.openapi(
    createRoute({
      method: "patch",
      path: "/api/v1/parties/{id}",
      tags: ["Parties"],
      summary: "Change a party",
      description: "`version` is the version you read; a party changed meanwhile gives 409.",
      security: SECURITY,
      middleware: [requires("parties.write")] as const,
      request: { params: IdParam, body: { required: true, content: jsonContent(PartyUpdateSchema) } },
      responses: {
        200: { description: "The changed party", content: jsonContent(PartyResponse) },
        ...validationError,
        ...notFound,
        ...protectedErrors,
        ...conflictError,
      },
    }),
    async (c) =>
      c.json(await deps.parties.update(principalOf(c), c.req.valid("param").id, c.req.valid("json")), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/v1/parties/{id}/cease",
      tags: ["Parties"],
      summary: "Mark a party as ceased, with a reason",
      security: SECURITY,
      middleware: [requires("parties.write")] as const,
      request: { params: IdParam, body: { required: true, content: jsonContent(CeasePartySchema) } },
      responses: {
        200: { description: "The ceased party", content: jsonContent(PartyResponse) },
        ...validationError,
        ...notFound,
        ...protectedErrors,
        ...conflictError,
      },
    }),
    async (c) =>
      c.json(await deps.parties.cease(principalOf(c), c.req.valid("param").id, c.req.valid("json")), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/v1/parties/{id}/owner",
      tags: ["Parties"],
      summary: "Move a party to another owning agency (admins), with a reason",
      security: SECURITY,
      middleware: [requires("parties.reassign")] as const,
      request: { params: IdParam, body: { required: true, content: jsonContent(ChangeOwnerSchema) } },
      responses: {
        200: { description: "The party", content: jsonContent(PartyResponse) },
        ...validationError,
        ...notFound,
        ...protectedErrors,
        ...conflictError,
      },
    }),
    async (c) =>
      c.json(
        await deps.parties.changeOwner(principalOf(c), c.req.valid("param").id, c.req.valid("json")),
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/parties/{id}/history",
      tags: ["Parties"],
      summary: "Every change to a party: who, when, before and after",
      security: SECURITY,
      middleware: [requires("parties.read")] as const,
      request: { params: IdParam },
      responses: {
        200: {
          description: "Changes, newest first",
          content: jsonContent(z.object({ items: z.array(z.object(PartyChangeSchema.shape)) })),
        },
        ...notFound,
        ...protectedErrors,
      },
    }),
    async (c) => c.json({ items: await deps.parties.history(principalOf(c), c.req.valid("param").id) }, 200),
  );
}
