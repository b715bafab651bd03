import {
  InvalidError,
  NotFoundError,
  type PeriodicReportKind,
  type ReportPeriod,
  recentPeriods,
} from "@pledgewatch/core";
import type { Context, Hono } from "hono";
import type { AppEnv, WebDeps } from "../env";
import { consoleForm, principalOf, requires } from "../middleware";
import { pageContext } from "../pages/page-context";
import { ReviewReportsPage } from "../pages/review-reports";
import { fileResponse } from "./coverage";

const text = (v: unknown) => (typeof v === "string" ? v.trim() : "");

/** The review reports console: the list, the periodic reports' forms, the quick report from a case page. */
export function registerReviewReportsConsole(app: Hono<AppEnv>, deps: WebDeps) {
  const periods = (): Record<PeriodicReportKind, ReportPeriod[]> => {
    const now = deps.clock.now();
    return {
      advertising_quarterly: recentPeriods("advertising_quarterly", now, 6),
      quality_monthly: recentPeriods("quality_monthly", now, 12),
      campaign_weekly: recentPeriods("campaign_weekly", now, 8),
    };
  };

  async function render(c: Context<AppEnv>, extra: { notice?: string; issues?: InvalidError["issues"] }) {
    const principal = principalOf(c);
    const reports = await deps.reviewReports.list(principal);
    return (
      <ReviewReportsPage
        page={pageContext(c)}
        reports={reports}
        periods={periods()}
        canCreate={principal.role !== "viewer"}
        notice={extra.notice}
        issues={extra.issues}
      />
    );
  }

  app.get("/console/review/reports", requires("review.reports.read"), async (c) =>
    c.html(await render(c, c.req.query("queued") ? { notice: c.get("t").reviewReports.queued } : {})),
  );

  app.post("/console/review/reports", requires("review.reports.create"), consoleForm(), async (c) => {
    const form = c.get("form");
    const kind = text(form.kind);
    const input =
      kind === "case_quick" ? { kind, caseId: text(form.caseId) } : { kind, period: text(form.period) };
    try {
      await deps.reviewReports.request(principalOf(c), input);
    } catch (error) {
      if (!(error instanceof InvalidError)) throw error;
      return c.html(await render(c, { issues: error.issues }), 400);
    }
    return c.redirect("/console/review/reports?queued=1", 303);
  });

  app.get("/console/review/reports/:id/:file", requires("review.reports.read"), async (c) => {
    const file = c.req.param("file");
    if (file !== "pdf" && file !== "xlsx") throw new NotFoundError("No such file");
    const { report, bytes } = await deps.reviewReports.file(principalOf(c), c.req.param("id"), file);
    return fileResponse(
      c,
      file,
      `bao-cao-${report.kind}-${report.period ?? report.caseId ?? report.id}.${file}`,
      bytes,
    );
  });
}
