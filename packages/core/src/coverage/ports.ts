import type { CoverageCell } from "./model";
import type { CoverageReport } from "./report-model";
import type { StoredRenewalSettings } from "./settings";

/** A quarter's counters: signed per cell, and obligated once the quarter is closed (frozen). */
export interface QuarterCounters {
  cells: CoverageCell[];
  closedAt?: string | undefined;
}

export interface ReconciliationRecord {
  id: string;
  at: string;
  quarter: string;
  provinces: number;
  parties: number;
  /** Cells whose counters differed from the recount, with both values; repaired when `repaired`. */
  drift: (CoverageCell & { actualObligated: number; actualSigned: number })[];
  repaired: boolean;
}

/**
 * The coverage counters and what the renewal cycle keeps, in DynamoDB. The counters themselves are
 * changed inside the registry's and the signing's own transactions (packages/aws); this port reads them,
 * freezes a closed quarter, and applies the reconciliation's repairs.
 */
export interface CoverageRepository {
  /** Obligated parties now, per cell (signed is 0 here). */
  liveCells(): Promise<CoverageCell[]>;
  quarterCounters(quarter: string): Promise<QuarterCounters>;
  /** Freezes the obligated counts of a quarter that ended; false when it was frozen already. */
  closeQuarter(quarter: string, obligated: CoverageCell[], at: string): Promise<boolean>;
  /** Adds deltas: obligated to the live counters, signed to the quarter's. */
  adjust(quarter: string, deltas: CoverageCell[]): Promise<void>;
  saveReconciliation(record: ReconciliationRecord): Promise<void>;
  reconciliations(limit: number): Promise<ReconciliationRecord[]>;

  getSettings(province: string): Promise<StoredRenewalSettings | null>;
  putSettings(settings: StoredRenewalSettings): Promise<void>;

  /** Records that something happened once (a rollover, a reminder, a digest); false when it already had. */
  markOnce(key: string, at: string): Promise<boolean>;
  /** When a mark was written, or null. */
  markedAt(key: string): Promise<string | null>;

  createReport(report: CoverageReport): Promise<void>;
  updateReport(report: CoverageReport): Promise<void>;
  getReport(id: string): Promise<CoverageReport | null>;
  /** Newest first. */
  listReports(limit: number): Promise<CoverageReport[]>;
}
