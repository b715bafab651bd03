import { z } from "zod";
import { authorize, can } from "../auth/policy";
import type { Principal } from "../auth/roles";
import { InvalidError, NotFoundError } from "../errors";
import { actorRef } from "../parties/service";
import type { DocumentStore } from "../pledges/ports";
import { quarterLabel } from "../pledges/quarters";
import type { Clock, TaskQueue } from "../ports";
import { AGENCY_CODES, type AgencyCode, AgencyCodeSchema, agencyByCode } from "../reference/agencies";
import { PROVINCES, ProvinceCodeSchema, provinceByCode } from "../reference/provinces";
import { runStoredReport } from "../reports/stored-report";
import { type Case, type CaseLogEntry, SYSTEM_ACTOR } from "../review/model";
import type { CaseEvidence, CaseRepository } from "../review/ports";
import type { CaseLogIndex } from "../review-metrics/ports";
import { countReviewReport } from "./counts";
import { CASE_STATE_LABELS_VI, eventTextVi, REPORT_TITLES_VI, VIOLATION_LABELS_VI } from "./labels";
import {
  type PeriodicReportKind,
  type PeriodicReportPdfRenderer,
  type PeriodicReportXlsxWriter,
  type PeriodicReviewReportData,
  type QuickCaseReportData,
  type QuickReportPdfRenderer,
  type QuickReportXlsxWriter,
  REPORT_FOCUS,
  type ReviewReport,
  ReviewReportKindSchema,
} from "./model";
import { type ReportPeriod, recentPeriods, reportPeriod } from "./periods";
import type { ReviewReportRepository } from "./ports";

export const REVIEW_REPORT_TASK = "review.report";

export interface ReviewReportDeps {
  reports: ReviewReportRepository;
  /** Once-only marks (the renewal cycle's), so the tick makes each automatic report once. */
  marks: {
    markOnce(key: string, at: string): Promise<boolean>;
    markedAt(key: string): Promise<string | null>;
  };
  log: CaseLogIndex;
  cases: Pick<CaseRepository, "get" | "log">;
  evidence: CaseEvidence;
  documents: DocumentStore;
  tasks: TaskQueue;
  clock: Clock;
  newId: () => string;
  render: {
    periodicPdf: PeriodicReportPdfRenderer;
    periodicXlsx: PeriodicReportXlsxWriter;
    quickPdf: QuickReportPdfRenderer;
    quickXlsx: QuickReportXlsxWriter;
  };
}

/** What a caller asks for: a periodic report of a period, or a quick report on a case. */
export const ReviewReportRequestSchema = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: ReviewReportKindSchema.exclude(["case_quick"]),
    period: z.string().trim().min(1).max(20),
    /** Admins only: another office's report. */
    agency: AgencyCodeSchema.optional(),
    province: ProvinceCodeSchema.optional(),
  }),
  z.strictObject({ kind: z.literal("case_quick"), caseId: z.string().trim().min(1).max(200) }),
]);
export type ReviewReportRequest = z.infer<typeof ReviewReportRequestSchema>;

/** Vietnamese messages of the request's fields (the UI shows them; the API adds zod's own words). */
const FIELD_MESSAGES: Record<string, string> = {
  kind: "Loại báo cáo không hợp lệ",
  period: "Kỳ báo cáo không hợp lệ",
  caseId: "Mã hồ sơ không hợp lệ",
  agency: "Đơn vị không hợp lệ",
  province: "Mã tỉnh/thành không hợp lệ",
};

const agencyName = (code: string) => {
  const parsed = AgencyCodeSchema.safeParse(code);
  return parsed.success ? agencyByCode(parsed.data).nameVi : code;
};
const provinceName = (code: string) => provinceByCode(code)?.name ?? code;
const signatureTitle = (agency: AgencyCode) => `GIÁM ĐỐC ${agencyByCode(agency).nameVi.toUpperCase()}`;

/**
 * The review reports (issue 8): requested by staff of an office, generated in the background (a task),
 * stored write-once and listed, like the coverage reports. The numbers are recounted from the case log
 * index of the office (no Scan); the quick report reads one case and its own log.
 */
export function createReviewReportService(deps: ReviewReportDeps) {
  const now = () => deps.clock.now();

  function parseRequest(input: unknown): ReviewReportRequest {
    const parsed = ReviewReportRequestSchema.safeParse(input);
    if (!parsed.success) {
      throw new InvalidError(
        "Invalid report request",
        parsed.error.issues.map((i) => {
          const field = i.path.map(String).join(".") || "kind";
          return { field, message: `${FIELD_MESSAGES[field] ?? "Giá trị không hợp lệ"} (${i.message})` };
        }),
      );
    }
    return parsed.data;
  }

  /** The report, if the caller may see it; another office's does not exist for them. */
  async function load(actor: Principal, id: string): Promise<ReviewReport> {
    authorize(actor, "review.reports.read");
    const report = await deps.reports.get(id);
    if (
      !report ||
      !can(actor, "review.reports.read", { agency: report.agency, provinces: [report.province] })
    )
      throw new NotFoundError("Report not found");
    return report;
  }

  async function periodicData(
    report: ReviewReport,
    kind: PeriodicReportKind,
  ): Promise<PeriodicReviewReportData> {
    const entries = await deps.log.entries({
      agency: report.agency,
      province: report.province,
      from: report.from,
      to: report.to,
    });
    const focus = REPORT_FOCUS[kind];
    const { counts, violations } = countReviewReport(entries, report, report.from, report.to, focus);
    const described = [];
    for (const v of violations) {
      const found = await deps.cases.get(v.caseId);
      described.push({
        ...v,
        typeLabel: VIOLATION_LABELS_VI[v.type],
        platform: found?.item.platform ?? "",
        url: found?.item.url ?? "",
        title: found?.item.title ?? "",
        violator: found ? violatorName(found) : "",
      });
    }
    return {
      kind,
      title: REPORT_TITLES_VI[kind],
      periodLabel: report.label,
      scopeLabel: `${agencyName(report.agency)} – ${provinceName(report.province)}`,
      // A period not over at the request counts up to it: its report ends before the period does.
      ongoing: report.period !== undefined && report.to < reportPeriod(kind, report.period).to.toISOString(),
      from: report.from,
      to: report.to,
      generatedAt: now(),
      generatedBy: report.requestedBy.name,
      focus,
      counts,
      violations: described,
      signatureTitle: signatureTitle(report.agency),
    };
  }

  async function quickData(report: ReviewReport): Promise<QuickCaseReportData> {
    const found = report.caseId ? await deps.cases.get(report.caseId) : null;
    if (!found) throw new NotFoundError(`No case ${report.caseId}`);
    const log = (await deps.cases.log(found.id)).filter((e) => e.at < report.to);
    return quickCaseData(found, log, report, now(), await screenshotOf(found));
  }

  async function screenshotOf(found: Case): Promise<Uint8Array | null> {
    if (!found.captureId) return null;
    const capture = await deps.evidence.capture(found.captureId);
    const page = capture?.pages.find((p) => p.pageNo === (found.pageNo ?? 1)) ?? capture?.pages[0];
    const key = page?.artefacts.find((a) => a.name === "screenshot.png")?.key;
    if (!key) return null;
    return (await deps.evidence.artefact(found.captureId, key))?.body ?? null;
  }

  async function queue(report: ReviewReport) {
    await deps.reports.create(report);
    await deps.tasks.enqueue({ type: REVIEW_REPORT_TASK, payload: { reportId: report.id } });
  }

  return {
    parseRequest,

    async request(actor: Principal, input: unknown): Promise<ReviewReport> {
      authorize(actor, "review.reports.create");
      const req = parseRequest(input);
      const at = now();
      const base = {
        id: deps.newId(),
        status: "queued" as const,
        progress: 0,
        requestedAt: at.toISOString(),
        requestedBy: actorRef(actor),
      };
      let report: ReviewReport;
      if (req.kind === "case_quick") {
        const found = await deps.cases.get(req.caseId);
        if (!found || !can(actor, "cases.read", { agency: found.agency, provinces: [found.province] }))
          throw new NotFoundError("No such case");
        authorize(actor, "review.reports.create", { agency: found.agency, provinces: [found.province] });
        report = {
          ...base,
          kind: "case_quick",
          agency: found.agency,
          province: found.province,
          caseId: found.id,
          from: found.openedAt,
          to: at.toISOString(),
          label: `Hồ sơ ${found.id.slice(0, 12)}`,
        };
      } else {
        const agency = req.agency ?? actor.agency;
        const province = req.province ?? actor.province;
        authorize(actor, "review.reports.create", { agency, provinces: [province] });
        const period = reportPeriod(req.kind, req.period);
        if (period.from > at)
          throw new InvalidError("Future period", [{ field: "period", message: "Kỳ báo cáo chưa bắt đầu" }]);
        report = periodicReport(base, req.kind, agency, province, period, at);
      }
      await queue(report);
      return report;
    },

    /**
     * The hourly tick: once a period has ended, its report for every office (agency × province) whose
     * case log has entries in it, made once each (a mark per office, then one for the period, so a tick
     * that stopped half-way finishes the rest and makes nothing twice). Returns how many it queued.
     */
    async generateDue(): Promise<number> {
      const at = now();
      let queued = 0;
      for (const kind of PERIODIC_KINDS) {
        const ended = recentPeriods(kind, at, 2)[1];
        if (!ended) continue;
        const key = `RREPORT#${kind}#${ended.id}`;
        if (await deps.marks.markedAt(key)) continue;
        for (const agency of AGENCY_CODES) {
          for (const { code: province } of PROVINCES) {
            const scope = { agency, province, from: ended.from.toISOString(), to: ended.to.toISOString() };
            if (!(await deps.log.any(scope))) continue;
            if (!(await deps.marks.markOnce(`${key}#${agency}#${province}`, at.toISOString()))) continue;
            const base = {
              id: deps.newId(),
              status: "queued" as const,
              progress: 0,
              requestedAt: at.toISOString(),
              requestedBy: { staffId: SYSTEM_ACTOR.staffId, name: SYSTEM_ACTOR.name },
              automatic: true,
            };
            await queue(periodicReport(base, kind, agency, province, ended, at));
            queued++;
          }
        }
        await deps.marks.markOnce(key, at.toISOString());
      }
      return queued;
    },

    async list(actor: Principal): Promise<ReviewReport[]> {
      authorize(actor, "review.reports.read");
      if (actor.role === "admin") return deps.reports.list(null, 100);
      return deps.reports.list({ agency: actor.agency, province: actor.province }, 100);
    },

    get: load,

    async file(actor: Principal, id: string, kind: "pdf" | "xlsx") {
      const report = await load(actor, id);
      const key = kind === "pdf" ? report.pdfKey : report.xlsxKey;
      const bytes = key ? await deps.documents.get(key) : null;
      if (!bytes) throw new NotFoundError("Report file not ready");
      return { report, bytes };
    },

    /** Background: recounts the log, draws the PDF, writes the XLSX, stores both write-once. */
    async run(id: string): Promise<ReviewReport> {
      const report = await deps.reports.get(id);
      if (!report) throw new NotFoundError(`No report ${id}`);
      return runStoredReport({
        report,
        save: (r) => deps.reports.update(r),
        documents: deps.documents,
        clock: deps.clock,
        newId: deps.newId,
        keyBase: `review-reports/${report.agency}/${report.province}/${report.id}`,
        build: async (step) => {
          await step(5, "Đếm lại nhật ký hồ sơ");
          if (report.kind === "case_quick") {
            const data = await quickData(report);
            await step(60, "Vẽ báo cáo PDF");
            const pdf = await deps.render.quickPdf(data);
            await step(80, "Ghi bảng tính XLSX");
            return { pdf, xlsx: await deps.render.quickXlsx(data) };
          }
          const data = await periodicData(report, report.kind);
          await step(60, "Vẽ báo cáo PDF");
          const pdf = await deps.render.periodicPdf(data);
          await step(80, "Ghi bảng tính XLSX");
          return { pdf, xlsx: await deps.render.periodicXlsx(data) };
        },
      });
    },
  };
}

const PERIODIC_KINDS: readonly PeriodicReportKind[] = [
  "advertising_quarterly",
  "quality_monthly",
  "campaign_weekly",
];

/** A periodic report's record; a period that has not ended counts up to `at`. */
function periodicReport(
  base: Pick<ReviewReport, "id" | "status" | "progress" | "requestedAt" | "requestedBy" | "automatic">,
  kind: PeriodicReportKind,
  agency: AgencyCode,
  province: string,
  period: ReportPeriod,
  at: Date,
): ReviewReport {
  const to = new Date(Math.min(period.to.getTime(), at.getTime()));
  return {
    ...base,
    kind,
    agency,
    province,
    period: period.id,
    from: period.from.toISOString(),
    to: to.toISOString(),
    label: period.label,
  };
}

/** Who the violation is by: the registered party, else the seller named on the item, else the platform. */
function violatorName(found: Case): string {
  return found.party?.name ?? found.item.seller ?? found.item.platform;
}

/** The quick report's fields from one case and its log (pure: the test recounts the same log). */
export function quickCaseData(
  found: Case,
  log: readonly CaseLogEntry[],
  report: Pick<ReviewReport, "requestedBy">,
  generatedAt: Date,
  screenshot: Uint8Array | null,
): QuickCaseReportData {
  const confirmed = log.filter((e) => e.event.type === "confirmed").at(-1);
  const violation =
    confirmed?.event.type === "confirmed"
      ? confirmed.event.violation
      : found.decision?.kind === "confirmed"
        ? found.decision.violation
        : found.proposal?.violation;
  const flags = log.flatMap((e) =>
    e.event.type === "opened" || e.event.type === "merged" ? [e.event.source] : [],
  );
  const units = new Set<string>();
  for (const e of log) {
    if (e.event.type !== "referred") continue;
    for (const code of [e.event.fromAgency, e.event.toAgency]) if (code !== found.agency) units.add(code);
  }
  const reasons = found.evaluation.reasons.map((r) => `${r.explanation} (${r.legalBasis})`);
  return {
    caseId: found.id,
    title: REPORT_TITLES_VI.case_quick,
    scopeLabel: `${agencyName(found.agency)} – ${provinceName(found.province)}`,
    generatedAt,
    generatedBy: report.requestedBy.name,
    detectedAt: found.openedAt,
    confirmedAt: confirmed?.at ?? null,
    place: {
      province: provinceName(found.province),
      platform: found.item.platform,
      url: found.item.url ?? "",
    },
    leadUnit: `${agencyName(found.agency)} ${provinceName(found.province)}`,
    coordinatingUnits: [...units].map(agencyName),
    violator: {
      name: violatorName(found),
      registered: found.party !== undefined,
      pledge: found.party?.pledge
        ? `${found.party.pledge.documentCode} (${quarterLabel(found.party.pledge.quarter)})`
        : null,
    },
    act: {
      confirmed: confirmed !== undefined || found.decision?.kind === "confirmed",
      type: violation ? VIOLATION_LABELS_VI[violation.type] : "Chưa kết luận",
      legalBasis:
        violation?.legalBasis ?? [...new Set(found.evaluation.reasons.map((r) => r.legalBasis))].join("; "),
      statement: violation?.statement ?? "",
      reasons,
    },
    goods: {
      title: found.item.title,
      price: found.item.price ?? null,
      category: found.item.category ?? null,
      seller: found.item.seller ?? null,
    },
    handling: log.map((e) => ({ at: e.at, by: e.by.name, text: eventTextVi(e.event, agencyName) })),
    counts: {
      flags: flags.length,
      tips: flags.filter((source) => source.kind === "tip").length,
      entries: log.length,
    },
    state: CASE_STATE_LABELS_VI[found.state],
    screenshot,
    signatureTitle: signatureTitle(found.agency),
  };
}

export type ReviewReportService = ReturnType<typeof createReviewReportService>;
