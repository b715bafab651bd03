import {
  type FieldIssue,
  type PeriodicReportKind,
  provinceByCode,
  type ReportPeriod,
  type ReviewReport,
} from "@pledgewatch/core";
import { format, formatDateTime } from "../i18n";
import { ErrorSummary, fieldErrors } from "./form-errors";
import { Layout, type PageContext } from "./layout";
import { ReportFiles, ReportStatus } from "./report-status";

export const reportHref = (id: string) => `/console/review/reports/${encodeURIComponent(id)}`;

const PERIODIC: readonly PeriodicReportKind[] = [
  "advertising_quarterly",
  "quality_monthly",
  "campaign_weekly",
];

export function ReviewReportsPage({
  page,
  reports,
  periods,
  canCreate,
  notice,
  issues,
}: {
  page: PageContext;
  reports: ReviewReport[];
  periods: Record<PeriodicReportKind, ReportPeriod[]>;
  canCreate: boolean;
  notice?: string | undefined;
  issues?: FieldIssue[] | undefined;
}) {
  const { t, lang } = page;
  const r = t.reviewReports;
  const busy = reports.some((x) => x.status === "queued" || x.status === "running");
  const principal = page.principal;
  return (
    <Layout page={page} title={r.title} refreshSeconds={busy ? 3 : undefined}>
      <h1>{r.title}</h1>
      <p>
        {format(r.intro, {
          agency: principal ? t.agencies[principal.agency] : "",
          province: principal ? (provinceByCode(principal.province)?.name ?? principal.province) : "",
        })}
      </p>
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      {issues ? <ErrorSummary title={r.errorsTitle} errors={fieldErrors(issues, page.t)} /> : null}
      {canCreate ? (
        <>
          {PERIODIC.map((kind) => (
            <form method="post" action="/console/review/reports" class="actions" id={`form-${kind}`}>
              <input type="hidden" name="_csrf" value={page.csrfToken ?? ""} />
              <input type="hidden" name="kind" value={kind} />
              <label for={`period-${kind}`}>{r.kinds[kind]}</label>
              <select id={`period-${kind}`} name="period">
                {periods[kind].map((p) => (
                  <option value={p.id}>{p.label}</option>
                ))}
              </select>
              <button type="submit">{r.generate}</button>
            </form>
          ))}
          <p class="hint">{r.quickHint}</p>
        </>
      ) : null}
      {reports.length === 0 ? (
        <p>{r.empty}</p>
      ) : (
        <div class="table-wrap">
          <table id="review-reports">
            <thead>
              <tr>
                <th scope="col">{r.kind}</th>
                <th scope="col">{r.period}</th>
                <th scope="col">{r.scope}</th>
                <th scope="col">{r.requestedBy}</th>
                <th scope="col">{r.requestedAt}</th>
                <th scope="col">{r.status}</th>
                <th scope="col">{r.files}</th>
              </tr>
            </thead>
            <tbody>
              {reports.map((x) => (
                <tr>
                  <td>{r.kinds[x.kind]}</td>
                  <td>
                    {x.caseId ? (
                      <a href={`/console/cases/${encodeURIComponent(x.caseId)}`}>{x.label}</a>
                    ) : (
                      x.label
                    )}
                  </td>
                  <td>
                    {x.agency} · {provinceByCode(x.province)?.name ?? x.province}
                  </td>
                  <td>{x.automatic ? r.automatic : x.requestedBy.name}</td>
                  <td>{formatDateTime(lang, new Date(x.requestedAt))}</td>
                  <td>
                    <ReportStatus
                      report={x}
                      statuses={r.statuses}
                      failed={(error) => format(r.failed, { error })}
                    />
                  </td>
                  <td>
                    <ReportFiles report={x} href={reportHref(x.id)} />
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
