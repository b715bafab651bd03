import { ConflictError, InvalidError } from "@pledgewatch/core";
import type { Context, Hono } from "hono";
import type { AppEnv, WebDeps } from "../env";
import { type FormBody, publicRoute } from "../middleware";
import { pageContext } from "../pages/page-context";
import { TakedownPage } from "../pages/takedown";
import { publicRateLimit } from "./rate-limit";
import { checkPublicCsrf, publicCsrf } from "./signing";

const text = (v: unknown) => (typeof v === "string" ? v.trim() : "");

/** The platform's answer to a takedown request: public, reached only by the single-use link. */
export function registerTakedownPages(app: Hono<AppEnv>, deps: WebDeps) {
  const secure = deps.secureCookies;
  const limit = publicRateLimit(deps, "takedown", 60, 600);

  app.use("/takedown/*", async (c, next) => {
    await next();
    c.header("Cache-Control", "no-store");
    c.header("X-Robots-Tag", "noindex");
    c.header("Referrer-Policy", "no-referrer");
  });

  async function show(
    c: Context<AppEnv>,
    token: string,
    extra: { done?: boolean; error?: string } = {},
    status = 200,
  ) {
    const view = await deps.takedowns.open(token);
    return c.html(
      <TakedownPage page={pageContext(c)} view={view} csrf={publicCsrf(c, secure)} {...extra} />,
      status as 200,
    );
  }

  app.get("/takedown/:token", publicRoute(), limit, (c) => show(c, c.req.param("token")));

  app.post("/takedown/:token", publicRoute(), limit, async (c) => {
    const token = c.req.param("token");
    const form = (await c.req.parseBody()) as FormBody;
    if (!checkPublicCsrf(c, secure, form._csrf))
      return show(c, token, { error: c.get("t").signIn.expired }, 403);
    const reason = text(form.reason);
    try {
      await deps.takedowns.answer(token, { answer: text(form.answer), ...(reason ? { reason } : {}) });
    } catch (error) {
      if (error instanceof InvalidError)
        return show(c, token, { error: c.get("t").takedownPage.reasonRequired }, 400);
      if (error instanceof ConflictError) return show(c, token, {}, 409);
      throw error;
    }
    return show(c, token, { done: true });
  });
}
