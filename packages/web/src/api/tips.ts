import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { PublicTipViewSchema, TIP_CATEGORIES, TIP_REFUSALS, TipRefusedError } from "@pledgewatch/core";
import type { AppEnv, WebDeps } from "../env";
import { publicRoute } from "../middleware";
import { clientAddress } from "../routes/auth";
import { publicRateLimit } from "../routes/rate-limit";
import { refusalMessage } from "../routes/tips";
import { ErrorResponseSchema, jsonResponse } from "./common";

const TipView = z.object(PublicTipViewSchema.shape).openapi("PublicTip");
const TipBody = z
  .strictObject({
    url: z.string().openapi({ example: "https://shop.example.vn/san-pham/123" }),
    category: z.enum(TIP_CATEGORIES),
    details: z.string().optional(),
    contact: z.string().optional().openapi({ description: "An e-mail address or a Vietnamese phone number" }),
    privacyConsent: z.boolean().optional().openapi({
      description: "Consent to the privacy notice (/privacy); required when a contact is given",
    }),
    province: z.string().openapi({ example: "79" }),
    formToken: z
      .string()
      .optional()
      .openapi({ description: "From GET /api/v1/tips/form-token, at least 3 s old, used once" }),
    website: z.string().optional().openapi({ description: "Honeypot: leave it out or empty" }),
  })
  .openapi("NewTip");
const RefusalSchema = z
  .object({
    error: z.object({
      code: z.enum(["invalid", "too_many_requests"]),
      reason: z.enum(TIP_REFUSALS),
      message: z.string().openapi({ description: "Vietnamese, ready to show" }),
      requestId: z.string(),
    }),
  })
  .openapi("TipRefusal");

/** Public tips: no sign-in; refusals carry a `reason` and a Vietnamese message. */
export function registerTipsApi(app: OpenAPIHono<AppEnv>, deps: WebDeps) {
  const limit = publicRateLimit(deps, "public-api", 300, 600);

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/tips/form-token",
      tags: ["Public"],
      summary: "A signed token for one tip (valid 2 hours, usable once, not before 3 seconds)",
      security: [],
      middleware: [publicRoute(), limit] as const,
      responses: {
        200: jsonResponse(
          z.object({ formToken: z.string(), minFillSeconds: z.number(), expiresInSeconds: z.number() }),
          "A form token",
        ),
      },
    }),
    async (c) =>
      c.json({ formToken: await deps.tips.formToken(), minFillSeconds: 3, expiresInSeconds: 7_200 }, 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/v1/tips",
      tags: ["Public"],
      summary: "Report a URL (no sign-in): it is captured as evidence, evaluated and reviewed",
      description:
        "Refused with 400 (invalid fields, form token missing, invalid, too fast, expired or used, honeypot filled) or 429 (too many tips from the address or about the URL, or the URL is being captured), each with `reason`. A second tip about the same URL the same day is merged with the first.",
      security: [],
      middleware: [publicRoute(), limit] as const,
      request: { body: { required: true, content: { "application/json": { schema: TipBody } } } },
      responses: {
        201: jsonResponse(
          z.object({ code: z.string(), status: z.literal("received"), statusUrl: z.string() }),
          "Received: keep the tracking code",
        ),
        400: jsonResponse(
          z.union([RefusalSchema, ErrorResponseSchema]),
          "Refused (with `reason`), or invalid fields (each issue names its field)",
        ),
        429: jsonResponse(RefusalSchema, "Rate limited"),
      },
    }),
    async (c) => {
      try {
        const { code } = await deps.tips.submit(c.req.valid("json"), { address: clientAddress(c) });
        return c.json({ code, status: "received" as const, statusUrl: `/api/v1/tips/${code}` }, 201);
      } catch (error) {
        if (!(error instanceof TipRefusedError)) throw error;
        if (error.retryAfterSeconds !== undefined) c.header("Retry-After", String(error.retryAfterSeconds));
        const body = {
          error: {
            code: error.code,
            reason: error.reason,
            message: refusalMessage(c.get("t"), error),
            requestId: c.get("requestId"),
          },
        };
        return error.code === "too_many_requests" ? c.json(body, 429) : c.json(body, 400);
      }
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/tips/{code}",
      tags: ["Public"],
      summary: "The status of a tip, by its tracking code (never notes or reviewers)",
      security: [],
      middleware: [publicRoute(), limit] as const,
      request: { params: z.object({ code: z.string().min(1).max(40) }) },
      responses: {
        200: jsonResponse(TipView, "The tip's status"),
        404: jsonResponse(ErrorResponseSchema, "No tip has this code"),
      },
    }),
    async (c) => c.json(await deps.tips.status(c.req.valid("param").code), 200),
  );
}
