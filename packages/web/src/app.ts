import { OpenAPIHono } from "@hono/zod-openapi";
import { InvalidError } from "@pledgewatch/core";
import { csrf } from "hono/csrf";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import { registerCasesApi } from "./api/cases";
import { registerCoverageApi } from "./api/coverage";
import { registerDataRequestsApi } from "./api/data-requests";
import { registerImportsApi } from "./api/imports";
import { registerMeApi } from "./api/me";
import { registerMonitoringApi } from "./api/monitoring";
import { registerPartiesApi } from "./api/parties";
import { registerPledgesApi } from "./api/pledges";
import { registerReferenceApi } from "./api/reference";
import { registerReviewMetricsApi } from "./api/review-metrics";
import { registerReviewReportsApi } from "./api/review-reports";
import { registerRulesApi } from "./api/rules";
import { registerStaffApi } from "./api/staff";
import { registerTipsApi } from "./api/tips";
import type { AppEnv, WebDeps } from "./env";
import { createErrorHandler, isApiRequest, issuesFromZod } from "./errors";
import { redactedPath } from "./log-redaction";
import { identify, language } from "./middleware";
import { ErrorPage } from "./pages/error-page";
import { registerAuth } from "./routes/auth";
import { registerCasesConsole } from "./routes/cases";
import { registerConsole } from "./routes/console";
import { registerCoverageConsole } from "./routes/coverage";
import { registerDataRequestsConsole } from "./routes/data-requests";
import { registerDocs } from "./routes/docs";
import { registerHealth } from "./routes/health";
import { registerMonitoringConsole } from "./routes/monitoring";
import { registerPartyConsole } from "./routes/parties";
import { registerPledgeConsole } from "./routes/pledges";
import { registerPublicPages } from "./routes/public";
import { accountLimit, addressLimit, DEFAULT_CLIENT_LIMITS } from "./routes/rate-limit";
import { registerReviewMetricsConsole } from "./routes/review-metrics";
import { registerReviewReportsConsole } from "./routes/review-reports";
import { registerRulesConsole } from "./routes/rules";
import { registerSigning } from "./routes/signing";
import { registerStatic } from "./routes/static";
import { registerTakedownPages } from "./routes/takedown";
import { registerTipPages } from "./routes/tips";
import { CSP, largeDownloadsThroughLinks } from "./uploads";

/** The whole HTTP surface: console pages, sign-in, JSON API and its docs. Same app on Lambda and locally. */
export function createApp(deps: WebDeps) {
  const app = new OpenAPIHono<AppEnv>({
    // Validation failures of every OpenAPI route become one kind of error, mapped in createErrorHandler.
    defaultHook: (result) => {
      if (!result.success) {
        const input = (result as { data?: unknown }).data;
        throw new InvalidError("Invalid request", issuesFromZod(result.error, input));
      }
    },
  });

  app.use(
    requestId({
      // A caller's X-Request-Id is kept when short and plain (hono checks the characters); otherwise
      // API Gateway's request id on AWS, or a fresh UUID.
      generator: (c) =>
        (c.env as { requestContext?: { requestId?: string } } | undefined)?.requestContext?.requestId ??
        crypto.randomUUID(),
      limitLength: 64,
    }),
  );
  app.use(async (c, next) => {
    const started = performance.now();
    await next();
    deps.logger.info("request", {
      requestId: c.get("requestId"),
      method: c.req.method,
      path: redactedPath(c.req.path),
      status: c.res.status,
      durationMs: Math.round(performance.now() - started),
      staffId: c.get("principal")?.staffId,
    });
  });
  app.use(secureHeaders({ strictTransportSecurity: deps.secureCookies ? "max-age=31536000" : false }));
  // Outside the CSP's middleware, so that it sees each page's final policy.
  if (deps.downloads) app.use(largeDownloadsThroughLinks(deps.downloads));
  app.use(async (c, next) => {
    await next();
    if (!c.res.headers.has("Content-Security-Policy")) c.res.headers.set("Content-Security-Policy", CSP);
  });
  app.use(async (c, next) => {
    c.set("outbox", Boolean(deps.outbox));
    c.set("timeTravel", Boolean(deps.timeTravel));
    await next();
  });
  app.use(language());
  // Origin check for every form post (console forms); JSON API calls need a JSON content type,
  // which a cross-site form cannot send without CORS pre-flight. A call with a bearer token and no cookie
  // is not a browser's ambient credential (a cross-site page cannot set Authorization), so an API client's
  // multipart upload needs no Origin; with a cookie, the check stays.
  const originCheck = csrf();
  app.use((c, next) =>
    /^bearer\s/i.test(c.req.header("authorization") ?? "") && !c.req.header("cookie")
      ? next()
      : originCheck(c, next),
  );
  const limits = deps.clientLimits ?? DEFAULT_CLIENT_LIMITS;
  app.use(addressLimit(deps, limits));
  app.use(identify(deps));
  app.use(accountLimit(deps, limits));

  registerHealth(app, deps);
  registerStatic(app);
  registerAuth(app, deps);
  registerConsole(app, deps);
  registerPartyConsole(app, deps);
  registerPledgeConsole(app, deps);
  registerRulesConsole(app, deps);
  registerCoverageConsole(app, deps);
  registerMonitoringConsole(app, deps);
  registerReviewMetricsConsole(app, deps);
  registerReviewReportsConsole(app, deps);
  registerDataRequestsConsole(app, deps);
  registerCasesConsole(app, deps);
  registerSigning(app, deps);
  registerTakedownPages(app, deps);
  registerPublicPages(app, deps);
  registerTipPages(app, deps);
  registerMeApi(app);
  registerReferenceApi(app);
  // File and import routes first: "/api/v1/parties/export" must not be taken for a party id.
  registerImportsApi(app, deps);
  registerPartiesApi(app, deps);
  registerPledgesApi(app, deps);
  registerCoverageApi(app, deps);
  registerStaffApi(app, deps);
  registerRulesApi(app, deps);
  registerMonitoringApi(app, deps);
  // "/api/v1/tips/form-token" before "/api/v1/tips/{code}".
  registerTipsApi(app, deps);
  registerReviewMetricsApi(app, deps);
  registerReviewReportsApi(app, deps);
  registerDataRequestsApi(app, deps);
  registerCasesApi(app, deps);
  registerDocs(app, deps);

  app.notFound((c) => {
    if (isApiRequest(c)) {
      return c.json(
        { error: { code: "not_found", message: "No such route", requestId: c.get("requestId") } },
        404,
      );
    }
    return c.html(ErrorPage({ c, status: 404 }), 404);
  });
  app.onError(createErrorHandler(deps.logger));
  return app;
}

export type App = ReturnType<typeof createApp>;
