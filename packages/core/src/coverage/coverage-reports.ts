import { authorize } from "../auth/policy";
import type { Principal } from "../auth/roles";
import { InvalidError, NotFoundError } from "../errors";
import { actorRef } from "../parties/service";
import { FAMILY_LABELS_VI, GROUP_LABELS_VI } from "../pledges/labels";
import { compareQuarterIds, previousQuarterId, quarterId, quarterLabel } from "../pledges/quarters";
import { AGENCIES, AGENCY_CODES, type AgencyCode, agencyByCode } from "../reference/agencies";
import { provinceByCode } from "../reference/provinces";
import { runStoredReport } from "../reports/stored-report";
import {
  COVERAGE_REPORT_TASK,
  type CoverageContext,
  type CoverageScope,
  eachConcurrently,
  forEachParty,
  REPORT_READ_CONCURRENCY,
} from "./coverage-context";
import { hasSigned } from "./model";
import type { CoverageReport, CoverageReportData } from "./report-model";
import {
  DEFAULT_RENEWAL_SETTINGS,
  daysBetween,
  partyDueDate,
  quarterDueDate,
  type RenewalSettings,
  vietnamDate,
} from "./settings";

/** The numbers of a quarterly coverage report, gathered from the counters and the registry. */
async function reportData(ctx: CoverageContext, report: CoverageReport): Promise<CoverageReportData> {
  const { coverage, parties, signing, clock, cellsOf, view } = ctx;

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

/** Quarterly coverage reports: requested, listed, downloaded, and built in the background. */
export function createCoverageReports(ctx: CoverageContext) {
  const { deps, coverage, clock, scopeFor } = ctx;

  return {
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
          const data = await reportData(ctx, report);
          await step(60, "Vẽ báo cáo PDF");
          const pdf = await deps.renderPdf(data);
          await step(80, "Ghi bảng tính XLSX");
          return { pdf, xlsx: await deps.writeXlsx(data) };
        },
      });
    },
  };
}
