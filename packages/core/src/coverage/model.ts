import { z } from "zod";
import type { Party } from "../parties/model";
import type { PartyWrite } from "../parties/ports";
import { type AgencyCode, AgencyCodeSchema } from "../reference/agencies";
import { type PledgeFamily, PledgeFamilySchema } from "../reference/signer-groups";

/**
 * Coverage: how many obligated parties (active) signed the quarter's pledge, counted per cell
 * agency × family × province. A party in several provinces counts once in each of them; the national view
 * sums provinces (and so counts such a party several times, as the provinces' own reports do).
 */
export interface CoverageCellKey {
  agency: AgencyCode;
  family: PledgeFamily;
  province: string;
}

export interface CoverageCell extends CoverageCellKey {
  obligated: number;
  signed: number;
}

export const CoverageCellSchema = z.object({
  agency: AgencyCodeSchema,
  family: PledgeFamilySchema,
  province: z.string(),
  obligated: z.number().int(),
  signed: z.number().int(),
});

export const cellId = (c: CoverageCellKey) => `${c.agency}#${c.family}#${c.province}`;

export function parseCellId(id: string): CoverageCellKey {
  const [agency, family, province] = id.split("#");
  return {
    agency: AgencyCodeSchema.parse(agency),
    family: PledgeFamilySchema.parse(family),
    province: z.string().min(1).parse(province),
  };
}

/** A party is obligated while active; a pledge counts unless revoked (a breached pledge was signed). */
export const isObligated = (party: Pick<Party, "status">) => party.status === "active";

export function hasSigned(party: Pick<Party, "status" | "pledge">, quarter: string): boolean {
  return isObligated(party) && party.pledge?.quarter === quarter && party.pledge.status !== "revoked";
}

/** What one party adds to the counters of a quarter: one cell per province it operates in. */
export function contribution(party: Party, quarter: string): CoverageCell[] {
  const obligated = isObligated(party) ? 1 : 0;
  const signed = hasSigned(party, quarter) ? 1 : 0;
  if (!obligated && !signed) return [];
  return [...new Set(party.provinces)].map((province) => ({
    agency: party.agency,
    family: party.family,
    province,
    obligated,
    signed,
  }));
}

/**
 * How a set of party writes changes the counters of `quarter`, per cell: what the parties add after the
 * writes minus what they added before. Cells that do not change are left out. Used inside the write's
 * own transaction, so the counters never disagree with the registry.
 */
export function coverageDelta(writes: readonly PartyWrite[], quarter: string): CoverageCell[] {
  const cells = new Map<string, CoverageCell>();
  const add = (cell: CoverageCell, sign: 1 | -1) => {
    const id = cellId(cell);
    const current = cells.get(id) ?? { ...cell, obligated: 0, signed: 0 };
    current.obligated += sign * cell.obligated;
    current.signed += sign * cell.signed;
    cells.set(id, current);
  };
  for (const write of writes) {
    for (const cell of contribution(write.after, quarter)) add(cell, 1);
    if (write.before) for (const cell of contribution(write.before, quarter)) add(cell, -1);
  }
  return [...cells.values()].filter((c) => c.obligated !== 0 || c.signed !== 0);
}

/** Sums cells by a projection (agency, family, province or all): the rows of dashboards and reports. */
export function sumCells<K extends string>(
  cells: readonly CoverageCell[],
  keyOf: (cell: CoverageCell) => K,
): Map<K, { obligated: number; signed: number }> {
  const out = new Map<K, { obligated: number; signed: number }>();
  for (const cell of cells) {
    const key = keyOf(cell);
    const row = out.get(key) ?? { obligated: 0, signed: 0 };
    row.obligated += cell.obligated;
    row.signed += cell.signed;
    out.set(key, row);
  }
  return out;
}

/** Coverage as a percentage with one decimal; 100 when nobody is obligated (nothing is missing). */
export function percent(row: { obligated: number; signed: number }): number {
  if (row.obligated <= 0) return 100;
  return Math.round((row.signed / row.obligated) * 1000) / 10;
}

/** The difference between two sets of cells (expected − actual), cells that differ only. */
export function cellDrift(
  expected: readonly CoverageCell[],
  actual: readonly CoverageCell[],
): (CoverageCell & { actualObligated: number; actualSigned: number })[] {
  const byId = new Map<string, { e?: CoverageCell; a?: CoverageCell }>();
  for (const e of expected) byId.set(cellId(e), { ...byId.get(cellId(e)), e });
  for (const a of actual) byId.set(cellId(a), { ...byId.get(cellId(a)), a });
  const out: (CoverageCell & { actualObligated: number; actualSigned: number })[] = [];
  for (const [id, { e, a }] of byId) {
    const key = parseCellId(id);
    const obligated = e?.obligated ?? 0;
    const signed = e?.signed ?? 0;
    const actualObligated = a?.obligated ?? 0;
    const actualSigned = a?.signed ?? 0;
    if (obligated !== actualObligated || signed !== actualSigned) {
      out.push({ ...key, obligated, signed, actualObligated, actualSigned });
    }
  }
  return out;
}
