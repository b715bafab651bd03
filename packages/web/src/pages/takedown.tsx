import { agencyByCode, type TakedownView } from "@pledgewatch/core";
import { format } from "../i18n";
import { Layout, type PageContext } from "./layout";
import { when } from "./review-common";

/** The platform's answer page, reached by the single-use link in the takedown e-mail. */
export function TakedownPage({
  page,
  view,
  csrf,
  done,
  error,
}: {
  page: PageContext;
  view: TakedownView;
  csrf: string;
  done?: boolean | undefined;
  error?: string | undefined;
}) {
  const t = page.t.takedownPage;
  const request = view.request;
  const agency = agencyByCode(request.agency);
  return (
    <Layout page={page} title={t.title}>
      <h1>{t.title}</h1>
      <p>
        {format(t.intro, {
          agency: page.lang === "vi" ? agency.nameVi : agency.nameEn,
          platform: request.platform,
        })}
      </p>
      <dl class="facts">
        <dt>{t.url}</dt>
        <dd>
          <code>{request.url}</code>
        </dd>
        <dt>{t.legalBasis}</dt>
        <dd>{request.legalBasis}</dd>
        <dt>{t.statement}</dt>
        <dd>{request.statement}</dd>
        {request.platformNote ? (
          <>
            <dt>{t.note}</dt>
            <dd>{request.platformNote}</dd>
          </>
        ) : null}
        <dt>{t.dueAt}</dt>
        <dd>{when(page, request.dueAt)}</dd>
      </dl>
      {done ? (
        <p class="notice" role="status" id="takedown-done">
          {t.thanks}
        </p>
      ) : view.state === "answered" ? (
        <p class="notice" role="status">
          {format(t.answered, { at: when(page, request.answer?.at) })}
        </p>
      ) : view.state === "expired" ? (
        <p class="alert">{t.expired}</p>
      ) : (
        <form method="post" class="card" id="takedown-form">
          <h2>{t.answerTitle}</h2>
          <input type="hidden" name="_csrf" value={csrf} />
          {error ? (
            <p class="alert" role="alert">
              {error}
            </p>
          ) : null}
          <label class="choice">
            <input type="radio" name="answer" value="removed" checked />
            <span>{t.removed}</span>
          </label>
          <label class="choice">
            <input type="radio" name="answer" value="disputed" />
            <span>{t.disputed}</span>
          </label>
          <label for="f-td-reason">{t.reason}</label>
          <textarea id="f-td-reason" name="reason" rows={3} maxlength={2000} />
          <button type="submit" id="takedown-submit">
            {t.submit}
          </button>
        </form>
      )}
    </Layout>
  );
}
