import type { AgencyCode } from "../reference/agencies";
import type { CaseLogEntry } from "../review/model";

/**
 * Case log entries by agency × province × time: the index the metrics and reports read (no Scan). An
 * entry is filed under the agency and province its case was in after the entry (a referred case's later
 * entries count for the agency it went to).
 */
export interface CaseLogIndex {
  /** Entries with `from <= at < to`, oldest first. */
  entries(query: { agency: AgencyCode; province: string; from: string; to: string }): Promise<CaseLogEntry[]>;
  /** Whether there is any entry with `from <= at < to` (one small read per month). */
  any(query: { agency: AgencyCode; province: string; from: string; to: string }): Promise<boolean>;
}
