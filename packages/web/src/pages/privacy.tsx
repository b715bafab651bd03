import { PRIVACY_NOTICE_VERSION } from "@pledgewatch/core";
import { format } from "../i18n";
import { Layout, type PageContext } from "./layout";

/** The privacy notice (public, both languages): linked from the signing and tip forms and every footer. */
export function PrivacyPage({ page }: { page: PageContext }) {
  const { t } = page;
  return (
    <Layout page={page} title={t.privacy.title}>
      <h1>{t.privacy.title}</h1>
      <p class="muted">{format(t.privacy.version, { version: PRIVACY_NOTICE_VERSION })}</p>
      <p>{t.privacy.intro}</p>
      {Object.values(t.privacy.sections).map((section) => (
        <section>
          <h2>{section.heading}</h2>
          <p>{section.body}</p>
        </section>
      ))}
    </Layout>
  );
}

/** The consent box of a form, with its own error and a link to the notice (opens in the same tab). */
export function PrivacyConsentField({
  page,
  label,
  error,
  required,
  checked,
}: {
  page: PageContext;
  label: string;
  error?: string | undefined;
  required?: boolean;
  checked?: boolean | undefined;
}) {
  return (
    <div class="field checkbox">
      {error ? (
        <p class="field-error" id="f-privacyConsent-error">
          {error}
        </p>
      ) : null}
      <input
        type="checkbox"
        id="f-privacyConsent"
        name="privacyConsent"
        value="yes"
        required={required}
        checked={checked}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={error ? "f-privacyConsent-error" : "f-privacy-link"}
      />
      <label for="f-privacyConsent">{label}</label>
      <p class="hint" id="f-privacy-link">
        <a href={`/privacy?lang=${page.lang}`}>{page.t.privacy.read}</a>
      </p>
    </div>
  );
}
