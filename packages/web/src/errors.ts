import {
  AppError,
  CaseConflictError,
  fieldIssues,
  InvalidError,
  TooManyRequestsError,
} from "@pledgewatch/core";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv, Logger } from "./env";
import { ErrorPage } from "./pages/error-page";

const STATUS: Record<AppError["code"], ContentfulStatusCode> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_many_requests: 429,
  payload_too_large: 413,
  unavailable: 503,
};

/** zod issues → field-level issues with codes the catalogues word (core's fieldIssues). */
export const issuesFromZod = fieldIssues;

export function isApiRequest(c: Context): boolean {
  return c.req.path.startsWith("/api/");
}

/** The one place where errors become HTTP responses. A 500 carries a request id and nothing else. */
export function createErrorHandler(logger: Logger) {
  return (err: Error, c: Context<AppEnv>): Response | Promise<Response> => {
    const requestId = c.get("requestId") ?? "";
    let error: Error = err;
    if (err instanceof HTTPException && err.status === 400) {
      // Hono's body parsers throw this for a body that is not valid JSON or form data.
      error = new InvalidError("Malformed request body", [{ field: "body", message: err.message }]);
    }
    if (error instanceof AppError) {
      const status = STATUS[error.code];
      if (status >= 500) logger.error("dependency unavailable", { requestId, error: describe(error) });
      if (error.code === "unauthenticated" && !isApiRequest(c)) {
        const next = c.req.method === "GET" ? `?next=${encodeURIComponent(c.req.path)}` : "";
        return c.redirect(`/sign-in${next}`, 303);
      }
      if (error instanceof TooManyRequestsError) c.header("Retry-After", String(error.retryAfterSeconds));
      if (isApiRequest(c)) {
        return c.json(
          {
            error: {
              code: error.code,
              message: publicMessage(error),
              ...(error instanceof InvalidError ? { issues: error.issues } : {}),
              // Who decided what, when a case decision lost the race (issue 8).
              ...(error instanceof CaseConflictError ? { details: error.details } : {}),
              requestId,
            },
          },
          status,
        );
      }
      return c.html(ErrorPage({ c, status, error }), status);
    }
    if (err instanceof HTTPException) {
      // Framework refusals (e.g. 415 for a body that is not JSON) keep their status and get our shape.
      if (!isApiRequest(c)) return err.getResponse();
      const code = err.status === 415 ? "unsupported_media_type" : `http_${err.status}`;
      const message = err.status === 415 ? "Content-Type must be application/json" : err.message;
      return c.json({ error: { code, message, requestId } }, err.status);
    }
    logger.error("unhandled error", { requestId, error: describe(err) });
    if (isApiRequest(c)) {
      return c.json({ error: { code: "internal", message: "Internal server error", requestId } }, 500);
    }
    return c.html(ErrorPage({ c, status: 500 }), 500);
  };
}

/** Messages of forbidden/conflict errors may name internal detail; callers get a fixed phrase. */
function publicMessage(error: AppError): string {
  switch (error.code) {
    case "forbidden":
      return "You may not do this";
    case "unavailable":
      return "Service temporarily unavailable";
    default:
      return error.message;
  }
}

function describe(error: Error): Record<string, unknown> {
  return {
    name: error.name,
    message: error.message,
    stack: error.stack,
    cause:
      error.cause instanceof Error ? { name: error.cause.name, message: error.cause.message } : error.cause,
  };
}
