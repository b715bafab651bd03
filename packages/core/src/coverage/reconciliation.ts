import { authorize } from "../auth/policy";
import type { Principal } from "../auth/roles";
import { quarterId } from "../pledges/quarters";
import { PROVINCES } from "../reference/provinces";
import type { CoverageContext } from "./coverage-context";
import { cellDrift } from "./model";
import type { ReconciliationRecord } from "./ports";

/** The counters checked against the registry: the nightly recount and repair, its records, a quarter closed. */
export function createReconciliation(ctx: CoverageContext) {
  const { deps, coverage, clock, cellsOf, recount } = ctx;

  return {
    recount,

    /**
     * The nightly reconciliation: recounts the current quarter, compares with the counters, repairs any
     * drift (by adding the difference, so writes made meanwhile keep their own changes) and records what
     * it found.
     */
    async reconcile(
      options: { repair?: boolean; provinces?: readonly string[] } = {},
    ): Promise<ReconciliationRecord> {
      const quarter = quarterId(clock.now());
      const expected = await recount(quarter, options.provinces);
      const { cells: actual } = await cellsOf(quarter);
      const wanted = new Set(options.provinces ?? PROVINCES.map((p) => p.code));
      const drift = cellDrift(
        expected.cells,
        actual.filter((c) => wanted.has(c.province)),
      );
      const repair = options.repair !== false && drift.length > 0;
      if (repair) {
        await coverage.adjust(
          quarter,
          drift.map((d) => ({
            agency: d.agency,
            family: d.family,
            province: d.province,
            obligated: d.obligated - d.actualObligated,
            signed: d.signed - d.actualSigned,
          })),
        );
      }
      const record: ReconciliationRecord = {
        id: deps.newId(),
        at: clock.now().toISOString(),
        quarter,
        provinces: expected.provinces,
        parties: expected.parties,
        drift,
        repaired: repair,
      };
      if (options.repair !== false) await coverage.saveReconciliation(record);
      return record;
    },

    async reconciliations(actor: Principal) {
      authorize(actor, "coverage.reconcile");
      return coverage.reconciliations(20);
    },

    /** Freezes the obligated counts of a quarter that ended (at rollover). */
    async closeQuarter(quarter: string): Promise<boolean> {
      const live = await coverage.liveCells();
      return coverage.closeQuarter(quarter, live, clock.now().toISOString());
    },
  };
}
