import { timingSafeEqual } from "node:crypto";
import { type Action, authorize, ForbiddenError, parseInput, UnauthenticatedError } from "@pledgewatch/core";
import type { Context, MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import type { z } from "zod";
import type { AppEnv, WebDeps } from "./env";
import { isLanguage, type Language, messages } from "./i18n";

export function cookieNames(secure: boolean) {
  // The __Host- prefix pins a cookie to this exact host, path / and HTTPS; plain-http local runs cannot use it.
  const prefix = secure ? "__Host-" : "";
  return {
    session: `${prefix}pw_session`,
    csrf: `${prefix}pw_csrf`,
    /** A sign-in waiting for its challenge's answer (new password, authenticator code). */
    challenge: `${prefix}pw_signin`,
    lang: "pw_lang",
  };
}

/** `?lang=en` switches and remembers; otherwise the cookie; otherwise Vietnamese. */
export function language(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const query = c.req.query("lang");
    const cookie = getCookie(c, "pw_lang");
    if (isLanguage(query)) {
      setCookie(c, "pw_lang", query, { path: "/", sameSite: "Lax", maxAge: 365 * 24 * 3600, httpOnly: true });
    }
    const lang: Language = isLanguage(query) ? query : isLanguage(cookie) ? cookie : "vi";
    c.set("lang", lang);
    c.set("t", messages(lang));
    await next();
  };
}

/** Resolves who is calling, from the session cookie or a bearer token. Refuses nothing by itself. */
export function identify(deps: WebDeps): MiddlewareHandler<AppEnv> {
  const names = cookieNames(deps.secureCookies);
  return async (c, next) => {
    c.set("principal", undefined);
    c.set("csrfToken", undefined);
    const authorization = c.req.header("Authorization");
    if (authorization) {
      const [scheme, token] = authorization.split(" ");
      if (scheme?.toLowerCase() !== "bearer" || !token || !deps.verifyBearer) {
        throw new UnauthenticatedError("Unsupported authorization");
      }
      const principal = await deps.verifyBearer(token).catch(() => null);
      if (!principal) throw new UnauthenticatedError("Invalid or expired token");
      c.set("principal", principal);
    } else {
      const token = getCookie(c, names.session);
      if (token) {
        const session = await deps.sessions.resolve(token);
        if (session) {
          c.set("principal", session.principal);
          c.set("csrfToken", session.csrfToken);
          c.set("sessionExpiresAt", session.expiresAt);
        }
      }
    }
    await next();
  };
}

/** Marks a route as open to anyone. Every route declares either this or `requires(action)`. */
export function publicRoute(): MiddlewareHandler<AppEnv> {
  return async (_c, next) => {
    await next();
  };
}

/** Lets the request through only when the caller may perform `action` (scope is checked by the use case). */
export function requires(action: Action): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = c.get("principal");
    if (!principal) throw new UnauthenticatedError();
    authorize(principal, action);
    await next();
  };
}

export function sameToken(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Checks the synchronizer token of a console form against the session. Hono's `csrf()` middleware
 * also checks Origin on every form post, so this is the second of two independent checks.
 */
export function checkFormCsrf(c: Context<AppEnv>, submitted: unknown): void {
  if (!sameToken(c.get("csrfToken"), typeof submitted === "string" ? submitted : undefined)) {
    throw new ForbiddenError("CSRF token missing or wrong");
  }
}

/** The caller of a route guarded by `requires`: present by construction, checked again for the type system. */
export function principalOf(c: Pick<Context<AppEnv>, "get">) {
  const principal = c.get("principal");
  if (!principal) throw new UnauthenticatedError();
  return principal;
}

/** A console form's fields as Hono parses them (a repeated name gives an array, a file a File). */
export type FormBody = Record<string, string | File | (string | File)[]>;

/**
 * Every console form goes through this middleware, after the route's role check and body limit: the body
 * is parsed once (`all`: a repeated name gives an array) and its CSRF token checked before the handler
 * runs; the handler reads the fields with `c.get("form")`. With a zod schema the fields are validated too,
 * and the handler reads the parsed value with `c.get("input")`; a bad field answers 400 naming it
 * (InvalidError, shown in Vietnamese).
 */
export function consoleForm(options?: { all?: boolean }): MiddlewareHandler<AppEnv>;
export function consoleForm<S extends z.ZodType>(options: {
  all?: boolean;
  schema: S;
  what: string;
}): MiddlewareHandler<AppEnv & { Variables: { input: z.output<S> } }>;
export function consoleForm(
  options: { all?: boolean; schema?: z.ZodType; what?: string } = {},
): MiddlewareHandler {
  return async (c, next) => {
    const form = (await c.req.parseBody({ all: options.all ?? false })) as FormBody;
    checkFormCsrf(c as Context<AppEnv>, form._csrf);
    c.set("form", form);
    if (options.schema) c.set("input", parseInput(options.schema, form, options.what ?? "Invalid form"));
    await next();
  };
}
