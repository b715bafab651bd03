import { DIRECT_DOWNLOAD_MAX_BYTES, type DownloadLinks, type UploadForm } from "@pledgewatch/core";
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "./env";

export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";

/**
 * A page with a form that posts a file straight to S3: the CSP's form-action lets forms go to that one
 * origin besides the site (S3 then sends the browser back to the site).
 */
export function allowFormTo(c: Context<AppEnv>, form: UploadForm): void {
  const origin = new URL(form.url).origin;
  c.header("Content-Security-Policy", CSP.replace("form-action 'self'", `form-action 'self' ${origin}`));
}

/** The form of an upload to S3: the policy's fields, then the file (S3 reads fields up to `file`). */
export function S3UploadForm({
  form,
  label,
  accept,
  submit,
  hint,
}: {
  form: UploadForm;
  label: string;
  accept: string;
  submit: string;
  hint?: string | undefined;
}) {
  return (
    <form method="post" action={form.url} enctype="multipart/form-data">
      {Object.entries(form.fields).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <label for="upload-file">{label}</label>
      {hint ? (
        <p class="hint" id="upload-file-hint">
          {hint}
        </p>
      ) : null}
      <input
        type="file"
        id="upload-file"
        name="file"
        accept={accept}
        required
        aria-describedby={hint ? "upload-file-hint" : undefined}
      />
      <button type="submit">{submit}</button>
    </form>
  );
}

/**
 * On AWS a response over DIRECT_DOWNLOAD_MAX_BYTES cannot leave Lambda (6 MB with base64): a GET's file
 * (anything but a page) of that size is copied to S3 and answered with a 303 to a five-minute link that
 * carries its type, disposition and caching. Pages may show such a file as an image, so their CSP lets
 * images come from the links' origin too.
 */
export function largeDownloadsThroughLinks(links: DownloadLinks): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    const type = c.res.headers.get("content-type") ?? "";
    if (type.startsWith("text/html")) {
      const csp = c.res.headers.get("content-security-policy");
      if (csp?.includes("img-src 'self' data:"))
        c.res.headers.set(
          "content-security-policy",
          csp.replace("img-src 'self' data:", `img-src 'self' data: ${links.origin}`),
        );
      return;
    }
    if (c.req.method !== "GET" || c.res.status !== 200 || !c.res.body) return;
    const declared = Number(c.res.headers.get("content-length") ?? Number.NaN);
    if (declared <= DIRECT_DOWNLOAD_MAX_BYTES) return;
    const body = new Uint8Array(await c.res.clone().arrayBuffer());
    if (body.length <= DIRECT_DOWNLOAD_MAX_BYTES) return;
    const url = await links.link(body, {
      contentType: type || "application/octet-stream",
      contentDisposition: c.res.headers.get("content-disposition") ?? undefined,
      cacheControl: c.res.headers.get("cache-control") ?? undefined,
    });
    // A new response, not merged with the file's headers (Hono copies them onto a replacement).
    c.res = undefined;
    c.res = new Response(null, { status: 303, headers: { location: url, "cache-control": "no-store" } });
  };
}
