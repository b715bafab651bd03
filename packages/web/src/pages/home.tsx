import { agencyByCode, provinceByCode } from "@pledgewatch/core";
import { format, formatDateTime } from "../i18n";
import { Layout, type PageContext } from "./layout";

/** What the home page shows of the person's day (routes/console.tsx gathers it). */
export interface TodaysWork {
  /** The oldest open case's waiting time in whole days. */
  open: { count: number; more: boolean; oldestDays: number | undefined };
  mine: number;
  takedowns: number;
  /** Leads and admins only. */
  approvals?: number;
  coverage: { obligated: number; signed: number; percent: number };
}

export function HomePage({
  page,
  sessionExpiresAt,
  today,
}: {
  page: PageContext;
  sessionExpiresAt: Date | undefined;
  today: TodaysWork;
}) {
  const { t, principal, lang } = page;
  if (!principal) return null;
  const agency = agencyByCode(principal.agency);
  return (
    <Layout page={page} title={t.home.title}>
      <h1>{format(t.home.welcome, { name: principal.name })}</h1>
      <Today page={page} today={today} />
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

function Today({ page, today }: { page: PageContext; today: TodaysWork }) {
  const h = page.t.home;
  const count = (n: number, more = false) => (more ? format(h.atLeast, { count: n }) : String(n));
  const days = today.open.oldestDays;
  type Row = [href: string, label: string, value: string, note: string | undefined];
  const approvals: Row[] =
    today.approvals !== undefined
      ? [["/console/cases?state=awaiting_approval", h.approvals, count(today.approvals), undefined]]
      : [];
  const rows: Row[] = [
    [
      "/console/cases?state=open",
      h.queueOpen,
      count(today.open.count, today.open.more),
      days !== undefined ? format(h.queueOldest, { days }) : undefined,
    ],
    ["/console/cases?state=assigned", h.mine, count(today.mine), undefined],
    ...approvals,
    ["/console/cases?state=takedown", h.takedowns, count(today.takedowns), undefined],
    [
      "/console/coverage",
      h.coverage,
      format(h.coverageValue, {
        percent: today.coverage.percent.toLocaleString(page.lang === "vi" ? "vi-VN" : "en-GB", {
          maximumFractionDigits: 1,
        }),
        signed: today.coverage.signed,
        obligated: today.coverage.obligated,
      }),
      undefined,
    ],
  ];
  return (
    <section class="card" aria-labelledby="today-heading">
      <h2 id="today-heading">{h.today}</h2>
      <ul class="today" data-testid="today">
        {rows.map(([href, label, value, note]) => (
          <li>
            <a href={href}>{label}</a>: <strong>{value}</strong>
            {note ? <> ({note})</> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
