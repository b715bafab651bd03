import type { ReviewReport } from "./model";

/** Review reports, kept write-once once done (the files are in the document store). */
export interface ReviewReportRepository {
  /** Refuses an id that exists. */
  create(report: ReviewReport): Promise<void>;
  update(report: ReviewReport): Promise<void>;
  get(id: string): Promise<ReviewReport | null>;
  /** Newest first: one agency × province's, or every office's (`null`, admins). */
  list(scope: { agency: string; province: string } | null, limit: number): Promise<ReviewReport[]>;
}
