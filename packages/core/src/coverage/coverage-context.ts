import { authorize } from "../auth/policy";
import type { Principal } from "../auth/roles";
import type { Party } from "../parties/model";
import type { PartyRepository } from "../parties/ports";
import type { DocumentStore, SigningRepository } from "../pledges/ports";
import { quarterId, quarterLabel } from "../pledges/quarters";
import type { SigningService } from "../pledges/service";
import type { Clock, TaskQueue } from "../ports";
import { AGENCY_CODES, type AgencyCode } from "../reference/agencies";
import { PROVINCES } from "../reference/provinces";
import { type CoverageCell, cellId, contribution, percent, sumCells } from "./model";
import type { CoverageRepository } from "./ports";
import type { ReportPdfRenderer, ReportXlsxWriter } from "./report-model";

export const COVERAGE_RECONCILE_TASK = "coverage.reconcile";
export const COVERAGE_REPORT_TASK = "coverage.report";

/** The actor of scheduled work: acts everywhere, named in audit trails and histories as the system. */
export const SYSTEM_PRINCIPAL: Principal = {
  staffId: "system",
  email: "system@pledgewatch.invalid",
  name: "Hệ thống (tự động)",
  agency: "CT",
  province: "01",
  role: "admin",
};

export interface CoverageDeps {
  coverage: CoverageRepository;
  parties: PartyRepository;
  signing: SigningRepository;
  signingService: SigningService;
  documents: DocumentStore;
  tasks: TaskQueue;
  clock: Clock;
  newId: () => string;
  renderPdf: ReportPdfRenderer;
  writeXlsx: ReportXlsxWriter;
}

export interface CoverageScope {
  /** Absent: every agency (admins). */
  agency?: AgencyCode | undefined;
  /** Absent: every province (admins). */
  province?: string | undefined;
}

export interface CoverageView {
  quarter: string;
  quarterLabel: string;
  current: boolean;
  /** A past quarter that was never frozen shows today's obligated counts. */
  frozen: boolean;
  scope: CoverageScope;
  cells: CoverageCell[];
  total: { obligated: number; signed: number; percent: number };
  byAgency: { agency: AgencyCode; obligated: number; signed: number; percent: number }[];
  byFamily: {
    agency: AgencyCode;
    family: CoverageCell["family"];
    obligated: number;
    signed: number;
    percent: number;
  }[];
  byProvince: { province: string; obligated: number; signed: number; percent: number }[];
}

export const PAGE = 500;

/** Every party of an agency in a province (its list entry there), page by page. */
/** How many registry partitions the report reads at once (each a sequence of pages). */
export const REPORT_READ_CONCURRENCY = 4;

/** Runs `run` over the items with at most `limit` at a time. */
export async function eachConcurrently<T>(
  items: readonly T[],
  limit: number,
  run: (item: T) => Promise<void>,
) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await run(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export async function forEachParty(
  parties: PartyRepository,
  agency: AgencyCode,
  province: string,
  visit: (party: Party) => void | Promise<void>,
) {
  let cursor: string | undefined;
  do {
    const page = await parties.list({ agency, province, limit: PAGE, cursor });
    for (const party of page.items) await visit(party);
    cursor = page.next;
  } while (cursor);
}

/** What every part of the coverage service shares: its ports, the caller's scope, the quarter's cells. */
export function coverageContext(deps: CoverageDeps) {
  const { coverage, parties, signing, clock } = deps;

  function scopeFor(actor: Principal, requested: CoverageScope): CoverageScope {
    if (actor.role === "admin") return requested;
    // Everyone else sees their own agency in their own province.
    authorize(actor, "coverage.read", {
      agency: requested.agency ?? actor.agency,
      provinces: [requested.province ?? actor.province],
    });
    return { agency: actor.agency, province: actor.province };
  }

  const inScope = (scope: CoverageScope) => (c: CoverageCell) =>
    (!scope.agency || c.agency === scope.agency) && (!scope.province || c.province === scope.province);

  /** The counters of a quarter, merged: obligated from the live counters while the quarter runs. */
  async function cellsOf(quarter: string): Promise<{ cells: CoverageCell[]; frozen: boolean }> {
    const current = quarterId(clock.now());
    const counters = await coverage.quarterCounters(quarter);
    // A closed quarter has its frozen figures; one before the platform's first rollover has only what was
    // signed (no obligated count was ever taken), and a future one nothing yet.
    if (quarter !== current) return { cells: counters.cells, frozen: Boolean(counters.closedAt) };
    const merged = new Map<string, CoverageCell>();
    for (const live of await coverage.liveCells()) merged.set(cellId(live), { ...live, signed: 0 });
    for (const c of counters.cells) {
      const id = cellId(c);
      merged.set(id, { ...c, obligated: merged.get(id)?.obligated ?? 0 });
    }
    return { cells: [...merged.values()], frozen: false };
  }

  function view(quarter: string, cells: CoverageCell[], scope: CoverageScope, frozen: boolean): CoverageView {
    const mine = cells.filter(inScope(scope));
    const row = (r: { obligated: number; signed: number }) => ({ ...r, percent: percent(r) });
    const total = row(sumCells(mine, () => "all").get("all") ?? { obligated: 0, signed: 0 });
    return {
      quarter,
      quarterLabel: quarterLabel(quarter),
      current: quarter === quarterId(clock.now()),
      frozen,
      scope,
      cells: mine,
      total,
      byAgency: [...sumCells(mine, (c) => c.agency)]
        .map(([agency, r]) => ({ agency, ...row(r) }))
        .sort((a, b) => AGENCY_CODES.indexOf(a.agency) - AGENCY_CODES.indexOf(b.agency)),
      byFamily: [...sumCells(mine, (c) => `${c.agency}#${c.family}`)]
        .map(([key, r]) => {
          const [agency, family] = key.split("#") as [AgencyCode, CoverageCell["family"]];
          return { agency, family, ...row(r) };
        })
        .sort((a, b) => a.agency.localeCompare(b.agency) || a.family.localeCompare(b.family)),
      byProvince: [...sumCells(mine, (c) => c.province)]
        .map(([province, r]) => ({ province, ...row(r) }))
        .sort((a, b) => a.province.localeCompare(b.province)),
    };
  }

  /**
   * Recounts a quarter from the registry (every party's list entry, agency × province) and the pledges
   * (the quarter's registry of pledges): what the counters should say. Never a Scan.
   */
  async function recount(quarter: string, provinces?: readonly string[]) {
    const pledged = new Set<string>();
    let cursor: string | undefined;
    do {
      const page = await signing.publicPledges({ quarter, limit: 1000, cursor });
      for (const p of page.items) if (p.status !== "revoked") pledged.add(p.partyId);
      cursor = page.next;
    } while (cursor);
    const cells = new Map<string, CoverageCell>();
    const seen = new Set<string>();
    const codes = provinces ?? PROVINCES.map((p) => p.code);
    for (const province of codes) {
      for (const agency of AGENCY_CODES) {
        await forEachParty(parties, agency, province, (party) => {
          seen.add(party.id);
          // The pledge comes from the pledges, not the party's summary: two sources, compared.
          const asSigned: Party = pledged.has(party.id)
            ? { ...party, pledge: { quarter, status: "valid", documentCode: "" } }
            : { ...party, pledge: undefined };
          for (const cell of contribution(asSigned, quarter)) {
            if (cell.province !== province) continue;
            const id = cellId(cell);
            const sum = cells.get(id) ?? { ...cell, obligated: 0, signed: 0 };
            sum.obligated += cell.obligated;
            sum.signed += cell.signed;
            cells.set(id, sum);
          }
        });
      }
    }
    return { cells: [...cells.values()], parties: seen.size, provinces: codes.length };
  }

  return { deps, coverage, parties, signing, clock, scopeFor, inScope, cellsOf, view, recount };
}

export type CoverageContext = ReturnType<typeof coverageContext>;
