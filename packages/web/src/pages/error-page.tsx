import { type AppError, InvalidError } from "@pledgewatch/core";
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { format, messages } from "../i18n";
import { fieldName, issueMessage } from "./issues";
import { Layout } from "./layout";
import { pageContext } from "./page-context";

export function ErrorPage({ c, status, error }: { c: Context<AppEnv>; status: number; error?: AppError }) {
  // The error may come from a middleware that ran before language detection.
  const page = { ...pageContext(c), lang: c.get("lang") ?? "vi", t: c.get("t") ?? messages("vi") };
  const { t } = page;
  const [title, text] =
    status === 404
      ? [t.errors.notFoundTitle, t.errors.notFound]
      : status === 403
        ? [t.errors.forbiddenTitle, t.errors.forbidden]
        : status === 400
          ? [t.errors.invalidTitle, t.errors.invalidTitle]
          : status === 429
            ? [t.errors.tooManyTitle, t.errors.tooMany]
            : status === 409
              ? [t.errors.conflictTitle, t.errors.conflict]
              : status === 413 && error
                ? [t.errors.tooLargeTitle, error.message]
                : [t.errors.serverTitle, format(t.errors.server, { requestId: c.get("requestId") ?? "" })];
  return (
    <Layout page={page} title={title}>
      <h1>{title}</h1>
      <p>{text}</p>
      {error instanceof InvalidError && error.issues.length > 0 ? (
        <ul class="errors">
          {error.issues.map((issue) => (
            <li>
              {issue.field ? <strong>{fieldName(t, issue.field)}</strong> : null}
              {issue.field ? ": " : null}
              {issueMessage(t, issue)}
            </li>
          ))}
        </ul>
      ) : null}
      <p>
        <a href="/console">{t.errors.backHome}</a>
      </p>
    </Layout>
  );
}
