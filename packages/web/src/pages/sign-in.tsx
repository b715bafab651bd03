import { Layout, type PageContext } from "./layout";

export function SignInPage({
  page,
  csrf,
  next,
  email,
  error,
}: {
  page: PageContext;
  csrf: string;
  next: string;
  email?: string | undefined;
  error?: string | undefined;
}) {
  const { t } = page;
  return (
    <Layout page={page} title={t.signIn.title}>
      <section class="card narrow">
        <h1>{t.signIn.title}</h1>
        <p>{t.signIn.intro}</p>
        {error ? (
          <p class="alert" role="alert" id="sign-in-error">
            {error}
          </p>
        ) : null}
        <form method="post" action="/sign-in" aria-describedby={error ? "sign-in-error" : undefined}>
          <input type="hidden" name="_csrf" value={csrf} />
          <input type="hidden" name="next" value={next} />
          <label for="email">{t.signIn.email}</label>
          <input id="email" name="email" type="email" autocomplete="username" required value={email ?? ""} />
          <label for="password">{t.signIn.password}</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required />
          <button type="submit">{t.signIn.submit}</button>
        </form>
      </section>
    </Layout>
  );
}
