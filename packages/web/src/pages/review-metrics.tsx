import {
  AGE_BANDS,
  AGENCIES,
  type AgencyCode,
  type DurationStats,
  PROVINCES,
  provinceByCode,
  type ReviewMetrics,
} from "@pledgewatch/core";
import { format, formatDateTime } from "../i18n";
import { Layout, type PageContext } from "./layout";
import { type RuleTitles, ruleName } from "./review-common";

const pct = (share: number | null) => (share === null ? null : `${Math.round(share * 1000) / 10} %`);

function Durations({ page, caption, stats }: { page: PageContext; caption: string; stats: DurationStats }) {
  const m = page.t.reviewMetrics;
  const n = (v: number | null) => (v === null ? m.none : String(v));
  return (
    <table>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{m.count}</th>
          <th scope="col">{m.median}</th>
          <th scope="col">{m.mean}</th>
          <th scope="col">{m.max}</th>
        </tr>
      </thead>
      <tbody>
        <tr>
          <td>{stats.count}</td>
          <td>{n(stats.medianHours)}</td>
          <td>{n(stats.meanHours)}</td>
          <td>{n(stats.maxHours)}</td>
        </tr>
      </tbody>
    </table>
  );
}

/** /console/review/metrics: one agency × province; admins choose any, everyone else sees their own. */
export function ReviewMetricsPage({
  page,
  metrics,
  canChooseScope,
  ruleTitles,
}: {
  page: PageContext;
  ruleTitles: RuleTitles;
  metrics: ReviewMetrics & { agency: AgencyCode; province: string };
  canChooseScope: boolean;
}) {
  const { t, lang } = page;
  const m = t.reviewMetrics;
  // The period's days as Asia/Ho_Chi_Minh dates; `to` is exclusive, so its field shows the day before.
  const day = (iso: string, end = false) =>
    new Date(Date.parse(iso) + 7 * 3_600_000 - (end ? 1 : 0)).toISOString().slice(0, 10);
  return (
    <Layout page={page} title={m.title}>
      <h1>{m.title}</h1>
      <p data-testid="metrics-scope">
        {format(m.intro, {
          agency: t.agencies[metrics.agency],
          province: provinceByCode(metrics.province)?.name ?? metrics.province,
          from: formatDateTime(lang, new Date(metrics.period.from)),
          to: formatDateTime(lang, new Date(metrics.period.to)),
        })}
      </p>
      <form method="get" action="/console/review/metrics" class="filters">
        {canChooseScope ? (
          <>
            <div>
              <label for="m-agency">{m.agency}</label>
              <select id="m-agency" name="agency">
                {AGENCIES.map((a) => (
                  <option value={a.code} selected={a.code === metrics.agency}>
                    {t.agencies[a.code]}
                  </option>
                ))}
              </select>
            </div>
            <div>
              <label for="m-province">{m.province}</label>
              <select id="m-province" name="province">
                {PROVINCES.map((p) => (
                  <option value={p.code} selected={p.code === metrics.province}>
                    {p.name}
                  </option>
                ))}
              </select>
            </div>
          </>
        ) : null}
        <div>
          <label for="m-from">{m.from}</label>
          <input type="date" id="m-from" name="from" value={day(metrics.period.from)} />
        </div>
        <div>
          <label for="m-to">{m.to}</label>
          <input type="date" id="m-to" name="to" value={day(metrics.period.to, true)} />
        </div>
        <button type="submit">{m.show}</button>
      </form>
      <p>
        {m.opened}: <strong data-testid="metrics-opened">{metrics.opened}</strong>
      </p>
      <Durations page={page} caption={m.firstReview} stats={metrics.timeToFirstReview} />
      <table data-testid="metrics-queue">
        <caption>{m.queueAge}</caption>
        <thead>
          <tr>
            {AGE_BANDS.map((b) => (
              <th scope="col">{m.bands[b.id]}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          <tr>
            {AGE_BANDS.map((b) => (
              <td>{metrics.queueAge[b.id]}</td>
            ))}
          </tr>
        </tbody>
      </table>
      <table data-testid="metrics-rules">
        <caption>{m.rules}</caption>
        <thead>
          <tr>
            <th scope="col">{m.rule}</th>
            <th scope="col">{m.flagged}</th>
            <th scope="col">{m.decided}</th>
            <th scope="col">{m.confirmed}</th>
            <th scope="col">{m.share}</th>
          </tr>
        </thead>
        <tbody>
          {metrics.rules.map((r) => (
            <tr>
              <td>
                <a href={`/console/rules/${encodeURIComponent(r.ruleId)}`}>
                  {ruleName(ruleTitles, r.ruleId)}
                </a>
              </td>
              <td>{r.flagged}</td>
              <td>{r.decided}</td>
              <td>{r.confirmed}</td>
              <td>{pct(r.share) ?? m.none}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table data-testid="metrics-takedowns">
        <caption>{m.takedowns}</caption>
        <thead>
          <tr>
            <th scope="col">{m.requested}</th>
            <th scope="col">{m.removedInTime}</th>
            <th scope="col">{m.removedLate}</th>
            <th scope="col">{m.compliance}</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <td>{metrics.takedowns.requested}</td>
            <td>{metrics.takedowns.removedInTime}</td>
            <td>{metrics.takedowns.removedLate}</td>
            <td>{pct(metrics.takedowns.compliance) ?? m.none}</td>
          </tr>
        </tbody>
      </table>
      <Durations page={page} caption={m.timeToRemoval} stats={metrics.takedowns.timeToRemoval} />
    </Layout>
  );
}

/** The rules console's column: confirmed / decided (share), or a dash. */
export function ruleShareLabel(
  share: { decided: number; confirmed: number; share: number | null } | undefined,
) {
  if (!share || share.share === null) return "—";
  return `${share.confirmed}/${share.decided} (${pct(share.share)})`;
}
