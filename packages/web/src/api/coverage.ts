import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import {
  AGENCY_CODES,
  CoverageCellSchema,
  CoverageReportSchema,
  InvalidError,
  NotFoundError,
  PLEDGE_FAMILIES,
  QuarterIdSchema,
  RenewalSettingsSchema,
} from "@pledgewatch/core";
import type { AppEnv, WebDeps } from "../env";
import { principalOf, requires } from "../middleware";
import { LangQuery, protectedErrors, SECURITY, validationError } from "./common";

const Row = z.object({ obligated: z.number().int(), signed: z.number().int(), percent: z.number() });
const CoverageResponse = z
  .object({
    quarter: z.string().openapi({ example: "2026-Q1" }),
    quarterLabel: z.string().openapi({ example: "Quý I/2026" }),
    current: z.boolean(),
    frozen: z.boolean(),
    total: Row,
    cells: z.array(z.object(CoverageCellSchema.shape)),
    byAgency: z.array(Row.extend({ agency: z.enum(AGENCY_CODES) })),
    byFamily: z.array(Row.extend({ agency: z.enum(AGENCY_CODES), family: z.enum(PLEDGE_FAMILIES) })),
    byProvince: z.array(Row.extend({ province: z.string() })),
    trend: z.array(Row.extend({ quarter: z.string(), label: z.string() })),
  })
  .openapi("Coverage");
const ReportResponse = z.object(CoverageReportSchema.shape).openapi("CoverageReport");
const SettingsBody = z.strictObject(RenewalSettingsSchema.shape).openapi("RenewalSettings");
const SettingsResponse = SettingsBody.extend({
  province: z.string(),
  updatedAt: z.string().optional(),
}).openapi("ProvinceRenewalSettings");
const ClockResponse = z.object({ now: z.string(), offsetMs: z.number() }).openapi("Clock");
const notFound = { 404: { description: "Not found (or not offered on this deployment)" } } as const;

export function registerCoverageApi(app: OpenAPIHono<AppEnv>, deps: WebDeps) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/coverage",
      tags: ["Coverage"],
      summary: "Coverage of a quarter from the counters (never the registry), with the trend of 4 quarters",
      security: SECURITY,
      middleware: [requires("coverage.read")] as const,
      request: {
        query: z.strictObject({
          quarter: QuarterIdSchema.optional(),
          agency: z.enum(AGENCY_CODES).optional(),
          province: z.string().max(2).optional(),
          ...LangQuery,
        }),
      },
      responses: {
        200: { description: "Coverage", content: { "application/json": { schema: CoverageResponse } } },
        ...validationError,
        ...protectedErrors,
      },
    }),
    async (c) => {
      const actor = principalOf(c);
      const { quarter, agency, province } = c.req.valid("query");
      const { view, trend } = await deps.coverage.dashboard(actor, quarter, { agency, province });
      const { scope: _scope, ...rest } = view;
      return c.json({ ...rest, trend }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/coverage/reports",
      tags: ["Coverage"],
      summary: "Coverage reports within the caller's scope, newest first, with who generated them",
      security: SECURITY,
      middleware: [requires("coverage.read")] as const,
      responses: {
        200: {
          description: "Reports",
          content: { "application/json": { schema: z.object({ items: z.array(ReportResponse) }) } },
        },
        ...protectedErrors,
      },
    }),
    async (c) => c.json({ items: await deps.coverage.listReports(principalOf(c)) }, 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/v1/coverage/reports",
      tags: ["Coverage"],
      summary: "Generate a quarter's report (PDF and XLSX) in the background",
      security: SECURITY,
      middleware: [requires("coverage.report")] as const,
      request: {
        body: {
          required: true,
          content: { "application/json": { schema: z.strictObject({ quarter: QuarterIdSchema }) } },
        },
      },
      responses: {
        202: { description: "Queued", content: { "application/json": { schema: ReportResponse } } },
        ...validationError,
        ...protectedErrors,
      },
    }),
    async (c) => c.json(await deps.coverage.requestReport(principalOf(c), c.req.valid("json")), 202),
  );

  const provinceParam = z.object({ province: z.string().regex(/^\d{2}$/) });
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/renewal/settings/{province}",
      tags: ["Coverage"],
      summary: "A province's renewal cycle: due day, reminder offsets, grace",
      security: SECURITY,
      middleware: [requires("coverage.read")] as const,
      request: { params: provinceParam },
      responses: {
        200: { description: "Settings", content: { "application/json": { schema: SettingsResponse } } },
        ...protectedErrors,
      },
    }),
    async (c) => {
      const settings = await deps.renewal.getSettings(principalOf(c), c.req.valid("param").province);
      return c.json(settings, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/api/v1/renewal/settings/{province}",
      tags: ["Coverage"],
      summary: "Change a province's renewal cycle (leads of the province, admins)",
      security: SECURITY,
      middleware: [requires("renewal.settings")] as const,
      request: {
        params: provinceParam,
        body: { required: true, content: { "application/json": { schema: SettingsBody } } },
      },
      responses: {
        200: { description: "Saved", content: { "application/json": { schema: SettingsResponse } } },
        ...validationError,
        ...protectedErrors,
      },
    }),
    async (c) => {
      const saved = await deps.renewal.updateSettings(
        principalOf(c),
        c.req.valid("param").province,
        c.req.valid("json"),
      );
      return c.json(saved, 200);
    },
  );

  const travel = () => {
    if (!deps.timeTravel) throw new NotFoundError("No time travel on this deployment");
    return deps.timeTravel;
  };
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/clock",
      tags: ["Coverage"],
      summary: "The platform's clock (local runs and tests only; 404 on AWS)",
      security: SECURITY,
      middleware: [requires("clock.travel")] as const,
      responses: {
        200: { description: "Clock", content: { "application/json": { schema: ClockResponse } } },
        ...protectedErrors,
        ...notFound,
      },
    }),
    async (c) => {
      const clock = travel();
      return c.json({ now: clock.now().toISOString(), offsetMs: clock.offsetMs() }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/api/v1/clock",
      tags: ["Coverage"],
      summary: "Move the clock to an instant, or back to real time (local runs and tests only; 404 on AWS)",
      security: SECURITY,
      middleware: [requires("clock.travel")] as const,
      request: {
        body: {
          required: true,
          content: {
            "application/json": {
              schema: z.strictObject({
                at: z.iso.datetime({ offset: true }).optional(),
                reset: z.literal(true).optional(),
              }),
            },
          },
        },
      },
      responses: {
        200: { description: "Moved", content: { "application/json": { schema: ClockResponse } } },
        ...validationError,
        ...protectedErrors,
        ...notFound,
      },
    }),
    async (c) => {
      const clock = travel();
      const body = c.req.valid("json");
      if (body.reset) clock.reset();
      else if (body.at) clock.travelTo(new Date(body.at));
      else throw new InvalidError("Nothing to do", [{ field: "at", message: "Cần thời điểm hoặc reset" }]);
      await deps.renewal.requestTick();
      return c.json({ now: clock.now().toISOString(), offsetMs: clock.offsetMs() }, 200);
    },
  );
}
