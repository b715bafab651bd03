import { type CoverageDeps, coverageContext } from "./coverage-context";
import { createCoverageReading } from "./coverage-reading";
import { createCoverageReports } from "./coverage-reports";
import { createReconciliation } from "./reconciliation";

export * from "./coverage-context";

/**
 * Coverage toward 100 %, one module per part: reading it (coverage-reading.ts), reconciling the counters
 * with the registry (reconciliation.ts) and the quarterly reports (coverage-reports.ts), over one shared
 * context (coverage-context.ts).
 */
export function createCoverageService(deps: CoverageDeps) {
  const ctx = coverageContext(deps);
  return {
    ...createCoverageReading(ctx),
    ...createReconciliation(ctx),
    ...createCoverageReports(ctx),
  };
}

export type CoverageService = ReturnType<typeof createCoverageService>;
