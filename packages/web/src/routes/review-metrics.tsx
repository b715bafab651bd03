import type { Hono } from "hono";
import type { AppEnv, WebDeps } from "../env";
import { principalOf, requires } from "../middleware";
import { pageContext } from "../pages/page-context";
import { ReviewMetricsPage } from "../pages/review-metrics";

/** A date input's day (yyyy-mm-dd) as the start of that day in Asia/Ho_Chi_Minh; the end day is included. */
export function dayBoundary(day: string | undefined, end: boolean): string | undefined {
  if (!day || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return day || undefined;
  const start = Date.parse(`${day}T00:00:00+07:00`);
  return new Date(end ? start + 86_400_000 : start).toISOString();
}

export function registerReviewMetricsConsole(app: Hono<AppEnv>, deps: WebDeps) {
  app.get("/console/review/metrics", requires("review.metrics.read"), async (c) => {
    const principal = principalOf(c);
    const metrics = await deps.reviewMetrics.metrics(principal, {
      agency: c.req.query("agency"),
      province: c.req.query("province"),
      from: dayBoundary(c.req.query("from"), false),
      to: dayBoundary(c.req.query("to"), true),
    });
    return c.html(
      <ReviewMetricsPage
        page={pageContext(c)}
        metrics={metrics}
        canChooseScope={principal.role === "admin"}
        ruleTitles={await deps.flagging.ruleTitles()}
      />,
    );
  });
}
