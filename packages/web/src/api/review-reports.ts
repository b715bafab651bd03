import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { REVIEW_REPORT_KINDS, ReviewReportSchema } from "@pledgewatch/core";
import type { AppEnv, WebDeps } from "../env";
import { attachment, REPORT_CONTENT_TYPES } from "../files";
import { principalOf, requires } from "../middleware";
import { protectedErrors, SECURITY, validationError } from "./common";

const Report = z.object(ReviewReportSchema.shape).openapi("ReviewReport");
const IdParam = z.object({ id: z.string().min(1).max(100) });
const notFound = { 404: { description: "No such report in the caller's scope, or its files are not ready" } };

/**
 * The request body as the service reads it (ReviewReportRequestSchema): a periodic report names its
 * period; a quick report names its case. Documented here as one object, validated by the service so that
 * the issues come with Vietnamese messages.
 */
const RequestBody = z
  .object({
    kind: z.enum(REVIEW_REPORT_KINDS),
    period: z.string().optional().openapi({
      description:
        'Periodic reports: "2026-Q4" (quarterly), "2026-11" (monthly), or the Thursday a campaign week starts ("2026-11-26")',
    }),
    caseId: z.string().optional().openapi({ description: "Quick case report: the case" }),
    agency: z.string().optional().openapi({ description: "Admins only: another office's agency" }),
    province: z.string().optional().openapi({ description: "Admins only: another office's province" }),
  })
  .openapi("ReviewReportRequest");

export function registerReviewReportsApi(app: OpenAPIHono<AppEnv>, deps: WebDeps) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/review/reports",
      tags: ["Review"],
      summary: "Review reports of the caller's agency and province (admins: every office), newest first",
      security: SECURITY,
      middleware: [requires("review.reports.read")] as const,
      responses: {
        200: {
          description: "Reports",
          content: { "application/json": { schema: z.object({ items: z.array(Report) }) } },
        },
        ...protectedErrors,
      },
    }),
    async (c) => c.json({ items: await deps.reviewReports.list(principalOf(c)) }, 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/v1/review/reports",
      tags: ["Review"],
      summary: "Generate a review report (PDF and XLSX) in the background",
      description:
        "Every number is recounted from the case logs of the office. A period that has not ended counts up to the request; a future one is refused.",
      security: SECURITY,
      middleware: [requires("review.reports.create")] as const,
      request: { body: { required: true, content: { "application/json": { schema: RequestBody } } } },
      responses: {
        202: { description: "Queued", content: { "application/json": { schema: Report } } },
        ...validationError,
        ...notFound,
        ...protectedErrors,
      },
    }),
    async (c) => c.json(await deps.reviewReports.request(principalOf(c), c.req.valid("json")), 202),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/review/reports/{id}",
      tags: ["Review"],
      summary: "One review report: its status and progress while it is generated",
      security: SECURITY,
      middleware: [requires("review.reports.read")] as const,
      request: { params: IdParam },
      responses: {
        200: { description: "The report", content: { "application/json": { schema: Report } } },
        ...notFound,
        ...protectedErrors,
      },
    }),
    async (c) => c.json(await deps.reviewReports.get(principalOf(c), c.req.valid("param").id), 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/review/reports/{id}/{file}",
      tags: ["Review"],
      summary: "A generated review report's PDF or XLSX",
      security: SECURITY,
      middleware: [requires("review.reports.read")] as const,
      request: { params: IdParam.extend({ file: z.enum(["pdf", "xlsx"]) }) },
      responses: {
        200: {
          description: "The file, as an attachment",
          content: {
            "application/pdf": { schema: z.string().openapi({ format: "binary" }) },
            [REPORT_CONTENT_TYPES.xlsx]: { schema: z.string().openapi({ format: "binary" }) },
          },
        },
        ...notFound,
        ...protectedErrors,
      },
    }),
    async (c) => {
      const { id, file } = c.req.valid("param");
      const { report, bytes } = await deps.reviewReports.file(principalOf(c), id, file);
      return attachment({
        body: bytes,
        contentType: REPORT_CONTENT_TYPES[file],
        fileName: `bao-cao-${report.kind}-${report.period ?? report.id}.${file}`,
      }) as never;
    },
  );
}
