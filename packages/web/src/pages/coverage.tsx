import {
  type CoverageReport,
  type CoverageView,
  can,
  type Party,
  PROVINCES,
  provinceByCode,
  RENEWAL_SETTINGS_OFFICE,
  type RenewalSettings,
} from "@pledgewatch/core";
import { format, formatDateTime } from "../i18n";
import { Layout, type PageContext } from "./layout";
import { ReportFiles, ReportStatus } from "./report-status";

type Row = { obligated: number; signed: number; percent: number };
const pctText = (p: number) => `${p.toFixed(1).replace(".", ",")} %`;
const tone = (p: number) => (p >= 90 ? "good" : p >= 60 ? "fair" : "poor");
const dmy = (date: string) => date.split("-").reverse().join("/");

/**
 * Horizontal bars drawn on the server as SVG: no script, styled by classes from the stylesheet (the CSP
 * allows no inline style), printable. The dashed line is the 100 % target.
 */
export function BarChart({ rows, label }: { rows: { label: string; percent: number }[]; label: string }) {
  const rowHeight = 28;
  const labelWidth = 260;
  const barWidth = 360;
  const height = rows.length * rowHeight + 10;
  return (
    <svg class="chart" viewBox={`0 0 ${labelWidth + barWidth + 70} ${height}`} role="img" aria-label={label}>
      <title>{label}</title>
      {rows.map((row, i) => {
        const y = i * rowHeight + 5;
        const w = (Math.max(0, Math.min(100, row.percent)) / 100) * barWidth;
        return (
          <g>
            <text x="0" y={y + 16}>
              {row.label}
            </text>
            <rect class="track" x={labelWidth} y={y + 4} width={barWidth} height="16" />
            <rect class={tone(row.percent)} x={labelWidth} y={y + 4} width={w.toFixed(1)} height="16" />
            <text x={labelWidth + barWidth + 8} y={y + 16}>
              {pctText(row.percent)}
            </text>
          </g>
        );
      })}
      <line class="target" x1={labelWidth + barWidth} y1="0" x2={labelWidth + barWidth} y2={height} />
    </svg>
  );
}

export function TrendChart({
  points,
  label,
}: {
  points: { label: string; percent: number; obligated: number }[];
  label: string;
}) {
  const height = 160;
  const slot = 120;
  const base = height + 10;
  return (
    <svg
      class="chart"
      viewBox={`0 0 ${points.length * slot + 50} ${base + 30}`}
      role="img"
      aria-label={label}
    >
      <title>{label}</title>
      <line class="axis" x1="40" y1={base} x2={40 + points.length * slot} y2={base} />
      <line class="target" x1="40" y1="10" x2={40 + points.length * slot} y2="10" />
      <text x="0" y="14">
        100 %
      </text>
      {points.map((p, i) => {
        const h = p.obligated > 0 ? (Math.max(0, Math.min(100, p.percent)) / 100) * height : 0;
        const x = 40 + i * slot + slot * 0.25;
        return (
          <g>
            {h > 0 ? (
              <rect
                class={tone(p.percent)}
                x={x}
                y={(base - h).toFixed(1)}
                width={slot * 0.5}
                height={h.toFixed(1)}
              />
            ) : null}
            <text x={x} y={(base - h - 6).toFixed(1)}>
              {p.obligated > 0 ? pctText(p.percent) : "–"}
            </text>
            <text x={x - 8} y={base + 20}>
              {p.label}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

function CoverageTable({
  page,
  caption,
  first,
  rows,
}: {
  page: PageContext;
  caption: string;
  first: string;
  rows: (Row & { label: string; href?: string | undefined })[];
}) {
  const { t } = page;
  return (
    <div class="table-wrap">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{first}</th>
            <th scope="col">{t.coverage.obligated}</th>
            <th scope="col">{t.coverage.signed}</th>
            <th scope="col">{t.coverage.unsigned}</th>
            <th scope="col">{t.coverage.rate}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              <th scope="row">{r.label}</th>
              <td>{r.obligated.toLocaleString("vi-VN")}</td>
              <td>{r.signed.toLocaleString("vi-VN")}</td>
              <td>
                {r.href && r.obligated > r.signed ? (
                  <a href={r.href}>{(r.obligated - r.signed).toLocaleString("vi-VN")}</a>
                ) : (
                  (r.obligated - r.signed).toLocaleString("vi-VN")
                )}
              </td>
              <td class={`pct-${tone(r.percent)}`}>{pctText(r.percent)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function CoveragePage({
  page,
  view,
  trend,
  quarters,
}: {
  page: PageContext;
  view: CoverageView;
  trend: { label: string; percent: number; obligated: number }[];
  quarters: { id: string; label: string }[];
}) {
  const { t } = page;
  const agencyLabel = (a: keyof typeof t.agencies) => t.agencies[a];
  const drill = (agency: string, province: string, family?: string) =>
    view.current
      ? `/console/coverage/unsigned?${new URLSearchParams({ agency, province, ...(family ? { family } : {}) })}`
      : undefined;
  // Drill-down goes to one province: the caller's own (admins pick one from the province table).
  const ownProvince = view.scope.province ?? page.principal?.province ?? "";
  return (
    <Layout page={page} title={t.coverage.title}>
      <h1>
        {t.coverage.title} – {view.quarterLabel}
      </h1>
      <p>{t.coverage.intro}</p>
      <form method="get" action="/console/coverage" class="actions">
        <label for="quarter">{t.coverage.quarter}</label>
        <select id="quarter" name="quarter">
          {quarters.map((q) => (
            <option value={q.id} selected={q.id === view.quarter}>
              {q.label}
            </option>
          ))}
        </select>
        <button type="submit">{t.coverage.show}</button>
      </form>
      {!view.current ? <p class="hint">{view.frozen ? t.coverage.frozen : t.coverage.notFrozen}</p> : null}
      <p class="lead">
        {view.scope.province ? t.coverage.total : t.coverage.national}:{" "}
        <strong class={`pct-${tone(view.total.percent)}`}>{pctText(view.total.percent)}</strong> (
        {view.total.signed.toLocaleString("vi-VN")}/{view.total.obligated.toLocaleString("vi-VN")})
      </p>
      <BarChart
        label={t.coverage.chartLabel}
        rows={[
          ...view.byAgency.map((r) => ({ label: agencyLabel(r.agency), percent: r.percent })),
          ...view.byFamily.map((r) => ({
            label: view.scope.agency ? t.families[r.family] : `${t.families[r.family]} (${r.agency})`,
            percent: r.percent,
          })),
        ]}
      />
      <h2>{t.coverage.trend}</h2>
      <TrendChart label={t.coverage.trendLabel} points={trend} />
      <CoverageTable
        page={page}
        caption={t.coverage.byAgency}
        first={t.coverage.byAgency}
        rows={view.byAgency.map((r) => ({
          ...r,
          label: agencyLabel(r.agency),
          href: drill(r.agency, ownProvince),
        }))}
      />
      <CoverageTable
        page={page}
        caption={t.coverage.byFamily}
        first={t.coverage.byFamily}
        rows={view.byFamily.map((r) => ({
          ...r,
          label: `${t.families[r.family]} (${r.agency})`,
          href: drill(r.agency, ownProvince, r.family),
        }))}
      />
      <CoverageTable
        page={page}
        caption={t.coverage.byProvince}
        first={t.coverage.byProvince}
        rows={view.byProvince.map((r) => ({
          ...r,
          label: provinceByCode(r.province)?.name ?? r.province,
          href: view.scope.agency ? drill(view.scope.agency, r.province) : undefined,
        }))}
      />
      <ul class="link-list">
        <li>
          <a href="/console/coverage/reports">{t.coverage.reports}</a>
        </li>
        <li>
          <a href={`/console/coverage/settings?province=${encodeURIComponent(ownProvince)}`}>
            {t.coverage.settings}
          </a>
        </li>
      </ul>
    </Layout>
  );
}

export function UnsignedPage({
  page,
  quarterLabel,
  items,
  next,
  query,
  notice,
}: {
  page: PageContext;
  quarterLabel: string;
  items: { party: Party; dueDate: string; overdue: boolean }[];
  next?: string | undefined;
  query: Record<string, string>;
  notice?: string | undefined;
}) {
  const { t } = page;
  const back = `/console/coverage/unsigned?${new URLSearchParams(query)}`;
  return (
    <Layout page={page} title={format(t.coverage.unsignedTitle, { quarter: quarterLabel })}>
      <p>
        <a href="/console/coverage">{t.coverage.back}</a>
      </p>
      <h1>{format(t.coverage.unsignedTitle, { quarter: quarterLabel })}</h1>
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      {items.length === 0 ? (
        <p>{t.coverage.none}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t.parties.name}</th>
                <th scope="col">{t.parties.group}</th>
                <th scope="col">{t.coverage.dueDate}</th>
                <th scope="col">{t.coverage.remind}</th>
              </tr>
            </thead>
            <tbody>
              {items.map(({ party, dueDate, overdue }) => (
                <tr>
                  <td>
                    <a href={`/console/parties/${encodeURIComponent(party.id)}`}>{party.name}</a>
                  </td>
                  <td>{t.groups[party.group]}</td>
                  <td class={overdue ? "pct-poor" : ""}>
                    {dmy(dueDate)} · {overdue ? t.coverage.overdue : t.coverage.notYetDue}
                  </td>
                  <td>
                    <form method="post" action="/console/coverage/remind" class="inline-form">
                      <input type="hidden" name="_csrf" value={page.csrfToken ?? ""} />
                      <input type="hidden" name="partyId" value={party.id} />
                      <input type="hidden" name="back" value={back} />
                      <button type="submit" class="secondary">
                        {t.coverage.remind}
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {next ? (
        <p>
          <a href={`/console/coverage/unsigned?${new URLSearchParams({ ...query, cursor: next })}`}>
            {t.coverage.more}
          </a>
        </p>
      ) : null}
    </Layout>
  );
}

export function ReportsPage({
  page,
  reports,
  quarters,
  notice,
}: {
  page: PageContext;
  reports: CoverageReport[];
  quarters: { id: string; label: string }[];
  notice?: string | undefined;
}) {
  const { t, lang } = page;
  const busy = reports.some((r) => r.status === "queued" || r.status === "running");
  const canGenerate = page.principal?.role !== "viewer";
  return (
    <Layout page={page} title={t.reports.title} refreshSeconds={busy ? 3 : undefined}>
      <p>
        <a href="/console/coverage">{t.coverage.back}</a>
      </p>
      <h1>{t.reports.title}</h1>
      <p>{t.reports.intro}</p>
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      {canGenerate ? (
        <form method="post" action="/console/coverage/reports" class="actions">
          <input type="hidden" name="_csrf" value={page.csrfToken ?? ""} />
          <label for="report-quarter">{t.reports.quarter}</label>
          <select id="report-quarter" name="quarter">
            {quarters.map((q) => (
              <option value={q.id}>{q.label}</option>
            ))}
          </select>
          <button type="submit">{t.reports.generate}</button>
        </form>
      ) : null}
      {reports.length === 0 ? (
        <p>{t.reports.empty}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t.reports.quarter}</th>
                <th scope="col">{t.reports.requestedBy}</th>
                <th scope="col">{t.reports.requestedAt}</th>
                <th scope="col">{t.reports.status}</th>
                <th scope="col">{t.reports.files}</th>
              </tr>
            </thead>
            <tbody>
              {reports.map((r) => (
                <tr>
                  <td>
                    {r.quarter}
                    {r.agency ? ` · ${r.agency}` : ""}
                    {r.province ? ` · ${provinceByCode(r.province)?.name ?? r.province}` : ""}
                  </td>
                  <td>{r.automatic ? t.reports.automatic : r.requestedBy.name}</td>
                  <td>{formatDateTime(lang, new Date(r.requestedAt))}</td>
                  <td>
                    <ReportStatus report={r} statuses={t.reports.statuses} />
                  </td>
                  <td>
                    <ReportFiles report={r} href={`/console/coverage/reports/${encodeURIComponent(r.id)}`} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}

export function RenewalSettingsPage({
  page,
  province,
  settings,
  updated,
  issues,
  notice,
}: {
  page: PageContext;
  province: string;
  settings: RenewalSettings;
  updated?: { at: string; name: string } | undefined;
  issues?: { field: string; message: string }[] | undefined;
  notice?: string | undefined;
}) {
  const { t, lang } = page;
  const issue = (field: string) => issues?.find((i) => i.field.startsWith(field))?.message;
  const field = (name: string, label: string, value: string, hint?: string) => (
    <div class="field">
      <label for={name}>{label}</label>
      {hint ? <p class="hint">{hint}</p> : null}
      <input id={name} name={name} value={value} aria-invalid={issue(name) ? "true" : undefined} />
      {issue(name) ? <p class="field-error">{issue(name)}</p> : null}
    </div>
  );
  // The cycle is the standing office's to set (renewal.updateSettings checks the same).
  const canEdit = page.principal
    ? can(page.principal, "renewal.settings", { agency: RENEWAL_SETTINGS_OFFICE, provinces: [province] })
    : false;
  return (
    <Layout page={page} title={t.renewalSettings.title}>
      <p>
        <a href="/console/coverage">{t.coverage.back}</a>
      </p>
      <h1>
        {t.renewalSettings.title} – {provinceByCode(province)?.name ?? province}
      </h1>
      <p>{t.renewalSettings.intro}</p>
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      <p class="hint">
        {updated
          ? format(t.renewalSettings.updated, {
              at: formatDateTime(lang, new Date(updated.at)),
              name: updated.name,
            })
          : t.renewalSettings.defaults}
      </p>
      {page.principal?.role === "admin" ? (
        <form method="get" action="/console/coverage/settings" class="actions">
          <label for="province">{t.renewalSettings.province}</label>
          <select id="province" name="province">
            {PROVINCES.map((p) => (
              <option value={p.code} selected={p.code === province}>
                {p.name}
              </option>
            ))}
          </select>
          <button type="submit" class="secondary">
            {t.coverage.show}
          </button>
        </form>
      ) : null}
      <form method="post" action="/console/coverage/settings">
        <input type="hidden" name="_csrf" value={page.csrfToken ?? ""} />
        <input type="hidden" name="province" value={province} />
        <p>
          {t.renewalSettings.cycle}: {t.renewalSettings.quarterly}
        </p>
        {field("dueDay", t.renewalSettings.dueDay, String(settings.dueDay), t.renewalSettings.dueDayHint)}
        {field("reminderOffsets", t.renewalSettings.reminderOffsets, settings.reminderOffsets.join(", "))}
        {field("graceDays", t.renewalSettings.graceDays, String(settings.graceDays))}
        {canEdit ? <button type="submit">{t.renewalSettings.save}</button> : null}
      </form>
    </Layout>
  );
}

export function ClockPage({
  page,
  now,
  offsetMs,
  notice,
}: {
  page: PageContext;
  now: Date;
  offsetMs: number;
  notice?: string | undefined;
}) {
  const { t, lang } = page;
  const days = (offsetMs / 86_400_000).toFixed(2).replace(".", ",");
  return (
    <Layout page={page} title={t.clock.title}>
      <h1>{t.clock.title}</h1>
      <p>{t.clock.intro}</p>
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      <dl class="facts">
        <dt>{t.clock.now}</dt>
        <dd data-testid="clock-now">{formatDateTime(lang, now)}</dd>
        <dt>{t.clock.offset}</dt>
        <dd>{days} d</dd>
      </dl>
      <form method="post" action="/console/clock">
        <input type="hidden" name="_csrf" value={page.csrfToken ?? ""} />
        <div class="field">
          <label for="at">{t.clock.travelTo}</label>
          <input id="at" name="at" type="datetime-local" required />
        </div>
        <div class="actions">
          <button type="submit">{t.clock.travel}</button>
          <button type="submit" name="reset" value="1" class="secondary" formnovalidate>
            {t.clock.reset}
          </button>
        </div>
      </form>
    </Layout>
  );
}
