import {
  AgencyCodeSchema,
  InvalidError,
  isQuarterId,
  NotFoundError,
  previousQuarterId,
  quarterLabel,
  StoredRenewalSettingsSchema,
} from "@pledgewatch/core";
import type { Context, Hono } from "hono";
import { z } from "zod";
import type { AppEnv, WebDeps } from "../env";
import { REPORT_CONTENT_TYPES } from "../files";
import { consoleForm, principalOf, requires } from "../middleware";
import { ClockPage, CoveragePage, RenewalSettingsPage, ReportsPage, UnsignedPage } from "../pages/coverage";
import { pageContext } from "../pages/page-context";

/** The console's form to request a quarter's coverage report. */
const ReportRequestForm = z.object({
  quarter: z.string().refine(isQuarterId, { error: "Quý không hợp lệ" }),
});
/** The unsigned list's "remind" button: which party, and the list page to go back to. */
const RemindForm = z.object({
  partyId: z.string().trim().min(1, { error: "Chưa chọn đối tượng" }),
  back: z.string().optional(),
});

const text = (v: unknown) => (typeof v === "string" ? v.trim() : "");

/** The current quarter and the seven before it, newest first: what the selects offer. */
export function recentQuarters(current: string, count = 8) {
  const out: { id: string; label: string }[] = [];
  let q = current;
  for (let i = 0; i < count; i++) {
    out.push({ id: q, label: quarterLabel(q) });
    q = previousQuarterId(q);
  }
  return out;
}

export function fileResponse(c: Context<AppEnv>, kind: "pdf" | "xlsx", name: string, body: Uint8Array) {
  c.header("Content-Type", REPORT_CONTENT_TYPES[kind]);
  c.header("Content-Disposition", `attachment; filename="${name.replace(/[^\w.-]/g, "_")}"`);
  c.header("Cache-Control", "no-store");
  return c.body(body as Uint8Array<ArrayBuffer>);
}

/** A path inside the console (the drill-down's own page), never an address elsewhere. */
const safeBack = (value: string) =>
  value.startsWith("/console/coverage/unsigned?") && !value.includes("//") ? value : "/console/coverage";

/** The coverage dashboard, drill-down with one-click reminders, reports, cycle settings, time travel. */
export function registerCoverageConsole(app: Hono<AppEnv>, deps: WebDeps) {
  const current = () => deps.signing.currentQuarter();

  app.get("/console/coverage", requires("coverage.read"), async (c) => {
    const actor = principalOf(c);
    const asked = c.req.query("quarter");
    const quarter = asked && isQuarterId(asked) ? asked : current();
    const { view, trend } = await deps.coverage.dashboard(actor, quarter);
    return c.html(
      <CoveragePage page={pageContext(c)} view={view} trend={trend} quarters={recentQuarters(current())} />,
    );
  });

  app.get("/console/coverage/unsigned", requires("coverage.read"), async (c) => {
    const actor = principalOf(c);
    const agency = AgencyCodeSchema.safeParse(c.req.query("agency") ?? actor.agency);
    if (!agency.success) throw new NotFoundError("No such agency");
    const province = c.req.query("province") || actor.province;
    const family = c.req.query("family") || undefined;
    const result = await deps.coverage.unsigned(actor, {
      agency: agency.data,
      province,
      family,
      cursor: c.req.query("cursor") || undefined,
    });
    const t = c.get("t");
    const notice = { reminded: t.coverage.reminded, invited: t.coverage.invited }[c.req.query("done") ?? ""];
    return c.html(
      <UnsignedPage
        page={pageContext(c)}
        quarterLabel={quarterLabel(result.quarter)}
        items={result.items}
        next={result.next}
        query={{ agency: agency.data, province, ...(family ? { family } : {}) }}
        notice={notice}
      />,
    );
  });

  app.post(
    "/console/coverage/remind",
    requires("pledges.invite"),
    consoleForm({ schema: RemindForm, what: "Invalid reminder" }),
    async (c) => {
      const { partyId, back: requested } = c.get("input");
      const outcome = await deps.coverage.remind(principalOf(c), partyId);
      const back = safeBack(requested ?? "");
      return c.redirect(`${back}${back.includes("?") ? "&" : "?"}done=${outcome.kind}`, 303);
    },
  );

  app.get("/console/coverage/reports", requires("coverage.read"), async (c) => {
    const reports = await deps.coverage.listReports(principalOf(c));
    const notice = c.req.query("queued") ? c.get("t").reports.queued : undefined;
    return c.html(
      <ReportsPage
        page={pageContext(c)}
        reports={reports}
        quarters={recentQuarters(current())}
        notice={notice}
      />,
    );
  });

  app.post(
    "/console/coverage/reports",
    requires("coverage.report"),
    consoleForm({ schema: ReportRequestForm, what: "Invalid quarter" }),
    async (c) => {
      await deps.coverage.requestReport(principalOf(c), { quarter: c.get("input").quarter });
      return c.redirect("/console/coverage/reports?queued=1", 303);
    },
  );

  app.get("/console/coverage/reports/:id/:kind", requires("coverage.read"), async (c) => {
    const kind = c.req.param("kind");
    if (kind !== "pdf" && kind !== "xlsx") throw new NotFoundError("No such file");
    const { report, bytes } = await deps.coverage.reportFile(principalOf(c), c.req.param("id"), kind);
    return fileResponse(c, kind, `bao-cao-${report.quarter}.${kind}`, bytes);
  });

  app.get("/console/coverage/settings", requires("coverage.read"), async (c) => {
    const actor = principalOf(c);
    const province = c.req.query("province") || actor.province;
    const settings = await deps.renewal.getSettings(actor, province);
    const stored = StoredRenewalSettingsSchema.safeParse(settings);
    return c.html(
      <RenewalSettingsPage
        page={pageContext(c)}
        province={province}
        settings={settings}
        updated={stored.success ? { at: stored.data.updatedAt, name: stored.data.updatedBy.name } : undefined}
        notice={c.req.query("saved") ? c.get("t").renewalSettings.saved : undefined}
      />,
    );
  });

  app.post("/console/coverage/settings", requires("renewal.settings"), consoleForm(), async (c) => {
    const form = c.get("form");
    const actor = principalOf(c);
    const province = text(form.province) || actor.province;
    const number = (v: unknown) => (/^\d+$/.test(text(v)) ? Number(text(v)) : Number.NaN);
    const raw = {
      cycle: "quarterly",
      dueDay: number(form.dueDay),
      reminderOffsets: text(form.reminderOffsets)
        .split(/[,;\s]+/)
        .filter(Boolean)
        .map(number),
      graceDays: number(form.graceDays),
    };
    try {
      await deps.renewal.updateSettings(actor, province, raw);
    } catch (error) {
      if (!(error instanceof InvalidError)) throw error;
      const shown = {
        cycle: "quarterly" as const,
        dueDay: Number.isNaN(raw.dueDay) ? 0 : raw.dueDay,
        reminderOffsets: raw.reminderOffsets.filter((n) => !Number.isNaN(n)),
        graceDays: Number.isNaN(raw.graceDays) ? 0 : raw.graceDays,
      };
      return c.html(
        <RenewalSettingsPage
          page={pageContext(c)}
          province={province}
          settings={shown}
          issues={error.issues}
        />,
        400,
      );
    }
    return c.redirect(`/console/coverage/settings?province=${encodeURIComponent(province)}&saved=1`, 303);
  });

  // ---- time travel: local runs and tests only; absent (404) on AWS ---------------------------------
  const travel = () => {
    if (!deps.timeTravel) throw new NotFoundError("No time travel on this deployment");
    return deps.timeTravel;
  };

  app.get("/console/clock", requires("clock.travel"), (c) => {
    const clock = travel();
    const notice = c.req.query("moved") ? c.get("t").clock.moved : undefined;
    return c.html(
      <ClockPage page={pageContext(c)} now={clock.now()} offsetMs={clock.offsetMs()} notice={notice} />,
    );
  });

  app.post("/console/clock", requires("clock.travel"), consoleForm(), async (c) => {
    const clock = travel();
    const form = c.get("form");
    if (text(form.reset)) clock.reset();
    else {
      // The form's local time is Vietnam's (datetime-local has no zone).
      const at = new Date(`${text(form.at)}:00+07:00`);
      if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(text(form.at)) || Number.isNaN(at.getTime()))
        throw new InvalidError("Invalid time", [{ field: "at", message: "Thời điểm không hợp lệ" }]);
      clock.travelTo(at);
    }
    // The scheduler's next tick runs what the new day brings; ask for one now.
    await deps.renewal.requestTick();
    return c.redirect("/console/clock?moved=1", 303);
  });
}
