import {
  DIRECT_UPLOAD_MAX_BYTES,
  DOCUMENT_CODE_PATTERN,
  MAX_VERIFY_UPLOAD_BYTES,
  PLEDGE_FAMILIES,
  PROVINCES,
  QuarterIdSchema,
} from "@pledgewatch/core";
import type { Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv, WebDeps } from "../env";
import { publicRoute } from "../middleware";
import { pageContext } from "../pages/page-context";
import { PrivacyPage } from "../pages/privacy";
import { RegistryPage, type VerifyOutcome, VerifyPage } from "../pages/verify";
import { allowFormTo } from "../uploads";
import { publicRateLimit } from "./rate-limit";
import { checkPublicCsrf, publicCsrf } from "./signing";

/** The public's pages: verify a pledge (by code or by uploading the PDF) and the registry of pledges. */
export function registerPublicPages(app: Hono<AppEnv>, deps: WebDeps) {
  const secure = deps.secureCookies;
  const pages = publicRateLimit(deps, "public", 300, 600);
  const uploads = publicRateLimit(deps, "verify-upload", 30, 600);

  // On AWS a request carries 6 MB at most (Lambda): larger PDFs go to S3 by the page's form, and the
  // direct path takes what fits.
  const MAX_UPLOAD_BYTES = deps.uploads ? DIRECT_UPLOAD_MAX_BYTES : MAX_VERIFY_UPLOAD_BYTES;

  const renderVerify = async (
    c: Context<AppEnv>,
    outcome?: VerifyOutcome,
    code?: string,
    status: 200 | 400 | 404 | 413 = 200,
  ) => {
    const upload = deps.uploads
      ? await deps.uploads.offer("verify", { redirect: `${deps.publicBaseUrl ?? ""}/verify/uploaded` })
      : undefined;
    if (upload) allowFormTo(c, upload);
    return c.html(
      <VerifyPage
        page={pageContext(c)}
        csrf={publicCsrf(c, secure)}
        outcome={outcome}
        code={code}
        upload={upload}
      />,
      status,
    );
  };

  /** An uploaded PDF's verdict, whichever way the file came (with the request, or from S3). */
  async function verifyAndShow(c: Context<AppEnv>, bytes: Uint8Array) {
    const result = await deps.signing.verifyUpload(bytes);
    deps.logger.info("pdf verified", {
      requestId: c.get("requestId"),
      verdict: result.verdict.kind,
      size: bytes.length,
    });
    return renderVerify(c, { kind: "upload", verdict: result.verdict, pledge: result.pledge });
  }

  async function lookup(c: Context<AppEnv>, raw: string) {
    const code = raw.trim().toUpperCase().slice(0, 40);
    if (!DOCUMENT_CODE_PATTERN.test(code))
      return renderVerify(c, { kind: "code", code, pledge: null, badCode: true }, code, 400);
    const pledge = await deps.signing.verifyCodeLookup(code);
    return renderVerify(c, { kind: "code", code, pledge }, code, pledge ? 200 : 404);
  }

  app.get("/verify", publicRoute(), pages, async (c) => {
    const code = c.req.query("code");
    return code ? lookup(c, code) : renderVerify(c);
  });

  // Where S3 sends the browser back after a PDF went to the uploads bucket (AWS): read once, verified.
  app.get("/verify/uploaded", publicRoute(), uploads, async (c) => {
    const key = c.req.query("key") ?? "";
    const file = deps.uploads ? await deps.uploads.take("verify", key) : null;
    if (!file)
      return renderVerify(c, { kind: "upload", verdict: { kind: "missing" }, pledge: null }, undefined, 400);
    return verifyAndShow(c, file.bytes);
  });

  // The QR code on every document points here.
  app.get("/verify/:code", publicRoute(), pages, (c) => lookup(c, c.req.param("code")));

  app.post(
    "/verify",
    publicRoute(),
    uploads,
    bodyLimit({
      // A little over the file limit for the multipart envelope.
      maxSize: MAX_UPLOAD_BYTES + 64 * 1024,
      onError: (c) =>
        renderVerify(
          c as Context<AppEnv>,
          { kind: "upload", verdict: { kind: "too_large" }, pledge: null },
          undefined,
          413,
        ),
    }),
    async (c) => {
      const form = await c.req.parseBody();
      if (!checkPublicCsrf(c, secure, form._csrf)) {
        return renderVerify(
          c,
          { kind: "upload", verdict: { kind: "missing" }, pledge: null },
          undefined,
          400,
        );
      }
      const file = form.file;
      if (!(file instanceof File) || file.size === 0) {
        return renderVerify(
          c,
          { kind: "upload", verdict: { kind: "missing" }, pledge: null },
          undefined,
          400,
        );
      }
      if (file.size > MAX_UPLOAD_BYTES) {
        return renderVerify(
          c,
          { kind: "upload", verdict: { kind: "too_large" }, pledge: null },
          undefined,
          413,
        );
      }
      return verifyAndShow(c, new Uint8Array(await file.arrayBuffer()));
    },
  );

  app.get("/privacy", publicRoute(), pages, (c) => c.html(<PrivacyPage page={pageContext(c)} />));

  app.get("/registry", publicRoute(), pages, async (c) => {
    const family = c.req.query("family");
    const province = c.req.query("province");
    const quarter = c.req.query("quarter");
    const cursor = c.req.query("cursor");
    const ok = {
      family: family && (PLEDGE_FAMILIES as readonly string[]).includes(family) ? family : undefined,
      province: province && PROVINCES.some((p) => p.code === province) ? province : undefined,
      quarter: quarter && QuarterIdSchema.safeParse(quarter).success ? quarter : undefined,
      cursor: cursor && cursor.length < 2048 ? cursor : undefined,
    };
    const result = await deps.signing.publicRegistry(ok);
    return c.html(
      <RegistryPage
        page={pageContext(c)}
        quarter={result.quarter}
        family={ok.family}
        province={ok.province}
        items={result.items}
        next={result.next}
      />,
    );
  });
}
