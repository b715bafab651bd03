import type { UploadForm } from "@pledgewatch/core";
import type { Context } from "hono";
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
