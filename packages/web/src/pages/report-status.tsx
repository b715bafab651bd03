import type { StoredReportFields } from "@pledgewatch/core";

/**
 * A background report's status in a report list (coverage reports, review reports): the status word, a
 * progress bar with the current step while it runs, and the reason when it failed.
 */
export function ReportStatus({
  report,
  statuses,
  failed,
}: {
  report: Pick<StoredReportFields, "status" | "progress" | "step" | "error">;
  statuses: Record<StoredReportFields["status"], string>;
  /** "Lỗi: {error}"; without it a failure shows only the status word. */
  failed?: (error: string) => string;
}) {
  return (
    <>
      {statuses[report.status]}
      {report.status === "running" ? (
        <>
          {" "}
          <progress max="100" value={String(report.progress)} aria-label={report.step ?? ""}>
            {report.progress} %
          </progress>
          <span class="hint">{report.step}</span>
        </>
      ) : null}
      {report.status === "failed" && report.error && failed ? (
        <span class="hint"> {failed(report.error.slice(0, 200))}</span>
      ) : null}
    </>
  );
}

/** The links to a finished report's files; nothing until it is done. */
export function ReportFiles({ report, href }: { report: Pick<StoredReportFields, "status">; href: string }) {
  if (report.status !== "done") return null;
  return (
    <>
      <a href={`${href}/pdf`}>PDF</a> <a href={`${href}/xlsx`}>XLSX</a>
    </>
  );
}
