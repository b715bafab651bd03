import type { DocumentStore } from "../pledges/ports";
import type { Clock } from "../ports";

/** The fields every background-generated report shares (coverage reports, review reports). */
export interface StoredReportFields {
  id: string;
  status: "queued" | "running" | "done" | "failed";
  progress: number;
  step?: string | undefined;
  finishedAt?: string | undefined;
  pdfKey?: string | undefined;
  xlsxKey?: string | undefined;
  pdfSha256?: string | undefined;
  error?: string | undefined;
}

export const XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/**
 * Generates a report in the background: `build` gathers the numbers and renders both files, reporting
 * its progress through `step`; the files are stored write-once under a fresh suffix per attempt (a
 * retried run renders anew and never overwrites), and the record says done with their keys and the
 * PDF's SHA-256, or failed with the error (then the error is rethrown, so the task is retried).
 */
export async function runStoredReport<R extends StoredReportFields>(input: {
  report: R;
  save: (report: R) => Promise<void>;
  documents: DocumentStore;
  clock: Clock;
  newId: () => string;
  /** The files' key without the suffix and extension, e.g. `reports/2026-Q1/<id>`. */
  keyBase: string;
  build: (step: (progress: number, label: string) => Promise<void>) => Promise<{
    pdf: Uint8Array;
    xlsx: Uint8Array;
  }>;
}): Promise<R> {
  let report = input.report;
  if (report.status === "done") return report;
  const step = async (progress: number, label: string) => {
    report = { ...report, status: "running", progress, step: label };
    await input.save(report);
  };
  try {
    const { pdf, xlsx } = await input.build(step);
    await step(90, "Lưu trữ");
    const base = `${input.keyBase}-${input.newId().slice(0, 8)}`;
    await input.documents.put(`${base}.pdf`, pdf, "application/pdf");
    await input.documents.put(`${base}.xlsx`, xlsx, XLSX_CONTENT_TYPE);
    const { createHash } = await import("node:crypto");
    report = {
      ...report,
      status: "done",
      progress: 100,
      step: undefined,
      error: undefined,
      finishedAt: input.clock.now().toISOString(),
      pdfKey: `${base}.pdf`,
      xlsxKey: `${base}.xlsx`,
      pdfSha256: createHash("sha256").update(pdf).digest("hex"),
    };
    await input.save(report);
    return report;
  } catch (error) {
    report = { ...report, status: "failed", error: error instanceof Error ? error.message : String(error) };
    await input.save(report);
    throw error;
  }
}
