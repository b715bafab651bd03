import { can, InvalidError } from "@pledgewatch/core";
import type { Context, Hono } from "hono";
import type { AppEnv, WebDeps } from "../env";
import { consoleForm, principalOf, requires } from "../middleware";
import {
  type DataRequestFormValues,
  DataRequestPage,
  DataRequestsPage,
  dataRequestHref,
} from "../pages/data-requests";
import { fieldErrors } from "../pages/form-errors";
import { pageContext } from "../pages/page-context";

const text = (v: unknown) => (typeof v === "string" ? v : "");

/** A datetime-local value (a Vietnamese wall-clock time, no zone) as an ISO time with +07:00. */
function vietnamTime(local: string): string | undefined {
  const trimmed = local.trim();
  if (!trimmed) return undefined;
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(trimmed) ? `${trimmed}:00+07:00` : trimmed;
}

/** The console of data subjects' requests: the office's list with its clocks, a request, its two steps. */
export function registerDataRequestsConsole(app: Hono<AppEnv>, deps: WebDeps) {
  async function list(c: Context<AppEnv>, values?: DataRequestFormValues, issues?: InvalidError["issues"]) {
    const requests = await deps.dataRequests.list(principalOf(c));
    return c.html(
      <DataRequestsPage
        page={pageContext(c)}
        requests={requests}
        now={deps.clock.now()}
        values={values}
        errors={issues ? fieldErrors(issues, c.get("t")) : {}}
      />,
      issues ? 400 : 200,
    );
  }

  async function show(c: Context<AppEnv>, id: string, issues?: InvalidError["issues"]) {
    const principal = principalOf(c);
    const request = await deps.dataRequests.get(principal, id);
    return c.html(
      <DataRequestPage
        page={pageContext(c)}
        request={request}
        now={deps.clock.now()}
        canAnswer={can(principal, "privacy.requests.answer", {
          agency: request.agency,
          provinces: [request.province],
        })}
        errors={issues ? fieldErrors(issues, c.get("t")) : {}}
      />,
      issues ? 400 : 200,
    );
  }

  app.get("/console/data-requests", requires("privacy.requests.read"), (c) => list(c));

  app.post("/console/data-requests", requires("privacy.requests.write"), consoleForm(), async (c) => {
    const form = c.get("form");
    const values: DataRequestFormValues = Object.fromEntries(
      ["kind", "channel", "subjectName", "subjectContact", "details", "receivedAt", "tipCode"].map((k) => [
        k,
        text(form[k]),
      ]),
    );
    try {
      const receivedAt = vietnamTime(values.receivedAt ?? "");
      const created = await deps.dataRequests.record(principalOf(c), {
        kind: values.kind ?? "",
        channel: values.channel ?? "",
        subjectName: values.subjectName ?? "",
        subjectContact: values.subjectContact ?? "",
        details: values.details ?? "",
        ...(receivedAt ? { receivedAt } : {}),
        ...(values.tipCode?.trim() ? { tipCode: values.tipCode } : {}),
      });
      return c.redirect(dataRequestHref(created.id), 303);
    } catch (error) {
      if (!(error instanceof InvalidError)) throw error;
      return list(c, values, error.issues);
    }
  });

  app.get("/console/data-requests/:id", requires("privacy.requests.read"), (c) => show(c, c.req.param("id")));

  for (const step of ["acknowledge", "answer"] as const) {
    const action = step === "acknowledge" ? "privacy.requests.write" : "privacy.requests.answer";
    app.post(`/console/data-requests/:id/${step}`, requires(action), consoleForm(), async (c) => {
      const id = c.req.param("id");
      const form = c.get("form");
      const version = Number(text(form.version));
      try {
        if (step === "acknowledge")
          await deps.dataRequests.acknowledge(principalOf(c), id, { version, note: text(form.note) });
        else
          await deps.dataRequests.answer(principalOf(c), id, {
            version,
            outcome: text(form.outcome),
            answer: text(form.answer),
          });
      } catch (error) {
        if (!(error instanceof InvalidError)) throw error;
        return show(c, id, error.issues);
      }
      return c.redirect(dataRequestHref(id), 303);
    });
  }
}
