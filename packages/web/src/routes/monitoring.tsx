import {
  ConflictError,
  InvalidError,
  type NewTarget,
  NewTargetSchema,
  NotFoundError,
  type Principal,
} from "@pledgewatch/core";
import { readTable } from "@pledgewatch/sheets";
import type { Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv, WebDeps } from "../env";
import { format } from "../i18n";
import { consoleForm, type FormBody, principalOf, requires } from "../middleware";
import { issueMessage } from "../pages/issues";
import {
  CapturePage,
  DeadLettersPage,
  ItemsPage,
  JobPage,
  MonitoringPage,
  TargetPage,
} from "../pages/monitoring";
import { pageContext } from "../pages/page-context";

const text = (v: unknown) => (typeof v === "string" ? v.trim() : "");

const MAX_TARGET_FILE = 2 * 1024 * 1024;
const targetUploadLimit = bodyLimit({
  maxSize: MAX_TARGET_FILE + 64 * 1024,
  onError: () => {
    throw new InvalidError("File too large", [{ field: "file", message: "Tệp quá lớn (tối đa 2 MB)" }]);
  },
});

/** The target form's fields → the input the API takes. */
export function targetFields(form: FormBody): Record<string, unknown> {
  const out: Record<string, unknown> = {
    url: text(form.url),
    kind: text(form.kind),
    schedule: text(form.schedule),
  };
  if (text(form.label)) out.label = text(form.label);
  if (text(form.platform)) out.platform = text(form.platform);
  if (text(form.partyId)) out.partyId = text(form.partyId);
  if (text(form.pageLimit)) out.pageLimit = Number(text(form.pageLimit));
  return out;
}

/**
 * Crawled content is hostile: an artefact is sent with its own type only when a browser cannot run it
 * (PNG, PDF, JSON, plain text); the captured HTML goes out as a text attachment, never rendered here.
 */
export function artefactResponse(c: Context<AppEnv>, name: string, contentType: string, body: Uint8Array) {
  const inline = contentType === "image/png" || contentType === "application/pdf";
  const type = contentType.startsWith("text/html") ? "text/plain; charset=utf-8" : contentType;
  c.header("Content-Type", type);
  c.header("X-Content-Type-Options", "nosniff");
  c.header(
    "Content-Disposition",
    `${inline ? "inline" : "attachment"}; filename="${name.replace(/[^\w.-]/g, "_")}"`,
  );
  c.header("Cache-Control", "private, max-age=3600");
  c.header(
    "Content-Security-Policy",
    "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
  );
  return c.body(body as Uint8Array<ArrayBuffer>);
}

export function registerMonitoringConsole(app: Hono<AppEnv>, deps: WebDeps) {
  const home = async (
    c: Context<AppEnv>,
    actor: Principal,
    extra: Partial<Parameters<typeof MonitoringPage>[0]> = {},
    status: 200 | 400 | 409 = 200,
  ) => {
    const [targets, captures] = await Promise.all([
      deps.monitoring.listTargets(actor),
      deps.monitoring.recentCaptures(actor),
    ]);
    return c.html(
      <MonitoringPage page={pageContext(c)} targets={targets.items} captures={captures} {...extra} />,
      status,
    );
  };

  app.get("/console/monitoring", requires("monitoring.read"), async (c) => {
    const imported = c.req.query("imported");
    const notice = imported
      ? format(c.get("t").monitoring.imported, { count: Number(imported) || 0 })
      : undefined;
    return home(c, principalOf(c), { notice });
  });

  app.post("/console/monitoring/targets", requires("monitoring.targets.write"), consoleForm(), async (c) => {
    const form = c.get("form");
    const actor = principalOf(c);
    const parsed = NewTargetSchema.safeParse(targetFields(form));
    try {
      if (!parsed.success) {
        throw new InvalidError(
          "Invalid target",
          parsed.error.issues.map((i) => ({
            field: String(i.path[0] ?? ""),
            message: "Giá trị không hợp lệ.",
          })),
        );
      }
      const target = await deps.monitoring.createTarget(actor, parsed.data as NewTarget);
      return c.redirect(`/console/monitoring/targets/${encodeURIComponent(target.id)}`, 303);
    } catch (error) {
      if (!(error instanceof InvalidError)) throw error;
      const targetErrors = Object.fromEntries(
        error.issues.map((i) => [i.field, issueMessage(c.get("t"), i)]),
      );
      return home(c, actor, { targetErrors }, 400);
    }
  });

  app.post(
    "/console/monitoring/targets/import",
    requires("monitoring.targets.write"),
    targetUploadLimit,
    consoleForm(),
    async (c) => {
      const form = c.get("form");
      const actor = principalOf(c);
      const file = form.file;
      const fail = (message: string) =>
        home(c, actor, { importErrors: [{ row: 0, column: "", message }] }, 400);
      if (!(file instanceof File) || file.size === 0) return fail("Chưa chọn tệp.");
      const table = await readTable(new Uint8Array(await file.arrayBuffer()), {
        maxBytes: MAX_TARGET_FILE,
        maxRows: 2000,
      });
      if (!table.ok) return fail(table.error);
      const result = await deps.monitoring.importTargets(actor, table.headers, table.rows);
      if (!result.ok) return home(c, actor, { importErrors: result.errors }, 400);
      return c.redirect(`/console/monitoring?imported=${result.created}`, 303);
    },
  );

  app.get("/console/monitoring/targets/:id", requires("monitoring.read"), async (c) => {
    const actor = principalOf(c);
    const target = await deps.monitoring.getTarget(actor, c.req.param("id"));
    const captures = await deps.monitoring.capturesOfTarget(actor, target.id);
    return c.html(<TargetPage page={pageContext(c)} target={target} captures={captures} />);
  });

  app.post(
    "/console/monitoring/targets/:id",
    requires("monitoring.targets.write"),
    consoleForm(),
    async (c) => {
      const form = c.get("form");
      const pageLimit = Number(text(form.pageLimit));
      const schedule = text(form.schedule);
      const target = await deps.monitoring.updateTarget(principalOf(c), c.req.param("id"), {
        label: text(form.label),
        ...(schedule === "hourly" || schedule === "daily" || schedule === "weekly" ? { schedule } : {}),
        ...(Number.isInteger(pageLimit) && pageLimit >= 1 && pageLimit <= 20 ? { pageLimit } : {}),
        active: text(form.active) === "1",
      });
      return c.redirect(`/console/monitoring/targets/${encodeURIComponent(target.id)}`, 303);
    },
  );

  app.post(
    "/console/monitoring/targets/:id/capture",
    requires("monitoring.capture"),
    consoleForm(),
    async (c) => {
      const job = await deps.monitoring.captureTargetNow(principalOf(c), c.req.param("id"));
      return c.redirect(`/console/monitoring/jobs/${encodeURIComponent(job.id)}`, 303);
    },
  );

  app.post("/console/monitoring/captures", requires("monitoring.capture"), consoleForm(), async (c) => {
    const form = c.get("form");
    const actor = principalOf(c);
    try {
      const job = await deps.monitoring.requestCapture(actor, text(form.url));
      return c.redirect(`/console/monitoring/jobs/${encodeURIComponent(job.id)}`, 303);
    } catch (error) {
      // One job per URL in flight: a scheduled capture of the same page may be running (perhaps another
      // agency's, so it is not shown); the form says so instead of the generic conflict page.
      if (error instanceof ConflictError)
        return home(c, actor, { captureError: c.get("t").monitoring.captureBusy }, 409);
      if (!(error instanceof InvalidError)) throw error;
      return home(c, actor, { captureError: error.issues[0]?.message ?? error.message }, 400);
    }
  });

  app.get("/console/monitoring/jobs/:id", requires("monitoring.read"), async (c) => {
    const job = await deps.monitoring.getJob(principalOf(c), c.req.param("id"));
    if (job.state === "done" && job.captureId) {
      return c.redirect(`/console/monitoring/captures/${encodeURIComponent(job.captureId)}`, 303);
    }
    return c.html(<JobPage page={pageContext(c)} job={job} />);
  });

  app.get("/console/monitoring/captures/:id", requires("monitoring.read"), async (c) => {
    const { capture, items } = await deps.monitoring.getCapture(principalOf(c), c.req.param("id"));
    return c.html(<CapturePage page={pageContext(c)} capture={capture} items={items} />);
  });

  app.get("/console/monitoring/captures/:id/artefact", requires("monitoring.read"), async (c) => {
    const { artefact, body } = await deps.monitoring.artefact(
      principalOf(c),
      c.req.param("id"),
      c.req.query("key") ?? "",
    );
    return artefactResponse(c, artefact.name, artefact.contentType, body);
  });

  app.get("/console/monitoring/captures/:id/certificate.pdf", requires("monitoring.read"), async (c) => {
    const actor = principalOf(c);
    const { capture } = await deps.monitoring.getCapture(actor, c.req.param("id"));
    if (!capture.certificate) throw new NotFoundError("This capture has no certificate");
    const { body } = await deps.monitoring.artefact(actor, capture.id, capture.certificate.key);
    c.header("Content-Type", "application/pdf");
    c.header("Content-Disposition", `attachment; filename="chung-nhan-thu-thap-${capture.id}.pdf"`);
    c.header("Cache-Control", "no-store");
    return c.body(body as Uint8Array<ArrayBuffer>);
  });

  app.get("/console/monitoring/items", requires("monitoring.read"), async (c) => {
    const page = await deps.monitoring.listItems(principalOf(c), c.req.query("cursor") || undefined);
    return c.html(<ItemsPage page={pageContext(c)} items={page.items} next={page.next} />);
  });

  app.get("/console/monitoring/dead-letters", requires("monitoring.deadletters"), async (c) => {
    const letters = deps.deadLetters ? await deps.deadLetters.list(100) : [];
    const notice = c.req.query("redriven") ? c.get("t").monitoring.deadLetters.redriven : undefined;
    return c.html(
      <DeadLettersPage
        page={pageContext(c)}
        letters={letters}
        available={Boolean(deps.deadLetters)}
        notice={notice}
      />,
    );
  });

  app.post(
    "/console/monitoring/dead-letters/:id/redrive",
    requires("monitoring.deadletters"),
    consoleForm(),
    async (c) => {
      if (!deps.deadLetters) throw new NotFoundError("No dead-letter queue on this deployment");
      await deps.deadLetters.redrive(c.req.param("id"));
      return c.redirect("/console/monitoring/dead-letters?redriven=1", 303);
    },
  );
}
