import type { ChallengeKind } from "@pledgewatch/core";
import { Layout, type PageContext } from "./layout";

/**
 * The step of a sign-in after the password (Cognito on AWS): a new password, the authenticator's code, or
 * the authenticator's enrolment (its QR code and key, then a code). The pending sign-in is named by an
 * httpOnly cookie; the page carries no token of it.
 */
export function SignInChallengePage({
  page,
  csrf,
  next,
  challenge,
  email,
  qrDataUrl,
  secret,
  error,
}: {
  page: PageContext;
  csrf: string;
  next: string;
  challenge: ChallengeKind;
  email: string;
  qrDataUrl?: string | undefined;
  secret?: string | undefined;
  error?: string | undefined;
}) {
  const { t } = page;
  const title =
    challenge === "new_password"
      ? t.signIn.newPasswordTitle
      : challenge === "totp"
        ? t.signIn.totpTitle
        : t.signIn.setupTitle;
  const intro =
    challenge === "new_password"
      ? t.signIn.newPasswordIntro
      : challenge === "totp"
        ? t.signIn.totpIntro
        : t.signIn.setupIntro;
  return (
    <Layout page={page} title={title}>
      <section class="card narrow">
        <h1>{title}</h1>
        <p>{intro}</p>
        <p>
          {t.signIn.email}: <strong>{email}</strong>
        </p>
        {error ? (
          <p class="alert" role="alert" id="challenge-error">
            {error}
          </p>
        ) : null}
        {challenge === "totp_setup" && qrDataUrl ? (
          <figure>
            <img src={qrDataUrl} alt={t.signIn.setupQrAlt} width="200" height="200" />
            <figcaption>
              {t.signIn.setupSecret}: <code id="totp-secret">{secret}</code>
            </figcaption>
          </figure>
        ) : null}
        <form
          method="post"
          action="/sign-in/challenge"
          aria-describedby={error ? "challenge-error" : undefined}
        >
          <input type="hidden" name="_csrf" value={csrf} />
          <input type="hidden" name="next" value={next} />
          {challenge === "new_password" ? (
            <>
              <input type="hidden" name="username" autocomplete="username" value={email} />
              <label for="newPassword">{t.signIn.newPassword}</label>
              <input
                id="newPassword"
                name="newPassword"
                type="password"
                autocomplete="new-password"
                minlength={12}
                required
              />
              <label for="confirmPassword">{t.signIn.confirmPassword}</label>
              <input
                id="confirmPassword"
                name="confirmPassword"
                type="password"
                autocomplete="new-password"
                minlength={12}
                required
              />
              <button type="submit">{t.signIn.newPasswordSubmit}</button>
            </>
          ) : (
            <>
              <label for="code">{t.signIn.code}</label>
              <input
                id="code"
                name="code"
                type="text"
                inputmode="numeric"
                autocomplete="one-time-code"
                pattern="[0-9 ]{6,7}"
                maxlength={7}
                required
              />
              <button type="submit">{t.signIn.codeSubmit}</button>
            </>
          )}
        </form>
      </section>
    </Layout>
  );
}
