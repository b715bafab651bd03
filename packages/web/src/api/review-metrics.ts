import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv, WebDeps } from "../env";
import { principalOf, requires } from "../middleware";
import { dayBoundary } from "../routes/review-metrics";
import { LangQuery, protectedErrors, SECURITY, validationError } from "./common";

const Duration = z
  .object({
    count: z.number(),
    medianHours: z.number().nullable(),
    meanHours: z.number().nullable(),
    maxHours: z.number().nullable(),
  })
  .openapi("DurationStats");
const Metrics = z
  .object({
    agency: z.string(),
    province: z.string(),
    period: z.object({ from: z.string(), to: z.string() }),
    opened: z.number(),
    timeToFirstReview: Duration,
    queueAge: z.object({ lt1d: z.number(), "1to3d": z.number(), "3to7d": z.number(), gt7d: z.number() }),
    rules: z.array(
      z.object({
        ruleId: z.string(),
        flagged: z.number(),
        decided: z.number(),
        confirmed: z.number(),
        share: z.number().nullable(),
      }),
    ),
    takedowns: z.object({
      requested: z.number(),
      removedInTime: z.number(),
      removedLate: z.number(),
      compliance: z.number().nullable(),
      timeToRemoval: Duration,
    }),
  })
  .openapi("ReviewMetrics");

export function registerReviewMetricsApi(app: OpenAPIHono<AppEnv>, deps: WebDeps) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/review/metrics",
      tags: ["Review"],
      summary: "Review metrics of one agency × province, recounted from the case logs",
      description:
        "`agency` and `province` default to the caller's; only admins may name another. `from`/`to` are dates (yyyy-mm-dd, Asia/Ho_Chi_Minh, `to` included) or ISO times; default the last 30 days.",
      security: SECURITY,
      middleware: [requires("review.metrics.read")] as const,
      request: {
        query: z.strictObject({
          agency: z.string().max(10).optional(),
          province: z.string().max(10).optional(),
          from: z.string().max(40).optional(),
          to: z.string().max(40).optional(),
          ...LangQuery,
        }),
      },
      responses: {
        200: { description: "The metrics", content: { "application/json": { schema: Metrics } } },
        ...validationError,
        ...protectedErrors,
      },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const metrics = await deps.reviewMetrics.metrics(principalOf(c), {
        agency: q.agency,
        province: q.province,
        from: dayBoundary(q.from, false),
        to: dayBoundary(q.to, true),
      });
      return c.json(metrics, 200);
    },
  );
}
