import { randomToken, TooManyRequestsError, UnauthenticatedError } from "@pledgewatch/core";
import type { Context, Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { AppEnv, WebDeps } from "../env";
import { format } from "../i18n";
import { consoleForm, cookieNames, publicRoute, requires, sameToken } from "../middleware";
import { pageContext } from "../pages/page-context";
import { SignInPage } from "../pages/sign-in";

/** Only same-site relative paths are followed after sign-in (no open redirect). */
export function safeNext(value: unknown): string {
  if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//") || value.includes("\\")) {
    return "/console";
  }
  return value;
}

export function clientAddress(c: Context<AppEnv>): string {
  // API Gateway puts the caller's address in its request context; locally the socket address is injected
  // by the Node server. A client-sent X-Forwarded-For is never trusted for throttling.
  const env = c.env as
    | { requestContext?: { http?: { sourceIp?: string } }; remoteAddress?: string }
    | undefined;
  return env?.requestContext?.http?.sourceIp ?? env?.remoteAddress ?? "unknown";
}

export function registerAuth(app: Hono<AppEnv>, deps: WebDeps) {
  const names = cookieNames(deps.secureCookies);
  const cookieBase = { path: "/", httpOnly: true, secure: deps.secureCookies, sameSite: "Lax" as const };

  /** Double-submit token for the sign-in form, which is posted before any session exists. */
  function loginCsrf(c: Context<AppEnv>): string {
    let token = getCookie(c, names.csrf);
    if (!token) {
      token = randomToken(24);
      setCookie(c, names.csrf, token, { ...cookieBase, sameSite: "Strict", maxAge: 3600 });
    }
    return token;
  }

  app.get("/sign-in", publicRoute(), (c) => {
    if (c.get("principal")) return c.redirect(safeNext(c.req.query("next")), 303);
    const page = pageContext(c);
    return c.html(<SignInPage page={page} csrf={loginCsrf(c)} next={safeNext(c.req.query("next"))} />);
  });

  app.post("/sign-in", publicRoute(), async (c) => {
    const form = await c.req.parseBody();
    const page = pageContext(c);
    const { t } = page;
    const email = typeof form.email === "string" ? form.email.slice(0, 320) : "";
    const password = typeof form.password === "string" ? form.password.slice(0, 1024) : "";
    const next = safeNext(form.next);
    const render = (status: 400 | 401 | 403 | 429, error: string) =>
      c.html(<SignInPage page={page} csrf={loginCsrf(c)} next={next} email={email} error={error} />, status);

    if (!sameToken(getCookie(c, names.csrf), typeof form._csrf === "string" ? form._csrf : undefined)) {
      return render(403, t.signIn.expired);
    }
    if (!email || !password) return render(400, t.signIn.missing);
    try {
      const session = await deps.signIn({ email, password, address: clientAddress(c) });
      setCookie(c, names.session, session.token, { ...cookieBase, expires: session.expiresAt });
      deleteCookie(c, names.csrf, { path: "/", secure: deps.secureCookies });
      deps.logger.info("staff signed in", {
        requestId: c.get("requestId"),
        staffId: session.principal.staffId,
      });
      return c.redirect(next, 303);
    } catch (error) {
      if (error instanceof TooManyRequestsError) {
        c.header("Retry-After", String(error.retryAfterSeconds));
        return render(429, format(t.signIn.throttled, { minutes: Math.ceil(error.retryAfterSeconds / 60) }));
      }
      if (error instanceof UnauthenticatedError) {
        deps.logger.warn("failed sign-in", { requestId: c.get("requestId") });
        return render(401, t.signIn.failed);
      }
      throw error;
    }
  });

  app.post("/sign-out", requires("console.view"), consoleForm(), async (c) => {
    const token = getCookie(c, names.session);
    if (token) await deps.sessions.end(token);
    deleteCookie(c, names.session, { path: "/", secure: deps.secureCookies });
    return c.redirect("/sign-in", 303);
  });
}
