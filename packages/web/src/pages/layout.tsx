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
                  {consoleGroups(page, principal).map((group) => (
                    <li class="nav-group">
                      <span class="nav-group-label" id={`nav-${group.id}`}>
                        {group.label}
                      </span>
                      <ul aria-labelledby={`nav-${group.id}`}>
                        {group.links.map(([href, label]) => (
                          <li>
                            <a href={href}>{label}</a>
                          </li>
                        ))}
                      </ul>
                    </li>
                  ))}
                </>
              ) : null}
              {principal ? (
                <li class="nav-group">
                  <span class="nav-group-label" id="nav-public">
                    {t.nav.groupPublic}
                  </span>
                  <ul aria-labelledby="nav-public">
                    <PublicLinks t={t} />
                  </ul>
                </li>
              ) : (
                <PublicLinks t={t} />
              )}
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

interface NavGroup {
  id: string;
  label: string;
  links: ReadonlyArray<readonly [string, string]>;
}

/**
 * The console's links grouped by task (issue 21, item 6): pledges, monitoring, review, reports,
 * administration. Every link stays visible (no menu to open), so a person sees at a glance where
 * everything is; a group with nothing for the person's role is left out.
 */
function consoleGroups(page: PageContext, principal: Principal): NavGroup[] {
  const t = page.t.nav;
  const staffRole = principal.role === "lead" || principal.role === "admin";
  const groups: NavGroup[] = [
    {
      id: "pledges",
      label: t.groupPledges,
      links: [
        ["/console/parties", t.parties],
        ["/console/coverage", t.coverage],
      ],
    },
    {
      id: "monitoring",
      label: t.groupMonitoring,
      links: [
        ["/console/monitoring", t.monitoring],
        ["/console/rules", t.rules],
        ["/console/evaluations", t.evaluations],
      ],
    },
    {
      id: "review",
      label: t.groupReview,
      links: [
        ["/console/cases", t.review],
        ["/console/review/metrics", t.reviewMetrics],
        ...(principal.role !== "viewer" ? ([["/console/data-requests", t.dataRequests]] as const) : []),
      ],
    },
    { id: "reports", label: t.groupReports, links: [["/console/review/reports", t.reviewReports]] },
    {
      id: "administration",
      label: t.groupAdministration,
      links: [
        ...(staffRole ? ([["/console/staff", t.staff]] as const) : []),
        ...(principal.role === "admin" && page.timeTravel ? ([["/console/clock", t.clock]] as const) : []),
        ...(principal.role === "admin" && page.outbox ? ([["/console/outbox", t.outbox]] as const) : []),
        // The API documentation is for staff (and their integrations): not on public pages.
        ["/api/docs", t.apiDocs],
      ],
    },
  ];
  return groups.filter((g) => g.links.length > 0);
}

/** The public pages, for everyone: signed in, they are one more group. */
function PublicLinks({ t }: { t: Messages }) {
  return (
    <>
      <li>
        <a href="/registry">{t.nav.registry}</a>
      </li>
      <li>
        <a href="/verify">{t.nav.verify}</a>
      </li>
      <li>
        <a href="/tips">{t.nav.tips}</a>
      </li>
    </>
  );
}
