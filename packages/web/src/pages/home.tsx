import { agencyByCode, provinceByCode } from "@pledgewatch/core";
import { format, formatDateTime } from "../i18n";
import { Layout, type PageContext } from "./layout";

export function HomePage({
  page,
  sessionExpiresAt,
}: {
  page: PageContext;
  sessionExpiresAt: Date | undefined;
}) {
  const { t, principal, lang } = page;
  if (!principal) return null;
  const agency = agencyByCode(principal.agency);
  return (
    <Layout page={page} title={t.home.title}>
      <h1>{format(t.home.welcome, { name: principal.name })}</h1>
      <section class="card" aria-labelledby="account-heading">
        <h2 id="account-heading">{t.home.yourAccount}</h2>
        <dl class="facts">
          <dt>{t.home.agency}</dt>
          <dd data-testid="agency">{lang === "vi" ? agency.nameVi : agency.nameEn}</dd>
          <dt>{t.home.province}</dt>
          <dd data-testid="province">{provinceByCode(principal.province)?.name ?? principal.province}</dd>
          <dt>{t.home.role}</dt>
          <dd data-testid="role">{t.roles[principal.role]}</dd>
          <dt>{t.home.email}</dt>
          <dd>{principal.email}</dd>
          {sessionExpiresAt ? (
            <>
              <dt>{t.home.sessionUntil}</dt>
              <dd>{formatDateTime(lang, sessionExpiresAt)}</dd>
            </>
          ) : null}
        </dl>
      </section>
      <section class="card" aria-labelledby="next-heading">
        <h2 id="next-heading">{t.home.whatNext}</h2>
        <ul>
          <li>
            <a href="/console/parties">{t.home.partiesLink}</a>
          </li>
          {principal.role === "lead" || principal.role === "admin" ? (
            <li>
              <a href="/console/staff">{t.home.staffLink}</a>
            </li>
          ) : null}
        </ul>
      </section>
    </Layout>
  );
}
