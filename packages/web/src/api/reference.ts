import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { AGENCIES, PROVINCES, SIGNER_GROUP_INFO, SIGNER_GROUPS } from "@pledgewatch/core";
import type { AppEnv } from "../env";
import { requires } from "../middleware";
import { protectedErrors, SECURITY } from "./common";

const ProvinceSchema = z
  .object({
    code: z.string().openapi({ example: "37" }),
    name: z.string(),
    kind: z.enum(["city", "province"]),
  })
  .openapi("Province");
const AgencySchema = z
  .object({ code: z.enum(["CT", "VHTT", "YT"]), nameVi: z.string(), nameEn: z.string() })
  .openapi("Agency");
const SignerGroupInfoSchema = z
  .object({ group: z.enum(SIGNER_GROUPS), family: z.string(), agency: z.enum(["CT", "VHTT", "YT"]) })
  .openapi("SignerGroup");

export function registerReferenceApi(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/provinces",
      tags: ["Reference"],
      summary: "The 34 provinces and centrally-run cities",
      security: SECURITY,
      middleware: [requires("reference.read")] as const,
      responses: {
        200: {
          description: "Provinces",
          content: { "application/json": { schema: z.object({ items: z.array(ProvinceSchema) }) } },
        },
        ...protectedErrors,
      },
    }),
    (c) => c.json({ items: [...PROVINCES] }, 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/agencies",
      tags: ["Reference"],
      summary: "The agencies that own pledges and review queues",
      security: SECURITY,
      middleware: [requires("reference.read")] as const,
      responses: {
        200: {
          description: "Agencies",
          content: { "application/json": { schema: z.object({ items: z.array(AgencySchema) }) } },
        },
        ...protectedErrors,
      },
    }),
    (c) => c.json({ items: [...AGENCIES] }, 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/signer-groups",
      tags: ["Reference"],
      summary: "Signer groups with their pledge family and owning agency",
      security: SECURITY,
      middleware: [requires("reference.read")] as const,
      responses: {
        200: {
          description: "Signer groups",
          content: { "application/json": { schema: z.object({ items: z.array(SignerGroupInfoSchema) }) } },
        },
        ...protectedErrors,
      },
    }),
    (c) => c.json({ items: SIGNER_GROUPS.map((g) => SIGNER_GROUP_INFO[g]) }, 200),
  );
}
