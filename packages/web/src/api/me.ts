import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../env";
import { principalOf, requires } from "../middleware";
import { protectedErrors, SECURITY } from "./common";

export const PrincipalResponseSchema = z
  .object({
    staffId: z.string(),
    email: z.string(),
    name: z.string(),
    agency: z.enum(["CT", "VHTT", "YT"]),
    province: z.string(),
    role: z.enum(["viewer", "reviewer", "lead", "admin"]),
  })
  .openapi("Me");

export function registerMeApi(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/me",
      tags: ["Account"],
      summary: "Who is calling: account, agency, province and role",
      security: SECURITY,
      middleware: [requires("me.read")] as const,
      responses: {
        200: {
          description: "The caller",
          content: { "application/json": { schema: PrincipalResponseSchema } },
        },
        ...protectedErrors,
      },
    }),
    (c) => {
      const principal = principalOf(c);
      return c.json(principal, 200);
    },
  );
}
