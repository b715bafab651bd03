import {
  ConflictError,
  DrawnSignatureSchema,
  InvalidError,
  NotFoundError,
  type RequestMeta,
  randomToken,
  TooManyRequestsError,
} from "@pledgewatch/core";
import type { Context, Hono } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import type { AppEnv, WebDeps } from "../env";
import { format } from "../i18n";
import { type FormBody, publicRoute, sameToken } from "../middleware";
import { type FieldErrors, fieldErrors } from "../pages/form-errors";
import { pageContext } from "../pages/page-context";
import { type SignFormValues, SignMessagePage, SignPage } from "../pages/sign";
import { clientAddress } from "./auth";
import { publicRateLimit } from "./rate-limit";

const text = (v: unknown) => (typeof v === "string" ? v : "");

export function publicCookieNames(secure: boolean) {
  const prefix = secure ? "__Host-" : "";
  return { csrf: `${prefix}pw_pcsrf`, signer: `${prefix}pw_signer` };
}

/** Double-submit token for public forms (no session exists): a SameSite=Strict cookie and a hidden field. */
export function publicCsrf(c: Context<AppEnv>, secure: boolean): string {
  const name = publicCookieNames(secure).csrf;
  let token = getCookie(c, name);
  if (!token || token.length < 20) {
    token = randomToken(24);
    setCookie(c, name, token, { path: "/", httpOnly: true, secure, sameSite: "Strict", maxAge: 4 * 3600 });
  }
  return token;
}

export function checkPublicCsrf(c: Context<AppEnv>, secure: boolean, submitted: unknown): boolean {
  return sameToken(
    getCookie(c, publicCookieNames(secure).csrf),
    typeof submitted === "string" ? submitted : undefined,
  );
}

export function requestMeta(c: Context<AppEnv>): RequestMeta {
  return { ip: clientAddress(c), userAgent: (c.req.header("User-Agent") ?? "").slice(0, 300) };
}

/** The signer's pages, reached by the invitation link. Every response is private and uncached. */
export function registerSigning(app: Hono<AppEnv>, deps: WebDeps) {
  const secure = deps.secureCookies;
  const names = publicCookieNames(secure);
  const limit = publicRateLimit(deps, "sign", 120, 600);

  app.use("/sign/*", async (c, next) => {
    await next();
    c.header("Cache-Control", "no-store");
    c.header("X-Robots-Tag", "noindex");
  });

  const message = (
    c: Context<AppEnv>,
    status: 200 | 404 | 409 | 410 | 429,
    title: string,
    body: string,
    extra = {},
  ) => c.html(<SignMessagePage page={pageContext(c)} title={title} message={body} {...extra} />, status);

  /** Renders whatever state the invitation is in; the form with errors when given. */
  async function show(
    c: Context<AppEnv>,
    token: string,
    options: {
      errors?: FieldErrors;
      values?: SignFormValues;
      codeSentTo?: string;
      status?: 200 | 400 | 429;
    } = {},
  ) {
    const { t } = pageContext(c);
    let view: Awaited<ReturnType<WebDeps["signing"]["open"]>>;
    try {
      view = await deps.signing.open(token, requestMeta(c), getCookie(c, names.signer));
    } catch (error) {
      if (error instanceof NotFoundError) return message(c, 404, t.sign.linkTitle, t.sign.invalid);
      throw error;
    }
    const link = `/sign/${encodeURIComponent(token)}`;
    switch (view.state) {
      case "revoked":
        return message(c, 410, t.sign.linkTitle, t.sign.revoked);
      case "expired":
        return message(c, 410, t.sign.linkTitle, t.sign.expired);
      case "signing":
        return message(c, 200, t.sign.processingTitle, t.sign.signingNow, { refreshSeconds: 3 });
      case "signed": {
        const code = view.pledge?.documentCode ?? view.invitation.documentCode ?? "";
        const mine = await deps.signing
          .documentForSigner(token, getCookie(c, names.signer))
          .then(() => true)
          .catch(() => false);
        return message(
          c,
          200,
          t.sign.doneTitle,
          mine ? format(t.sign.done, { code }) : t.sign.signedAlready,
          {
            links: [
              ...(mine ? [{ href: `${link}/document`, label: t.sign.downloadPdf }] : []),
              { href: `/verify/${encodeURIComponent(code)}`, label: t.sign.verifyLink },
            ],
          },
        );
      }
      case "ready":
        return c.html(
          <SignPage
            page={pageContext(c)}
            token={token}
            invitation={view.invitation}
            party={view.party}
            template={view.template}
            verified={view.verified}
            maskedEmail={deps.signing.maskEmail(view.invitation.email)}
            codeSentTo={options.codeSentTo}
            csrf={publicCsrf(c, secure)}
            errors={options.errors ?? {}}
            values={options.values ?? {}}
          />,
          options.status ?? 200,
        );
    }
  }

  /** Wrong or missing CSRF token: the form is shown again with a message, nothing is done. */
  function csrfFailed(c: Context<AppEnv>, token: string) {
    return show(c, token, { errors: { "": pageContext(c).t.sign.formExpired }, status: 400 });
  }

  function throttled(c: Context<AppEnv>, token: string, error: TooManyRequestsError) {
    c.header("Retry-After", String(error.retryAfterSeconds));
    const minutes = Math.max(1, Math.ceil(error.retryAfterSeconds / 60));
    return show(c, token, {
      errors: { code: format(pageContext(c).t.sign.tooMany, { minutes }) },
      status: 429,
    });
  }

  app.get("/sign/:token", publicRoute(), limit, (c) => show(c, c.req.param("token")));

  app.post("/sign/:token/code", publicRoute(), limit, async (c) => {
    const token = c.req.param("token");
    const form = (await c.req.parseBody()) as FormBody;
    if (!checkPublicCsrf(c, secure, form._csrf)) return csrfFailed(c, token);
    try {
      const { sentTo } = await deps.signing.sendCode(token, requestMeta(c));
      return show(c, token, { codeSentTo: sentTo });
    } catch (error) {
      if (error instanceof TooManyRequestsError) return throttled(c, token, error);
      if (error instanceof NotFoundError || error instanceof ConflictError || error instanceof InvalidError) {
        return show(c, token);
      }
      throw error;
    }
  });

  app.post("/sign/:token/verify", publicRoute(), limit, async (c) => {
    const token = c.req.param("token");
    const form = (await c.req.parseBody()) as FormBody;
    if (!checkPublicCsrf(c, secure, form._csrf)) return csrfFailed(c, token);
    try {
      const { key } = await deps.signing.verifyCode(token, text(form.code).slice(0, 20), requestMeta(c));
      setCookie(c, names.signer, key, {
        path: "/",
        httpOnly: true,
        secure,
        sameSite: "Strict",
        maxAge: 30 * 60,
      });
      return c.redirect(`/sign/${encodeURIComponent(token)}`, 303);
    } catch (error) {
      if (error instanceof TooManyRequestsError) return throttled(c, token, error);
      if (error instanceof InvalidError)
        return show(c, token, { errors: fieldErrors(error.issues), status: 400 });
      if (error instanceof NotFoundError || error instanceof ConflictError) return show(c, token);
      throw error;
    }
  });

  app.post("/sign/:token", publicRoute(), limit, async (c) => {
    const token = c.req.param("token");
    const form = (await c.req.parseBody()) as FormBody;
    if (!checkPublicCsrf(c, secure, form._csrf)) return csrfFailed(c, token);
    const declarations: Record<string, string> = {};
    for (const [key, value] of Object.entries(form)) {
      if (key.startsWith("declarations.") && typeof value === "string") {
        declarations[key.slice("declarations.".length)] = value;
      }
    }
    const values: SignFormValues = {
      signerName: text(form.signerName),
      signerTitle: text(form.signerTitle),
      workplace: text(form.workplace),
      typedSignature: text(form.typedSignature),
      declarations,
    };
    const drawn = DrawnSignatureSchema.safeParse(text(form.drawnSignature));
    if (!drawn.success) {
      return show(c, token, {
        errors: { drawnSignature: drawn.error.issues[0]?.message ?? "" },
        values,
        status: 400,
      });
    }
    try {
      await deps.signing.sign(
        token,
        getCookie(c, names.signer),
        {
          signerName: values.signerName,
          signerTitle: values.signerTitle,
          typedSignature: values.typedSignature,
          consent: form.consent === "yes",
          privacyConsent: form.privacyConsent === "yes",
          ...(values.workplace ? { workplace: values.workplace } : {}),
          ...(drawn.data ? { drawnSignature: drawn.data } : {}),
          declarations,
        },
        requestMeta(c),
      );
      return c.redirect(`/sign/${encodeURIComponent(token)}`, 303);
    } catch (error) {
      // A second click or tab while the first is signing, or after it signed: show the outcome.
      if (error instanceof ConflictError || error instanceof NotFoundError) return show(c, token);
      if (error instanceof InvalidError)
        return show(c, token, { errors: fieldErrors(error.issues), values, status: 400 });
      throw error;
    }
  });

  app.get("/sign/:token/document", publicRoute(), limit, async (c) => {
    const { pledge, pdf } = await deps.signing.documentForSigner(
      c.req.param("token"),
      getCookie(c, names.signer),
    );
    c.header("Content-Type", "application/pdf");
    c.header("Content-Disposition", `attachment; filename="${pledge.documentCode}.pdf"`);
    return c.body(pdf as Uint8Array<ArrayBuffer>);
  });
}
