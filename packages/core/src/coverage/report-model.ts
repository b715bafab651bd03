import { z } from "zod";
import { ActorRefSchema } from "../parties/model";
import { AgencyCodeSchema } from "../reference/agencies";

export const ReportStatusSchema = z.enum(["queued", "running", "done", "failed"]);

/** A quarterly coverage report: a PDF and an XLSX, generated in the background and kept write-once. */
export const CoverageReportSchema = z.object({
  id: z.string(),
  quarter: z.string(),
  /** Absent: every agency (an admin's or the automatic report). */
  agency: AgencyCodeSchema.optional(),
  /** Absent: every province. */
  province: z.string().optional(),
  status: ReportStatusSchema,
  /** 0–100, while running. */
  progress: z.number().int().min(0).max(100),
  step: z.string().optional(),
  requestedAt: z.string(),
  requestedBy: ActorRefSchema,
  automatic: z.boolean(),
  finishedAt: z.string().optional(),
  pdfKey: z.string().optional(),
  xlsxKey: z.string().optional(),
  pdfSha256: z.string().optional(),
  error: z.string().optional(),
});
export type CoverageReport = z.infer<typeof CoverageReportSchema>;

/** What the report documents show: computed once, drawn into the PDF and written to the XLSX alike. */
export interface CoverageReportData {
  quarter: string;
  quarterLabel: string;
  scopeLabel: string;
  generatedAt: Date;
  generatedBy: string;
  dueDate: string;
  total: { obligated: number; signed: number; percent: number };
  byAgency: { label: string; obligated: number; signed: number; percent: number }[];
  byFamily: { label: string; obligated: number; signed: number; percent: number }[];
  byProvince: { label: string; obligated: number; signed: number; percent: number }[];
  trend: { label: string; percent: number; obligated: number; signed: number }[];
  overdue: { name: string; group: string; province: string; dueDate: string; daysOverdue: number }[];
  breached: { documentCode: string; name: string; reason: string; at: string }[];
  signatureTitle: string;
}

/** Renders the report's PDF (packages/documents) and XLSX (packages/sheets). */
export type ReportPdfRenderer = (data: CoverageReportData) => Promise<Uint8Array>;
export type ReportXlsxWriter = (data: CoverageReportData) => Promise<Uint8Array>;
