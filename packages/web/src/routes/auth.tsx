import {
  otpauthUri,
  randomToken,
  type SignInOutcome,
  TooManyRequestsError,
  UnauthenticatedError,
} from "@pledgewatch/core";
import type { Context, Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import QRCode from "qrcode";
import type { AppEnv, WebDeps } from "../env";
import { format } from "../i18n";
import { consoleForm, cookieNames, principalOf, publicRoute, requires, sameToken } from "../middleware";
import { pageContext } from "../pages/page-context";
import { SignInPage } from "../pages/sign-in";
import { SignInChallengePage } from "../pages/sign-in-challenge";

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

  /** The sign-in limits' refusal: Retry-After, and the minutes to wait in the page's language. */
  function throttled(c: Context<AppEnv>, error: TooManyRequestsError): string {
    c.header("Retry-After", String(error.retryAfterSeconds));
    return format(c.get("t").signIn.throttled, { minutes: Math.ceil(error.retryAfterSeconds / 60) });
  }

  type Session = Extract<SignInOutcome, { kind: "session" }>;
  type Challenge = Extract<SignInOutcome, { kind: "challenge" }>;

  /**
   * A cookie's lifetime as Max-Age (seconds from now by the platform's clock), not Expires: the browser's
   * clock may differ from the server's — and under npm start's time travel by years, where an Expires
   * past 400 days from real time is refused outright (found by test/integration/privacy.test.ts).
   */
  const maxAgeUntil = (at: Date) =>
    Math.max(0, Math.ceil((at.getTime() - deps.clock.now().getTime()) / 1000));

  function signedIn(c: Context<AppEnv>, session: Session, next: string) {
    setCookie(c, names.session, session.token, { ...cookieBase, maxAge: maxAgeUntil(session.expiresAt) });
    deleteCookie(c, names.csrf, { path: "/", secure: deps.secureCookies });
    deleteCookie(c, names.challenge, { path: "/", secure: deps.secureCookies });
    deps.logger.info("staff signed in", {
      requestId: c.get("requestId"),
      staffId: session.principal.staffId,
    });
    return c.redirect(next, 303);
  }

  /** The challenge's page; the pending sign-in's token goes in an httpOnly cookie, never in the page. */
  async function challengePage(c: Context<AppEnv>, outcome: Challenge, next: string) {
    const page = pageContext(c);
    const { t } = page;
    setCookie(c, names.challenge, outcome.token, {
      ...cookieBase,
      sameSite: "Strict",
      maxAge: maxAgeUntil(outcome.expiresAt),
    });
    const issue = outcome.issues?.[0]?.message;
    const error = outcome.wrongAnswer
      ? t.signIn.wrongCode
      : issue && issue in t.signIn.issues
        ? t.signIn.issues[issue as keyof typeof t.signIn.issues]
        : undefined;
    const qrDataUrl = outcome.secret
      ? await QRCode.toDataURL(otpauthUri(outcome.secret, outcome.email), { margin: 1, width: 200 })
      : undefined;
    return c.html(
      <SignInChallengePage
        page={page}
        csrf={loginCsrf(c)}
        next={next}
        challenge={outcome.challenge}
        email={outcome.email}
        qrDataUrl={qrDataUrl}
        secret={outcome.secret}
        error={error}
      />,
      outcome.wrongAnswer || outcome.issues ? 400 : 200,
    );
  }

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
      const outcome = await deps.signIn({ email, password, address: clientAddress(c) });
      return outcome.kind === "session" ? signedIn(c, outcome, next) : challengePage(c, outcome, next);
    } catch (error) {
      if (error instanceof TooManyRequestsError) return render(429, throttled(c, error));
      if (error instanceof UnauthenticatedError) {
        deps.logger.warn("failed sign-in", { requestId: c.get("requestId") });
        return render(401, t.signIn.failed);
      }
      throw error;
    }
  });

  app.post("/sign-in/challenge", publicRoute(), async (c) => {
    const form = await c.req.parseBody();
    const page = pageContext(c);
    const { t } = page;
    const next = safeNext(form.next);
    const field = (name: string, max: number) => {
      const value = form[name];
      return typeof value === "string" ? value.slice(0, max) : "";
    };
    const restart = (status: 401 | 403 | 429, error: string) => {
      deleteCookie(c, names.challenge, { path: "/", secure: deps.secureCookies });
      return c.html(<SignInPage page={page} csrf={loginCsrf(c)} next={next} error={error} />, status);
    };
    if (!sameToken(getCookie(c, names.csrf), typeof form._csrf === "string" ? form._csrf : undefined)) {
      return restart(403, t.signIn.expired);
    }
    const token = getCookie(c, names.challenge);
    if (!token) return restart(401, t.signIn.challengeExpired);
    try {
      const outcome = await deps.continueSignIn({
        token,
        answer: {
          newPassword: field("newPassword", 1024),
          confirmPassword: field("confirmPassword", 1024),
          code: field("code", 16),
        },
        address: clientAddress(c),
      });
      return outcome.kind === "session" ? signedIn(c, outcome, next) : challengePage(c, outcome, next);
    } catch (error) {
      if (error instanceof TooManyRequestsError) return restart(429, throttled(c, error));
      if (error instanceof UnauthenticatedError) {
        deps.logger.warn("sign-in challenge ended", { requestId: c.get("requestId") });
        return restart(401, t.signIn.challengeExpired);
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

  // Every session of the signed-in staff member ends, on every device (a lost phone, a shared computer).
  app.post("/sign-out/everywhere", requires("console.view"), consoleForm(), async (c) => {
    const token = getCookie(c, names.session);
    const ended = token ? await deps.sessions.endEverywhere(token) : 0;
    deps.logger.info("signed out everywhere", {
      requestId: c.get("requestId"),
      staffId: principalOf(c).staffId,
      sessions: ended,
    });
    deleteCookie(c, names.session, { path: "/", secure: deps.secureCookies });
    return c.redirect("/sign-in", 303);
  });
}
