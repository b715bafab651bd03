import { InvalidError, NotFoundError, TipRefusedError } from "@pledgewatch/core";
import type { Context, Hono } from "hono";
import type { AppEnv, WebDeps } from "../env";
import { format } from "../i18n";
import { publicRoute } from "../middleware";
import { fieldErrors } from "../pages/form-errors";
import { pageContext } from "../pages/page-context";
import { TipFormPage, type TipFormValues, TipTrackPage } from "../pages/tips";
import { clientAddress } from "./auth";
import { publicRateLimit } from "./rate-limit";

/** A refusal in the caller's language (the catalogue's message, with the wait in minutes). */
export function refusalMessage(t: AppEnv["Variables"]["t"], error: TipRefusedError): string {
  const minutes = Math.max(1, Math.ceil((error.retryAfterSeconds ?? 60) / 60));
  return format(t.tips.refusals[error.reason], { minutes });
}

/** The public tip form and the tracking page: no sign-in, every response private and uncached. */
export function registerTipPages(app: Hono<AppEnv>, deps: WebDeps) {
  const pages = publicRateLimit(deps, "public", 300, 600);

  app.use("/tips", async (c, next) => {
    await next();
    c.header("Cache-Control", "no-store");
  });
  app.use("/tips/*", async (c, next) => {
    await next();
    c.header("Cache-Control", "no-store");
    c.header("Referrer-Policy", "no-referrer");
  });

  const showForm = async (
    c: Context<AppEnv>,
    options: {
      values?: TipFormValues;
      errors?: Record<string, string>;
      refusal?: string;
      status?: 200 | 400 | 429;
    } = {},
  ) =>
    c.html(
      <TipFormPage
        page={pageContext(c)}
        formToken={await deps.tips.formToken()}
        values={options.values}
        errors={options.errors}
        refusal={options.refusal}
      />,
      options.status ?? 200,
    );

  app.get("/tips", publicRoute(), pages, (c) => showForm(c));

  app.post("/tips", publicRoute(), pages, async (c) => {
    const form = await c.req.parseBody();
    const text = (name: string) => (typeof form[name] === "string" ? (form[name] as string) : undefined);
    const values: TipFormValues = {
      url: text("url"),
      category: text("category"),
      details: text("details"),
      contact: text("contact"),
      province: text("province"),
      privacyConsent: text("privacyConsent") === "yes",
    };
    try {
      const { code } = await deps.tips.submit(
        {
          url: values.url ?? "",
          ...(values.category ? { category: values.category } : {}),
          details: values.details ?? "",
          ...(values.contact?.trim() ? { contact: values.contact } : {}),
          province: values.province ?? "",
          ...(values.privacyConsent ? { privacyConsent: true } : {}),
          formToken: text("formToken"),
          website: text("website"),
        },
        { address: clientAddress(c) },
      );
      return c.redirect(`/tips/track?code=${encodeURIComponent(code)}&new=1`, 303);
    } catch (error) {
      if (error instanceof TipRefusedError) {
        if (error.retryAfterSeconds !== undefined) c.header("Retry-After", String(error.retryAfterSeconds));
        return showForm(c, {
          values,
          refusal: refusalMessage(c.get("t"), error),
          status: error.code === "too_many_requests" ? 429 : 400,
        });
      }
      if (error instanceof InvalidError) {
        return showForm(c, { values, errors: fieldErrors(error.issues, c.get("t")), status: 400 });
      }
      throw error;
    }
  });

  app.get("/tips/track", publicRoute(), pages, async (c) => {
    const code = c.req.query("code")?.slice(0, 40);
    if (!code) return c.html(<TipTrackPage page={pageContext(c)} />);
    try {
      const view = await deps.tips.status(code);
      return c.html(
        <TipTrackPage
          page={pageContext(c)}
          view={view}
          code={view.code}
          justFiled={c.req.query("new") === "1"}
        />,
      );
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      return c.html(<TipTrackPage page={pageContext(c)} code={code} notFound />, 404);
    }
  });
}
