import {
  declarationKind,
  type Invitation,
  type Party,
  type PledgeTemplate,
  provinceByCode,
  quarterLabel,
} from "@pledgewatch/core";
import { format } from "../i18n";
import { ErrorSummary, Field, type FieldErrors } from "./form-errors";
import { Layout, type PageContext } from "./layout";
import { PrivacyConsentField } from "./privacy";

export interface SignFormValues {
  signerName?: string;
  signerTitle?: string;
  workplace?: string;
  typedSignature?: string;
  declarations?: Record<string, string>;
}

/** The signing page (public, mobile first): the party, the full text, the code check, then the form. */
export function SignPage({
  page,
  token,
  invitation,
  party,
  template,
  verified,
  maskedEmail,
  codeSentTo,
  csrf,
  errors,
  values,
}: {
  page: PageContext;
  token: string;
  invitation: Invitation;
  party: Party;
  template: PledgeTemplate;
  verified: boolean;
  maskedEmail: string;
  codeSentTo?: string | undefined;
  csrf: string;
  errors: FieldErrors;
  values: SignFormValues;
}) {
  const { t } = page;
  const quarter = quarterLabel(invitation.quarter);
  const action = `/sign/${encodeURIComponent(token)}`;
  const hidden = <input type="hidden" name="_csrf" value={csrf} />;
  return (
    <Layout page={page} title={format(t.sign.title, { quarter })} scripts={["/static/signature.js"]}>
      <h1>{format(t.sign.title, { quarter })}</h1>
      <p>{format(t.sign.intro, { name: party.name })}</p>

      <section class="card" aria-labelledby="party-heading">
        <h2 id="party-heading">{t.sign.partyDetails}</h2>
        <dl class="facts">
          <dt>{t.parties.name}</dt>
          <dd>{party.name}</dd>
          <dt>{t.parties.group}</dt>
          <dd>{t.groups[party.group]}</dd>
          <dt>{t.parties.provinces}</dt>
          <dd>{party.provinces.map((c) => provinceByCode(c)?.name ?? c).join(", ")}</dd>
        </dl>
      </section>

      <section class="card pledge-text" aria-labelledby="text-heading">
        <h2 id="text-heading">{t.sign.text}</h2>
        <p class="pledge-title">{template.title}</p>
        {template.preamble.map((paragraph) => (
          <p>{paragraph}</p>
        ))}
        <ol>
          {template.commitments.map((item) => (
            <li>{item}</li>
          ))}
        </ol>
        <p>{template.closing}</p>
      </section>

      {!verified ? (
        <section class="card" aria-labelledby="step1-heading">
          <h2 id="step1-heading">{t.sign.step1}</h2>
          <ErrorSummary title={t.sign.errorsTitle} errors={errors} />
          <p>{format(t.sign.step1Hint, { email: maskedEmail })}</p>
          {/* The fragment brings the page back, after the post, to the next step: the confirmation and the
              code field, not the top of a long page (on a phone they would be screens away). */}
          <form method="post" action={`${action}/code#next-step`}>
            {hidden}
            <button type="submit" class={codeSentTo ? "secondary" : ""}>
              {t.sign.sendCode}
            </button>
          </form>
          <div id="next-step">
            {codeSentTo ? (
              <p class="notice" role="status">
                {format(t.sign.codeSent, { email: codeSentTo })}
              </p>
            ) : null}
          </div>
          <form method="post" action={`${action}/verify#next-step`}>
            {hidden}
            <Field
              name="code"
              label={t.sign.code}
              errors={errors}
              required
              type="text"
              hint={t.sign.codeHint}
              inputmode="numeric"
              autocomplete="one-time-code"
              autofocus={Boolean(codeSentTo) || Boolean(errors.code)}
            />
            <button type="submit">{t.sign.verify}</button>
          </form>
        </section>
      ) : (
        <section class="card" aria-labelledby="step2-heading" id="next-step">
          <h2 id="step2-heading">{t.sign.step2}</h2>
          <p class="notice" role="status">
            {t.sign.verified}
          </p>
          <ErrorSummary title={t.sign.errorsTitle} errors={errors} />
          <form method="post" action={action} id="sign-form" data-single-submit="true">
            {hidden}
            <Field
              name="signerName"
              label={t.sign.signerName}
              value={values.signerName}
              errors={errors}
              required
              autocomplete="name"
            />
            <Field
              name="signerTitle"
              label={t.sign.signerTitle}
              value={values.signerTitle}
              errors={errors}
              required
              autocomplete="organization-title"
            />
            {party.family === "medical" ? (
              <Field
                name="workplace"
                label={t.sign.workplace}
                value={values.workplace}
                errors={errors}
                required
              />
            ) : null}
            {template.declarations.length > 0 ? (
              <fieldset>
                <legend>{t.sign.declarations}</legend>
                {template.declarations.map((field) => {
                  const name = `declarations.${field.id}`;
                  const value = values.declarations?.[field.id];
                  // Descriptions get a text area; a name is a one-line field like the others.
                  const kind = declarationKind(field);
                  if (kind === "text") {
                    const id = `f-declarations-${field.id}`;
                    const error = errors[name];
                    return (
                      <div class="field">
                        <label for={id}>{field.label}</label>
                        <p class="hint" id={`${id}-hint`}>
                          {field.hint}
                        </p>
                        {error ? (
                          <p class="field-error" id={`${id}-error`}>
                            {error}
                          </p>
                        ) : null}
                        <textarea
                          id={id}
                          name={name}
                          rows={3}
                          required
                          aria-invalid={error ? "true" : undefined}
                          aria-describedby={`${id}-hint${error ? ` ${id}-error` : ""}`}
                        >
                          {value ?? ""}
                        </textarea>
                      </div>
                    );
                  }
                  return (
                    <Field
                      name={name}
                      label={field.label}
                      value={value}
                      errors={errors}
                      required
                      hint={field.hint}
                      type={kind === "email" ? "email" : kind === "phone" ? "tel" : "text"}
                      inputmode={kind === "hours" ? "numeric" : undefined}
                      autocomplete={kind === "name" ? "name" : undefined}
                    />
                  );
                })}
              </fieldset>
            ) : null}
            <Field
              name="typedSignature"
              label={t.sign.typedSignature}
              value={values.typedSignature}
              errors={errors}
              required
              hint={t.sign.typedHint}
            />
            <div class="field">
              <label for="signature-pad">{t.sign.drawn}</label>
              <p class="hint" id="signature-pad-hint">
                {t.sign.drawnHint}
              </p>
              <canvas
                id="signature-pad"
                class="signature-pad"
                width="600"
                height="200"
                tabindex={0}
                role="img"
                aria-label={t.sign.drawn}
                aria-describedby="signature-pad-hint"
              />
              <input type="hidden" name="drawnSignature" id="drawn-signature" value="" />
              <button type="button" class="secondary" id="signature-clear">
                {t.sign.clear}
              </button>
            </div>
            <div class="field checkbox">
              {errors.consent ? (
                <p class="field-error" id="f-consent-error">
                  {errors.consent}
                </p>
              ) : null}
              <input
                type="checkbox"
                id="f-consent"
                name="consent"
                value="yes"
                required
                aria-invalid={errors.consent ? "true" : undefined}
              />
              <label for="f-consent">{t.sign.consent}</label>
            </div>
            <PrivacyConsentField
              page={page}
              label={t.privacy.consentSign}
              error={errors.privacyConsent}
              required
            />
            <button type="submit" id="sign-submit">
              {t.sign.submit}
            </button>
          </form>
        </section>
      )}
    </Layout>
  );
}

/** Any page of the signing flow that is only a message: signed, signing, expired, revoked, invalid. */
export function SignMessagePage({
  page,
  title,
  message,
  refreshSeconds,
  links,
}: {
  page: PageContext;
  title: string;
  message: string;
  refreshSeconds?: number | undefined;
  links?: { href: string; label: string }[];
}) {
  return (
    <Layout page={page} title={title} refreshSeconds={refreshSeconds}>
      <h1>{title}</h1>
      <p role="status">{message}</p>
      {links && links.length > 0 ? (
        <ul class="link-list">
          {links.map((link) => (
            <li>
              <a href={link.href} class="button">
                {link.label}
              </a>
            </li>
          ))}
        </ul>
      ) : null}
    </Layout>
  );
}
