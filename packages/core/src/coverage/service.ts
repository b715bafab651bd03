import { authorize, can } from "../auth/policy";
import type { Principal } from "../auth/roles";
import { ConflictError, InvalidError, NotFoundError } from "../errors";
import type { Party } from "../parties/model";
import type { PartyRepository } from "../parties/ports";
import { actorRef } from "../parties/service";
import { FAMILY_LABELS_VI, GROUP_LABELS_VI } from "../pledges/labels";
import type { DocumentStore, SigningRepository } from "../pledges/ports";
import { compareQuarterIds, previousQuarterId, quarterId, quarterLabel } from "../pledges/quarters";
import type { SigningService } from "../pledges/service";
import type { Clock, TaskQueue } from "../ports";
import { AGENCIES, AGENCY_CODES, type AgencyCode, agencyByCode } from "../reference/agencies";
import { PROVINCES, provinceByCode } from "../reference/provinces";
import { runStoredReport } from "../reports/stored-report";
import { type CoverageCell, cellDrift, cellId, contribution, hasSigned, percent, sumCells } from "./model";
import type { CoverageRepository, ReconciliationRecord } from "./ports";
import type { CoverageReport, CoverageReportData, ReportPdfRenderer, ReportXlsxWriter } from "./report-model";
import {
  DEFAULT_RENEWAL_SETTINGS,
  daysBetween,
  partyDueDate,
  quarterDueDate,
  type RenewalSettings,
  vietnamDate,
} from "./settings";

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

const PAGE = 500;

/** Every party of an agency in a province (its list entry there), page by page. */
/** How many registry partitions the report reads at once (each a sequence of pages). */
const REPORT_READ_CONCURRENCY = 4;

/** Runs `run` over the items with at most `limit` at a time. */
async function eachConcurrently<T>(items: readonly T[], limit: number, run: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await run(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

async function forEachParty(
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

export function createCoverageService(deps: CoverageDeps) {
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

  return {
    /** The dashboard's numbers: counters only, never the registry. */
    async read(
      actor: Principal,
      quarter: string | undefined,
      requested: CoverageScope = {},
    ): Promise<CoverageView> {
      authorize(actor, "coverage.read");
      const scope = scopeFor(actor, requested);
      const q = quarter ?? quarterId(clock.now());
      const { cells, frozen } = await cellsOf(q);
      return view(q, cells, scope, frozen);
    },

    /** Coverage of the last `count` quarters up to `quarter`, oldest first. */
    async trend(actor: Principal, quarter: string | undefined, count = 4, requested: CoverageScope = {}) {
      authorize(actor, "coverage.read");
      const scope = scopeFor(actor, requested);
      const quarters: string[] = [];
      let q = quarter ?? quarterId(clock.now());
      for (let i = 0; i < count; i++) {
        quarters.unshift(q);
        q = previousQuarterId(q);
      }
      return Promise.all(
        quarters.map(async (id) => {
          const { cells } = await cellsOf(id);
          return { quarter: id, label: quarterLabel(id), ...view(id, cells, scope, true).total };
        }),
      );
    },

    /**
     * The dashboard in one go: a quarter's coverage and the trend of the `count` quarters up to it, from
     * one read of each quarter's counters and one of the live counters (five queries, in parallel).
     */
    async dashboard(actor: Principal, quarter: string | undefined, requested: CoverageScope = {}, count = 4) {
      authorize(actor, "coverage.read");
      const scope = scopeFor(actor, requested);
      const quarters: string[] = [];
      let q = quarter ?? quarterId(clock.now());
      for (let i = 0; i < count; i++) {
        quarters.unshift(q);
        q = previousQuarterId(q);
      }
      const all = await Promise.all(quarters.map(cellsOf));
      const last = quarters.length - 1;
      const shown = all[last] ?? { cells: [], frozen: false };
      return {
        view: view(quarters[last] ?? "", shown.cells, scope, shown.frozen),
        trend: quarters.map((id, i) => ({
          quarter: id,
          label: quarterLabel(id),
          ...view(id, all[i]?.cells ?? [], scope, true).total,
        })),
      };
    },

    /** Active parties of a cell that have not signed the current quarter: the drill-down. */
    async unsigned(
      actor: Principal,
      query: {
        agency: AgencyCode;
        province: string;
        family?: string | undefined;
        cursor?: string | undefined;
      },
    ) {
      authorize(actor, "coverage.read", { agency: query.agency, provinces: [query.province] });
      const quarter = quarterId(clock.now());
      const settings = (await coverage.getSettings(query.province)) ?? DEFAULT_RENEWAL_SETTINGS;
      const page = await parties.list({
        agency: query.agency,
        province: query.province,
        status: "active",
        limit: 200,
        cursor: query.cursor,
      });
      const today = vietnamDate(clock.now());
      const items = page.items
        .filter((p) => !hasSigned(p, quarter) && (!query.family || p.family === query.family))
        .map((party) => {
          const due = partyDueDate(party, quarter, settings);
          return { party, dueDate: due, overdue: today > due };
        });
      return { quarter, items, next: page.next };
    },

    /** One click on the dashboard: a reminder (new link) if the party was invited, else an invitation. */
    async remind(actor: Principal, partyId: string) {
      const party = await parties.get(partyId);
      if (!party || !can(actor, "pledges.read", { agency: party.agency, provinces: party.provinces }))
        throw new NotFoundError("Party not found");
      authorize(actor, "pledges.invite", { agency: party.agency, provinces: party.provinces });
      const quarter = quarterId(clock.now());
      if (hasSigned(party, quarter)) throw new ConflictError("Already signed this quarter");
      const open = (await signing.invitationsOfParty(party.id)).find(
        (i) => i.quarter === quarter && i.status === "active",
      );
      if (open)
        return { kind: "reminded" as const, invitation: await deps.signingService.resend(actor, open.id) };
      return { kind: "invited" as const, invitation: await deps.signingService.invite(actor, party.id) };
    },

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

    // ---- reports -------------------------------------------------------------------------------------

    async requestReport(
      actor: Principal,
      input: { quarter: string; agency?: AgencyCode | undefined; province?: string | undefined },
      automatic = false,
    ): Promise<CoverageReport> {
      authorize(actor, "coverage.report");
      const scope = scopeFor(actor, input);
      if (compareQuarterIds(input.quarter, quarterId(clock.now())) > 0)
        throw new InvalidError("Future quarter", [{ field: "quarter", message: "Quý chưa bắt đầu" }]);
      const report: CoverageReport = {
        id: deps.newId(),
        quarter: input.quarter,
        ...(scope.agency ? { agency: scope.agency } : {}),
        ...(scope.province ? { province: scope.province } : {}),
        status: "queued",
        progress: 0,
        requestedAt: clock.now().toISOString(),
        requestedBy: actorRef(actor),
        automatic,
      };
      await coverage.createReport(report);
      await deps.tasks.enqueue({ type: COVERAGE_REPORT_TASK, payload: { reportId: report.id } });
      return report;
    },

    async listReports(actor: Principal) {
      authorize(actor, "coverage.read");
      const all = await coverage.listReports(100);
      if (actor.role === "admin") return all;
      return all.filter(
        (r) =>
          (!r.agency || r.agency === actor.agency) &&
          (!r.province || r.province === actor.province) &&
          r.agency &&
          r.province,
      );
    },

    async reportFile(actor: Principal, id: string, kind: "pdf" | "xlsx") {
      authorize(actor, "coverage.read");
      const report = await coverage.getReport(id);
      if (
        !report ||
        (actor.role !== "admin" && (report.agency !== actor.agency || report.province !== actor.province))
      )
        throw new NotFoundError("Report not found");
      const key = kind === "pdf" ? report.pdfKey : report.xlsxKey;
      const bytes = key ? await deps.documents.get(key) : null;
      if (!bytes) throw new NotFoundError("Report file not ready");
      return { report, bytes };
    },

    /** Background: gathers the numbers, draws the PDF, writes the XLSX, stores both write-once. */
    async runReport(id: string): Promise<CoverageReport> {
      const report = await coverage.getReport(id);
      if (!report) throw new NotFoundError(`No report ${id}`);
      return runStoredReport({
        report,
        save: (r) => coverage.updateReport(r),
        documents: deps.documents,
        clock,
        newId: deps.newId,
        keyBase: `reports/${report.quarter}/${report.id}`,
        build: async (step) => {
          await step(5, "Đọc số liệu bao phủ");
          const data = await reportData(report);
          await step(60, "Vẽ báo cáo PDF");
          const pdf = await deps.renderPdf(data);
          await step(80, "Ghi bảng tính XLSX");
          return { pdf, xlsx: await deps.writeXlsx(data) };
        },
      });
    },
  };

  async function reportData(report: CoverageReport): Promise<CoverageReportData> {
    const scope: CoverageScope = { agency: report.agency, province: report.province };
    const { cells } = await cellsOf(report.quarter);
    const v = view(report.quarter, cells, scope, true);
    const trend: CoverageReportData["trend"] = [];
    let q = report.quarter;
    const quarters: string[] = [];
    for (let i = 0; i < 4; i++) {
      quarters.unshift(q);
      q = previousQuarterId(q);
    }
    for (const id of quarters) {
      const t = view(id, (await cellsOf(id)).cells, scope, true).total;
      trend.push({ label: quarterLabel(id), ...t });
    }
    const provinces = scope.province ? [scope.province] : [...new Set(v.cells.map((c) => c.province))].sort();
    const agencies = scope.agency ? [scope.agency] : [...AGENCY_CODES];
    const today = vietnamDate(clock.now());
    const reference = compareQuarterIds(report.quarter, quarterId(clock.now())) < 0 ? "9999-12-31" : today;
    // Every agency × province partition of the registry, a few at a time; a party listed in several
    // provinces is reported once, under the first of its provinces in this order (the same every run).
    const partitions = provinces.flatMap((province, p) =>
      agencies.map((agency, a) => ({ province, agency, order: p * agencies.length + a })),
    );
    const settingsOf = new Map<string, Promise<RenewalSettings>>();
    const found = new Map<string, { order: number; row: CoverageReportData["overdue"][number] }>();
    await eachConcurrently(partitions, REPORT_READ_CONCURRENCY, async ({ province, agency, order }) => {
      let pending = settingsOf.get(province);
      if (!pending) {
        pending = coverage.getSettings(province).then((s) => s ?? DEFAULT_RENEWAL_SETTINGS);
        settingsOf.set(province, pending);
      }
      const settings = await pending;
      await forEachParty(parties, agency, province, async (party) => {
        if (party.status !== "active") return;
        const earlier = found.get(party.id);
        if (earlier && earlier.order < order) return;
        const due = partyDueDate(party, report.quarter, settings);
        if (reference <= due) return;
        // The party's own summary says whether it signed the quarter; only when it already signed a
        // later one (a past quarter's report) is that quarter's pledge read.
        if (hasSigned(party, report.quarter)) return;
        if (party.pledge && compareQuarterIds(party.pledge.quarter, report.quarter) > 0) {
          const signed = await signing.getPledge(party.id, report.quarter);
          if (signed && signed.status !== "revoked") return;
        }
        const closedDay = reference === "9999-12-31" ? vietnamDate(clock.now()) : today;
        found.set(party.id, {
          order,
          row: {
            name: party.name,
            group: GROUP_LABELS_VI[party.group],
            province: provinceByCode(province)?.name ?? province,
            dueDate: due,
            daysOverdue: Math.max(1, daysBetween(due, closedDay)),
          },
        });
      });
    });
    const overdue = [...found.values()].map((f) => f.row);
    overdue.sort((a, b) => b.daysOverdue - a.daysOverdue || a.name.localeCompare(b.name, "vi"));
    const breached: CoverageReportData["breached"] = [];
    let cursor: string | undefined;
    do {
      const page = await signing.publicPledges({ quarter: report.quarter, limit: 1000, cursor });
      for (const p of page.items) {
        if (p.status !== "breached") continue;
        if (scope.agency && p.agency !== scope.agency) continue;
        if (scope.province && !p.provinces.includes(scope.province)) continue;
        breached.push({
          documentCode: p.documentCode,
          name: p.partyName,
          reason: p.statusReason ?? "",
          at: p.statusChangedAt ?? "",
        });
      }
      cursor = page.next;
    } while (cursor);
    const agencyLabel = scope.agency ? agencyByCode(scope.agency).nameVi : "Các sở";
    const provinceLabel = scope.province
      ? (provinceByCode(scope.province)?.name ?? scope.province)
      : "toàn quốc";
    const settings = scope.province
      ? ((await coverage.getSettings(scope.province)) ?? DEFAULT_RENEWAL_SETTINGS)
      : DEFAULT_RENEWAL_SETTINGS;
    return {
      quarter: report.quarter,
      quarterLabel: quarterLabel(report.quarter),
      scopeLabel: `${agencyLabel} – ${provinceLabel}`,
      generatedAt: clock.now(),
      generatedBy: report.requestedBy.name,
      dueDate: quarterDueDate(report.quarter, settings),
      total: v.total,
      byAgency: v.byAgency.map((r) => ({
        ...r,
        label: AGENCIES.find((a) => a.code === r.agency)?.nameVi ?? r.agency,
      })),
      byFamily: v.byFamily.map((r) => ({
        ...r,
        label: scope.agency ? FAMILY_LABELS_VI[r.family] : `${FAMILY_LABELS_VI[r.family]} (${r.agency})`,
      })),
      byProvince: v.byProvince.map((r) => ({ ...r, label: provinceByCode(r.province)?.name ?? r.province })),
      trend,
      overdue,
      breached,
      signatureTitle: scope.agency
        ? `GIÁM ĐỐC ${agencyByCode(scope.agency).nameVi.toUpperCase()}`
        : "THỦ TRƯỞNG CƠ QUAN",
    };
  }
}

export type CoverageService = ReturnType<typeof createCoverageService>;
