import { CaseConflictError, InvalidError, type Principal, QueueFilterSchema } from "@pledgewatch/core";
import type { Context, Hono } from "hono";
import type { AppEnv, WebDeps } from "../env";
import { issuesFromZod } from "../errors";
import { format } from "../i18n";
import { consoleForm, type FormBody, principalOf, requires } from "../middleware";
import { CasePage } from "../pages/case";
import { QueuePage } from "../pages/cases";
import { issueText } from "../pages/issues";
import { pageContext } from "../pages/page-context";
import { caseHref, when } from "../pages/review-common";
import { artefactResponse } from "./monitoring";

const text = (v: unknown) => (typeof v === "string" ? v.trim() : "");
const optional = (v: unknown) => text(v) || undefined;
const version = (v: unknown) => (text(v) ? Number(text(v)) : undefined);

/** The decision forms' fields → the input the API takes. */
export function decisionFields(form: FormBody): Record<string, unknown> {
  const kind = text(form.kind);
  const common = { note: optional(form.note), expectedVersion: version(form.expectedVersion) };
  switch (kind) {
    case "confirm":
      return {
        kind,
        violation: {
          type: text(form.type),
          legalBasis: text(form.legalBasis),
          statement: text(form.statement),
        },
        platformNote: optional(form.platformNote),
        ...common,
      };
    case "refer":
      return { kind, toAgency: text(form.toAgency), reason: text(form.reason), ...common };
    default:
      return { kind, reason: text(form.reason), ...common };
  }
}

/** The review console: the queue, the evidence view, and every action as a form post. */
export function registerCasesConsole(app: Hono<AppEnv>, deps: WebDeps) {
  async function renderCase(c: Context<AppEnv>, actor: Principal, id: string, alert?: string, status = 200) {
    const detail = await deps.review.get(actor, id);
    const [capture, reference, colleagues, ruleTitles] = await Promise.all([
      deps.review.capture(actor, id),
      deps.flagging.referencePrice(detail.case.item),
      deps.review.colleagues(actor, id),
      deps.flagging.ruleTitles(),
    ]);
    return c.html(
      <CasePage
        page={pageContext(c)}
        detail={detail}
        capture={capture}
        reference={reference}
        colleagues={colleagues}
        ruleTitles={ruleTitles}
        now={deps.clock.now()}
        alert={alert}
      />,
      status as 200,
    );
  }

  /** Runs a case action from a form; a lost race or bad input shows the case again with why. */
  async function action(
    c: Context<AppEnv>,
    run: (actor: Principal, id: string, form: FormBody) => Promise<unknown>,
  ) {
    const form = c.get("form");
    const actor = principalOf(c);
    const id = c.req.param("id") ?? "";
    try {
      await run(actor, id, form);
    } catch (error) {
      const t = c.get("t").review;
      if (error instanceof CaseConflictError) {
        const d = error.details;
        const page = pageContext(c);
        const alert = format(t.conflict, {
          name: d.by.name,
          action: t.events[d.action],
          at: when(page, d.at),
          state: t.states[d.state],
        });
        return renderCase(c, actor, id, alert, 409);
      }
      if (error instanceof InvalidError) {
        const alert = error.issues.map((i) => issueText(c.get("t"), i)).join("; ") || error.message;
        return renderCase(c, actor, id, alert, 400);
      }
      throw error;
    }
    return c.redirect(caseHref(id), 303);
  }

  app.get("/console/cases", requires("cases.read"), async (c) => {
    const actor = principalOf(c);
    const { dismissed, failed, lang: _lang, ...query } = c.req.query();
    const parsed = QueueFilterSchema.safeParse(query);
    if (!parsed.success) {
      throw new InvalidError("Invalid queue filter", issuesFromZod(parsed.error, query));
    }
    const page = await deps.review.queue(actor, parsed.data);
    const t = c.get("t").review;
    const notice = [
      dismissed ? format(t.bulkDone, { count: Number(dismissed) || 0 }) : "",
      Number(failed) > 0 ? format(t.bulkFailed, { count: Number(failed) }) : "",
    ]
      .filter(Boolean)
      .join(" ");
    return c.html(
      <QueuePage
        page={pageContext(c)}
        cases={page.cases}
        filter={page.filter}
        next={page.cursor}
        now={deps.clock.now()}
        notice={notice || undefined}
        ruleTitles={await deps.flagging.ruleTitles()}
      />,
    );
  });

  app.post("/console/cases/bulk-dismiss", requires("cases.work"), consoleForm({ all: true }), async (c) => {
    const form = c.get("form");
    const ids = ([] as unknown[])
      .concat(form.ids ?? [])
      .map(text)
      .filter(Boolean);
    const result = await deps.review.bulkDismiss(principalOf(c), {
      ids,
      reason: text(form.reason),
      note: optional(form.note),
    });
    const failed = result.results.length - result.dismissed;
    return c.redirect(`/console/cases?dismissed=${result.dismissed}&failed=${failed}`, 303);
  });

  app.get("/console/cases/:id", requires("cases.read"), (c) =>
    renderCase(c, principalOf(c), c.req.param("id")),
  );

  app.get("/console/cases/:id/artefact", requires("cases.read"), async (c) => {
    const { artefact, body } = await deps.review.artefact(
      principalOf(c),
      c.req.param("id"),
      c.req.query("key") ?? "",
    );
    return artefactResponse(c, artefact.name, artefact.contentType, body);
  });

  app.post("/console/cases/:id/claim", requires("cases.work"), consoleForm(), (c) =>
    action(c, (actor, id) => deps.review.claim(actor, id)),
  );
  app.post("/console/cases/:id/release", requires("cases.work"), consoleForm(), (c) =>
    action(c, (actor, id) => deps.review.release(actor, id)),
  );
  app.post("/console/cases/:id/assign", requires("cases.assign"), consoleForm(), (c) =>
    action(c, (actor, id, form) => deps.review.assign(actor, id, text(form.staffId), optional(form.note))),
  );
  app.post("/console/cases/:id/decision", requires("cases.work"), consoleForm(), (c) =>
    action(c, (actor, id, form) => {
      // The form opens on "choose the type" when the rules point to none: a confirmation must name one.
      if (text(form.kind) === "confirm" && !text(form.type)) {
        throw new InvalidError("Violation type required", [
          { field: "violation.type", message: c.get("t").review.violationTypeRequired },
        ]);
      }
      return deps.review.decide(actor, id, decisionFields(form));
    }),
  );
  app.post("/console/cases/:id/approval", requires("cases.approve"), consoleForm(), (c) =>
    action(c, (actor, id, form) =>
      deps.review.approve(actor, id, {
        approve: text(form.approve) === "yes",
        reason: optional(form.reason),
      }),
    ),
  );
  app.post("/console/cases/:id/reopen", requires("cases.approve"), consoleForm(), (c) =>
    action(c, (actor, id, form) => deps.review.reopen(actor, id, text(form.reason))),
  );
  app.post("/console/cases/:id/close", requires("cases.approve"), consoleForm(), (c) =>
    action(c, (actor, id, form) => deps.review.close(actor, id, text(form.reason))),
  );
}
