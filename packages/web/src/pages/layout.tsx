import type { Principal } from "@pledgewatch/core";
import type { Child } from "hono/jsx";
import type { Language, Messages } from "../i18n";

export interface PageContext {
  lang: Language;
  t: Messages;
  principal?: Principal | undefined;
  csrfToken?: string | undefined;
  /** The current path and query string ("?a=1", or ""), to build the language switch link. */
  path: string;
  search?: string | undefined;
  /** The local e-mail outbox exists (local runs). */
  outbox?: boolean | undefined;
  /** The time-travel control exists (local runs). */
  timeTravel?: boolean | undefined;
}

/** The same page, with its filters, in the other language (`lang` replaced, the rest of the query kept). */
export function languageHref(path: string, search: string | undefined, lang: Language): string {
  const params = new URLSearchParams(search ?? "");
  params.delete("lang");
  params.append("lang", lang);
  return `${path}?${params.toString()}`;
}

export function Layout({
  page,
  title,
  children,
  refreshSeconds,
  scripts = [],
}: {
  page: PageContext;
  title: string;
  children: Child;
  /** Reloads the page (progress of a background job) without any script. */
  refreshSeconds?: number | undefined;
  /** Same-origin scripts (the CSP allows no inline script). */
  scripts?: string[];
}) {
  const { t, lang, principal } = page;
  const otherLang = lang === "vi" ? "en" : "vi";
  return (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · ${t.appName}`}</title>
        <link rel="stylesheet" href="/static/app.css" />
        {refreshSeconds ? <meta http-equiv="refresh" content={String(refreshSeconds)} /> : null}
        {scripts.map((src) => (
          <script src={src} defer />
        ))}
      </head>
      <body>
        <a class="skip-link" href="#main">
          {t.skipToContent}
        </a>
        <header class="site-header">
          <div class="brand">
            <a href={principal ? "/console" : "/"}>{t.appName}</a>
            <span class="tagline">{t.appTagline}</span>
          </div>
          <nav aria-label={t.nav.mainMenu}>
            <ul>
              {principal ? (
                <>
                  <li>
                    <a href="/console">{t.nav.home}</a>
                  </li>
                  <li>
                    <a href="/console/parties">{t.nav.parties}</a>
                  </li>
                  <li>
                    <a href="/console/rules">{t.nav.rules}</a>
                  </li>
                  <li>
                    <a href="/console/evaluations">{t.nav.evaluations}</a>
                  </li>
                  <li>
                    <a href="/console/coverage">{t.nav.coverage}</a>
                  </li>
                  <li>
                    <a href="/console/monitoring">{t.nav.monitoring}</a>
                  </li>
                  <li>
                    <a href="/console/cases">{t.nav.review}</a>
                  </li>
                  <li>
                    <a href="/console/review/metrics">{t.nav.reviewMetrics}</a>
                  </li>
                  <li>
                    <a href="/console/review/reports">{t.nav.reviewReports}</a>
                  </li>
                  {/* The API documentation is for staff (and their integrations): not on public pages. */}
                  <li>
                    <a href="/api/docs">{t.nav.apiDocs}</a>
                  </li>
                  {principal.role !== "viewer" ? (
                    <li>
                      <a href="/console/data-requests">{t.nav.dataRequests}</a>
                    </li>
                  ) : null}
                  {principal.role === "lead" || principal.role === "admin" ? (
                    <li>
                      <a href="/console/staff">{t.nav.staff}</a>
                    </li>
                  ) : null}
                  {principal.role === "admin" && page.timeTravel ? (
                    <li>
                      <a href="/console/clock">{t.nav.clock}</a>
                    </li>
                  ) : null}
                  {principal.role === "admin" && page.outbox ? (
                    <li>
                      <a href="/console/outbox">{t.nav.outbox}</a>
                    </li>
                  ) : null}
                </>
              ) : null}
              <li>
                <a href="/registry">{t.nav.registry}</a>
              </li>
              <li>
                <a href="/verify">{t.nav.verify}</a>
              </li>
              <li>
                <a href="/tips">{t.nav.tips}</a>
              </li>
              <li>
                <a
                  href={languageHref(page.path, page.search, otherLang)}
                  hreflang={otherLang}
                  lang={otherLang}
                >
                  {t.nav.switchLanguage}
                </a>
              </li>
              {principal && page.csrfToken
                ? (
                    [
                      ["/sign-out", t.nav.signOut],
                      ["/sign-out/everywhere", t.nav.signOutEverywhere],
                    ] as const
                  ).map(([action, label]) => (
                    <li>
                      <form method="post" action={action} class="inline-form">
                        <input type="hidden" name="_csrf" value={page.csrfToken} />
                        <button type="submit" class="link-button">
                          {label}
                        </button>
                      </form>
                    </li>
                  ))
                : null}
            </ul>
          </nav>
        </header>
        <main id="main">{children}</main>
        <footer class="site-footer">
          <p>{t.footer}</p>
          <p>
            <a href={`/privacy?lang=${page.lang}`}>{t.privacy.footerLink}</a>
          </p>
        </footer>
      </body>
    </html>
  );
}
