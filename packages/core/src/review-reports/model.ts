import { z } from "zod";
import { ReportStatusSchema } from "../coverage/report-model";
import { ActorRefSchema } from "../parties/model";
import { AgencyCodeSchema } from "../reference/agencies";
import { ProvinceCodeSchema } from "../reference/provinces";
import { type DismissReason, VIOLATION_TYPES, type ViolationType } from "../review/model";

/**
 * The review reports the plans ask for (issue 8; DOMAIN.md, "Reporting calendar"): three periodic
 * reports of one agency × province, and a quick report on one case. Every number in them is a recount
 * of case log entries (./counts.ts); the case records only add descriptions (the item's title, URL,
 * seller), never a number.
 */
export const REVIEW_REPORT_KINDS = [
  /** Báo cáo đánh giá rà soát quảng cáo sai sự thật, gây nhầm lẫn: every quarter (Sở VHTT consolidates). */
  "advertising_quarterly",
  /** Báo cáo rà soát công bố thông tin sai sự thật về quy chuẩn, tiêu chuẩn, chất lượng: every month. */
  "quality_monthly",
  /** Báo cáo kết quả kiểm tra, xử lý trong đợt cao điểm: every Thursday before 16:00. */
  "campaign_weekly",
  /** Báo cáo nhanh vụ việc: within 24 hours of a serious case. */
  "case_quick",
] as const;
export const ReviewReportKindSchema = z.enum(REVIEW_REPORT_KINDS);
export type ReviewReportKind = z.infer<typeof ReviewReportKindSchema>;
export type PeriodicReportKind = Exclude<ReviewReportKind, "case_quick">;

/**
 * The violation types each periodic report is about: its "found" section lists and totals these; the
 * table by type still shows every type, so nothing confirmed in the period is hidden. Health claims are
 * advertising claims (functional foods, drugs, cosmetics), so the advertising review counts them.
 */
export const REPORT_FOCUS: Readonly<Record<PeriodicReportKind, readonly ViolationType[]>> = {
  advertising_quarterly: ["false_advertising", "health_claim"],
  quality_monthly: ["false_quality_claim"],
  campaign_weekly: VIOLATION_TYPES,
};

export const ReviewReportSchema = z.object({
  id: z.string(),
  kind: ReviewReportKindSchema,
  agency: AgencyCodeSchema,
  province: ProvinceCodeSchema,
  /** The period's id: "2026-Q4", "2026-11", or the Thursday a campaign week starts ("2026-11-26"). */
  period: z.string().optional(),
  /** The quick report's case. */
  caseId: z.string().optional(),
  /** What the report counts: `from` inclusive, `to` exclusive (ISO). An ongoing period ends at the request. */
  from: z.string(),
  to: z.string(),
  label: z.string(),
  status: ReportStatusSchema,
  progress: z.number().int().min(0).max(100),
  step: z.string().optional(),
  requestedAt: z.string(),
  requestedBy: ActorRefSchema,
  /** Made by the hourly tick after its period ended (for every office with case activity in it). */
  automatic: z.boolean().optional(),
  finishedAt: z.string().optional(),
  pdfKey: z.string().optional(),
  xlsxKey: z.string().optional(),
  pdfSha256: z.string().optional(),
  error: z.string().optional(),
});
export type ReviewReport = z.infer<typeof ReviewReportSchema>;

/** Where a case came from, as the reports group the cases opened. */
export const OPENING_SOURCES = ["capture", "tip", "evaluation", "seed"] as const;
export type OpeningSource = (typeof OPENING_SOURCES)[number];

/** The numbers of a periodic report: each one a count of case log entries (./counts.ts says which). */
export interface ReviewReportCounts {
  /** Cases opened in the period, and by where the first flag came from. */
  opened: number;
  openedBy: Record<OpeningSource, number>;
  /** Flags and tips received in the period: openings and merges into an existing case. */
  flags: number;
  tips: number;
  /** Cases referred to this agency in the period, and referred away from it. */
  referredIn: number;
  referredOut: number;
  /** Distinct cases a person worked on in the period (claimed, assigned, decided, escalated, referred). */
  reviewed: number;
  /** Cases whose last decision in the period is a confirmation, by violation type. */
  confirmed: number;
  confirmedBy: Record<ViolationType, number>;
  /** Of those, the report's focus types (REPORT_FOCUS). */
  focusConfirmed: number;
  /** Cases whose last decision in the period is a dismissal, by reason. */
  dismissed: number;
  dismissedBy: Record<DismissReason, number>;
  escalated: number;
  voided: number;
  pledgesBreached: number;
  /** Cases opened in the period and still undecided at its end. */
  undecidedAtEnd: number;
  /** Takedown requests made in the period, and how each stood at its end. */
  takedowns: {
    requested: number;
    removedInTime: number;
    removedLate: number;
    disputed: number;
    overdue: number;
    pendingAtEnd: number;
  };
}

/** One confirmed violation of the focus types, as the "found" list shows it. */
export interface ReportedViolation {
  caseId: string;
  confirmedAt: string;
  type: ViolationType;
  legalBasis: string;
  statement: string;
  /** What was done, as of the period's end (from the log): takedown requested, removed, … */
  handling: string;
}

/** What a periodic report's PDF and XLSX show: computed once, drawn and written alike. */
export interface PeriodicReviewReportData {
  kind: PeriodicReportKind;
  title: string;
  periodLabel: string;
  scopeLabel: string;
  /** The period had not ended when the report was made: it counts up to `to`. */
  ongoing: boolean;
  from: string;
  to: string;
  generatedAt: Date;
  generatedBy: string;
  /** The violation types the report is about (REPORT_FOCUS of its kind). */
  focus: readonly ViolationType[];
  counts: ReviewReportCounts;
  violations: (ReportedViolation & {
    typeLabel: string;
    platform: string;
    url: string;
    title: string;
    violator: string;
  })[];
  signatureTitle: string;
}

/** The quick case report's fields (Ninh Bình KH, mục VI.3): every one the plans list. */
export interface QuickCaseReportData {
  caseId: string;
  title: string;
  scopeLabel: string;
  generatedAt: Date;
  generatedBy: string;
  /** Thời gian: when the item was first flagged, and when the violation was confirmed. */
  detectedAt: string;
  confirmedAt: string | null;
  /** Địa điểm. */
  place: { province: string; platform: string; url: string };
  /** Đơn vị chủ trì, đơn vị phối hợp (the agencies the case was referred between). */
  leadUnit: string;
  coordinatingUnits: string[];
  /** Đối tượng vi phạm. */
  violator: { name: string; registered: boolean; pledge: string | null };
  /** Hành vi vi phạm: the confirmed violation, else the flag's reasons (not yet decided). */
  act: { confirmed: boolean; type: string; legalBasis: string; statement: string; reasons: string[] };
  /** Tang vật, hàng hóa. */
  goods: { title: string; price: number | null; category: string | null; seller: string | null };
  /** Kết quả xử lý ban đầu: the log's actions, oldest first. */
  handling: { at: string; by: string; text: string }[];
  /** Counts from the log. */
  counts: { flags: number; tips: number; entries: number };
  state: string;
  /** Tư liệu hình ảnh: the capture's screenshot (PNG), if the case has one. */
  screenshot: Uint8Array | null;
  signatureTitle: string;
}

export type PeriodicReportPdfRenderer = (data: PeriodicReviewReportData) => Promise<Uint8Array>;
export type PeriodicReportXlsxWriter = (data: PeriodicReviewReportData) => Promise<Uint8Array>;
export type QuickReportPdfRenderer = (data: QuickCaseReportData) => Promise<Uint8Array>;
export type QuickReportXlsxWriter = (data: QuickCaseReportData) => Promise<Uint8Array>;
