import { PROVINCES, type PublicTipView, provinceByCode, TIP_CATEGORIES } from "@pledgewatch/core";
import { formatDateTime } from "../i18n";
import { ErrorSummary, Field, type FieldErrors } from "./form-errors";
import { Layout, type PageContext } from "./layout";
import { PrivacyConsentField } from "./privacy";

export interface TipFormValues {
  url?: string | undefined;
  category?: string | undefined;
  details?: string | undefined;
  contact?: string | undefined;
  province?: string | undefined;
  privacyConsent?: boolean | undefined;
}

/** /tips: the public tip form. No sign-in; the signed form token and the honeypot are hidden fields. */
export function TipFormPage({
  page,
  formToken,
  values = {},
  errors = {},
  refusal,
}: {
  page: PageContext;
  formToken: string;
  values?: TipFormValues;
  errors?: FieldErrors;
  /** A refusal of the whole form (spam checks, rate limits), already in the page's language. */
  refusal?: string | undefined;
}) {
  const { t } = page;
  const tt = t.tips;
  return (
    <Layout page={page} title={tt.title}>
      <h1>{tt.title}</h1>
      <p>{tt.intro}</p>
      {refusal ? (
        <p class="alert" role="alert" data-testid="tip-refusal">
          {refusal}
        </p>
      ) : null}
      <ErrorSummary title={tt.fixErrors} errors={errors} />
      <section class="card">
        <form method="post" action="/tips" data-testid="tip-form">
          <input type="hidden" name="formToken" value={formToken} />
          <Field
            name="url"
            label={tt.url}
            hint={tt.urlHint}
            value={values.url}
            errors={errors}
            type="url"
            required
          />
          <fieldset class="field">
            <legend>{tt.category}</legend>
            {/* The control and its text in one label: a click anywhere on the line picks that option. */}
            {TIP_CATEGORIES.map((category) => (
              <label class="choice" for={`f-category-${category}`}>
                <input
                  type="radio"
                  id={`f-category-${category}`}
                  name="category"
                  value={category}
                  checked={values.category === category}
                  required
                />
                <span>{tt.categories[category]}</span>
              </label>
            ))}
            {errors.category ? (
              <p class="field-error" id="f-category">
                {errors.category}
              </p>
            ) : null}
          </fieldset>
          <Field name="details" label={tt.details} value={values.details} errors={errors} type="textarea" />
          <Field
            name="contact"
            label={tt.contact}
            hint={tt.contactHint}
            value={values.contact}
            errors={errors}
            autocomplete="email"
          />
          <div class="field">
            <label for="f-province">{tt.province}</label>
            <select
              id="f-province"
              name="province"
              required
              aria-invalid={errors.province ? "true" : undefined}
              aria-describedby={errors.province ? "f-province-error" : undefined}
            >
              <option value="">{tt.chooseProvince}</option>
              {PROVINCES.map((p) => (
                <option value={p.code} selected={p.code === values.province}>
                  {p.name}
                </option>
              ))}
            </select>
            {errors.province ? (
              <p class="field-error" id="f-province-error">
                {errors.province}
              </p>
            ) : null}
          </div>
          <PrivacyConsentField
            page={page}
            label={page.t.privacy.consentTip}
            error={errors.privacyConsent}
            checked={values.privacyConsent}
          />
          {/* Hidden from people (and from assistive technology); bots that fill every field fill it. */}
          <div class="visually-hidden" aria-hidden="true">
            <label for="f-website">{tt.honeypot}</label>
            <input type="text" id="f-website" name="website" tabindex={-1} autocomplete="off" value="" />
          </div>
          <button type="submit">{tt.submit}</button>
        </form>
      </section>
      <p>
        <a href="/tips/track">{tt.trackTitle}</a>
      </p>
    </Layout>
  );
}

/** /tips/track: the safe status of one tip, by its tracking code, and the lookup form. */
export function TipTrackPage({
  page,
  view,
  code,
  notFound,
  justFiled,
}: {
  page: PageContext;
  view?: PublicTipView | undefined;
  code?: string | undefined;
  notFound?: boolean | undefined;
  justFiled?: boolean | undefined;
}) {
  const { t, lang } = page;
  const tt = t.tips;
  return (
    <Layout page={page} title={tt.trackTitle}>
      <h1>{tt.trackTitle}</h1>
      {justFiled && view ? (
        <p class="notice" role="status" data-testid="tip-received">
          {tt.received}
        </p>
      ) : null}
      {notFound ? (
        <p class="alert" role="alert" data-testid="tip-not-found">
          {tt.notFound}
        </p>
      ) : null}
      {view ? (
        <section class="card" data-testid="tip-status-card">
          <dl class="facts">
            <dt>{tt.trackingCode}</dt>
            <dd class="mono" data-testid="tip-code">
              {view.code}
            </dd>
            <dt>{tt.status}</dt>
            <dd data-testid="tip-status" data-status={view.status}>
              <strong>{tt.statuses[view.status]}</strong>
            </dd>
            <dt>{tt.url}</dt>
            <dd class="break">{view.url}</dd>
            <dt>{tt.category}</dt>
            <dd>{tt.categories[view.category]}</dd>
            <dt>{tt.province}</dt>
            <dd>{provinceByCode(view.province)?.name ?? view.province}</dd>
            <dt>{tt.receivedAt}</dt>
            <dd>{formatDateTime(lang, new Date(view.receivedAt))}</dd>
            <dt>{tt.updatedAt}</dt>
            <dd>{formatDateTime(lang, new Date(view.updatedAt))}</dd>
          </dl>
        </section>
      ) : null}
      <section class="card">
        <p>{tt.trackIntro}</p>
        <form method="get" action="/tips/track">
          <label for="tip-code-input">{tt.trackingCode}</label>
          <input type="text" id="tip-code-input" name="code" value={code ?? ""} autocomplete="off" />
          <button type="submit">{tt.lookup}</button>
        </form>
      </section>
      <p>
        <a href="/tips">{tt.link}</a>
      </p>
    </Layout>
  );
}
