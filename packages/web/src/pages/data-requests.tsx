import {
  clockOf,
  DATA_REQUEST_CHANNELS,
  DATA_REQUEST_KINDS,
  DATA_REQUEST_OUTCOMES,
  type DataRequest,
  type DataRequestClock,
} from "@pledgewatch/core";
import { format, formatDateTime } from "../i18n";
import { ErrorSummary, Field, type FieldErrors } from "./form-errors";
import { Layout, type PageContext } from "./layout";
import { scopeNames } from "./page-context";

export const dataRequestHref = (id: string) => `/console/data-requests/${encodeURIComponent(id)}`;

export type DataRequestFormValues = Partial<
  Record<"kind" | "channel" | "subjectName" | "subjectContact" | "details" | "receivedAt" | "tipCode", string>
>;

/** "còn 1 ngày 4 giờ" / "quá hạn 3 giờ": how far a due time is from now, in days and hours. */
function distance(page: PageContext, dueIso: string, now: Date): { text: string; overdue: boolean } {
  const { t } = page;
  const ms = Date.parse(dueIso) - now.getTime();
  const hours = Math.floor(Math.abs(ms) / 3_600_000);
  const days = Math.floor(hours / 24);
  const parts = [
    days > 0 ? format(t.dataRequests.days, { n: String(days) }) : "",
    format(t.dataRequests.hours, { n: String(hours % 24) }),
  ].filter(Boolean);
  const time = parts.join(" ");
  return ms >= 0
    ? { text: format(t.dataRequests.remaining, { time }), overdue: false }
    : { text: format(t.dataRequests.overdue, { time }), overdue: true };
}

/** The clock that runs now, with its due time and how far it is; or, once answered, whether each was met. */
export function ClockLine({ page, request, now }: { page: PageContext; request: DataRequest; now: Date }) {
  const { t, lang } = page;
  const clock: DataRequestClock = clockOf(request, now);
  if (clock.running === null) {
    const met = (ok: boolean | undefined) => (ok === false ? t.dataRequests.late : t.dataRequests.met);
    return (
      <span class="clock clock-done">
        {t.dataRequests.firstResponse}: {met(clock.firstResponseMet)} · {t.dataRequests.settlement}:{" "}
        {met(clock.settlementMet)}
      </span>
    );
  }
  const due = clock.due ?? "";
  const label =
    clock.running === "first_response" ? t.dataRequests.firstResponseDue : t.dataRequests.settlementDue;
  const gap = distance(page, due, now);
  return (
    <span class={gap.overdue ? "clock clock-overdue" : "clock"} data-overdue={gap.overdue ? "true" : "false"}>
      {format(label, { due: formatDateTime(lang, new Date(due)) })} ({gap.text})
    </span>
  );
}

export function DataRequestsPage({
  page,
  requests,
  now,
  values = {},
  errors = {},
}: {
  page: PageContext;
  requests: DataRequest[];
  now: Date;
  values?: DataRequestFormValues;
  errors?: FieldErrors;
}) {
  const { t, lang } = page;
  const d = t.dataRequests;
  const names = scopeNames(page);
  return (
    <Layout page={page} title={d.title}>
      <h1>{d.title}</h1>
      <p>{format(d.intro, names)}</p>
      {requests.length === 0 ? (
        <p>{d.none}</p>
      ) : (
        <table class="data-table" id="data-requests">
          <thead>
            <tr>
              <th scope="col">{d.received}</th>
              <th scope="col">{d.kind}</th>
              <th scope="col">{d.subjectName}</th>
              <th scope="col">{d.state}</th>
              <th scope="col">{d.clock}</th>
            </tr>
          </thead>
          <tbody>
            {requests.map((r) => (
              <tr>
                <td>
                  <a href={dataRequestHref(r.id)}>{formatDateTime(lang, new Date(r.receivedAt))}</a>
                </td>
                <td>{d.kinds[r.kind]}</td>
                <td>{r.subjectName}</td>
                <td>{d.states[r.state]}</td>
                <td>
                  <ClockLine page={page} request={r} now={now} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <section class="card">
        <h2>{d.newTitle}</h2>
        <ErrorSummary title={d.errorsTitle} errors={errors} />
        <form method="post" action="/console/data-requests" novalidate>
          <input type="hidden" name="_csrf" value={page.csrfToken} />
          <div class="field">
            <label for="f-kind">{d.kind}</label>
            <select id="f-kind" name="kind" required aria-invalid={errors.kind ? "true" : undefined}>
              <option value="">{d.chooseKind}</option>
              {DATA_REQUEST_KINDS.map((k) => (
                <option value={k} selected={values.kind === k}>
                  {d.kinds[k]}
                </option>
              ))}
            </select>
            {errors.kind ? <p class="field-error">{errors.kind}</p> : null}
          </div>
          <div class="field">
            <label for="f-channel">{d.channel}</label>
            <select id="f-channel" name="channel" required>
              {DATA_REQUEST_CHANNELS.map((ch) => (
                <option value={ch} selected={values.channel === ch}>
                  {d.channels[ch]}
                </option>
              ))}
            </select>
          </div>
          <Field
            name="subjectName"
            label={d.subjectName}
            value={values.subjectName}
            errors={errors}
            required
          />
          <Field
            name="subjectContact"
            label={d.subjectContact}
            value={values.subjectContact}
            errors={errors}
            required
          />
          <Field name="details" label={d.details} value={values.details} errors={errors} type="textarea" />
          <Field
            name="receivedAt"
            label={d.receivedAt}
            value={values.receivedAt}
            errors={errors}
            type="datetime-local"
          />
          <Field name="tipCode" label={d.tipCode} value={values.tipCode} errors={errors} />
          <button type="submit">{d.record}</button>
        </form>
      </section>
    </Layout>
  );
}

export function DataRequestPage({
  page,
  request,
  now,
  canAnswer,
  errors = {},
}: {
  page: PageContext;
  request: DataRequest;
  now: Date;
  canAnswer: boolean;
  errors?: FieldErrors;
}) {
  const { t, lang } = page;
  const d = t.dataRequests;
  const when = (iso: string) => formatDateTime(lang, new Date(iso));
  return (
    <Layout page={page} title={`${d.kinds[request.kind]} · ${request.subjectName}`}>
      <p>
        <a href="/console/data-requests">{d.back}</a>
      </p>
      <h1>
        {d.kinds[request.kind]} · {request.subjectName}
      </h1>
      <p>
        <ClockLine page={page} request={request} now={now} />
      </p>
      <dl class="facts">
        <dt>{d.state}</dt>
        <dd id="request-state">{d.states[request.state]}</dd>
        <dt>{d.received}</dt>
        <dd>
          {when(request.receivedAt)} · {d.channels[request.channel]}
        </dd>
        <dt>{d.subjectContact}</dt>
        <dd>{request.subjectContact}</dd>
        <dt>{d.details}</dt>
        <dd>{request.details}</dd>
        <dt>{format(d.firstResponseDue, { due: "" }).replace(/:\s*$/, "")}</dt>
        <dd>{when(request.firstResponseDue)}</dd>
        <dt>{format(d.settlementDue, { due: "" }).replace(/:\s*$/, "")}</dt>
        <dd>{when(request.settlementDue)}</dd>
        {request.tipId ? (
          <>
            <dt>{d.tip}</dt>
            <dd>{request.tipId}</dd>
          </>
        ) : null}
        {request.acknowledgement ? (
          <>
            <dt>{d.firstResponse}</dt>
            <dd>{request.acknowledgement}</dd>
          </>
        ) : null}
        {request.outcome ? (
          <>
            <dt>{d.outcome}</dt>
            <dd id="request-outcome">
              {d.outcomes[request.outcome]}: {request.answer}
            </dd>
          </>
        ) : null}
      </dl>
      {request.erasedTipAt ? (
        <p class="notice">{format(d.erased, { at: when(request.erasedTipAt) })}</p>
      ) : null}
      <h2>{d.steps}</h2>
      <ol>
        {request.steps.map((s) => (
          <li>
            {when(s.at)} · {d.stepKinds[s.what as keyof typeof d.stepKinds] ?? s.what} · {s.by.name}
          </li>
        ))}
      </ol>
      <ErrorSummary title={d.errorsTitle} errors={errors} />
      {request.state === "received" ? (
        <form method="post" action={`${dataRequestHref(request.id)}/acknowledge`} class="card" novalidate>
          <h2>{d.ackTitle}</h2>
          <input type="hidden" name="_csrf" value={page.csrfToken} />
          <input type="hidden" name="version" value={String(request.version)} />
          <Field name="note" label={d.ackNote} errors={errors} type="textarea" required />
          <button type="submit">{d.ack}</button>
        </form>
      ) : null}
      {request.state !== "answered" ? (
        canAnswer ? (
          <form method="post" action={`${dataRequestHref(request.id)}/answer`} class="card" novalidate>
            <h2>{d.answerTitle}</h2>
            <p class="hint">{d.answerHint}</p>
            <input type="hidden" name="_csrf" value={page.csrfToken} />
            <input type="hidden" name="version" value={String(request.version)} />
            <fieldset>
              <legend>{d.outcome}</legend>
              {DATA_REQUEST_OUTCOMES.map((o) => (
                <label class="radio">
                  <input type="radio" name="outcome" value={o} id={`f-outcome-${o}`} required />
                  <span>{d.outcomes[o]}</span>
                </label>
              ))}
            </fieldset>
            <Field name="answer" label={d.answer} errors={errors} type="textarea" required />
            <button type="submit">{d.submitAnswer}</button>
          </form>
        ) : (
          <p class="hint">{d.onlyLeads}</p>
        )
      ) : null}
    </Layout>
  );
}
