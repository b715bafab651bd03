/**
 * The application's small error hierarchy. Adapters translate SDK errors into these; the HTTP layer maps
 * them to status codes in exactly one place (packages/web/src/errors.ts).
 */
export type ErrorCode =
  | "invalid"
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "too_many_requests"
  | "payload_too_large"
  | "unavailable";

export interface FieldIssue {
  /** Dotted path to the field, e.g. `contacts.0.email`; empty for the whole body. */
  field: string;
  /** In English when `code` is set (the catalogues word the code); else the schema's own words. */
  message: string;
  /** A generic validation failure (see ISSUE_CODES in input.ts); absent for a message of the schema's own. */
  code?: string;
  /** The bound a too_short/too_long/too_small/too_big issue broke. */
  limit?: number;
}

export abstract class AppError extends Error {
  abstract readonly code: ErrorCode;
}

export class InvalidError extends AppError {
  readonly code = "invalid";
  constructor(
    message: string,
    readonly issues: FieldIssue[] = [],
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "InvalidError";
  }
}

export class UnauthenticatedError extends AppError {
  readonly code = "unauthenticated";
  constructor(message = "Authentication required", options?: ErrorOptions) {
    super(message, options);
    this.name = "UnauthenticatedError";
  }
}

export class ForbiddenError extends AppError {
  readonly code = "forbidden";
  constructor(message = "Forbidden", options?: ErrorOptions) {
    super(message, options);
    this.name = "ForbiddenError";
  }
}

export class NotFoundError extends AppError {
  readonly code = "not_found";
  constructor(message = "Not found", options?: ErrorOptions) {
    super(message, options);
    this.name = "NotFoundError";
  }
}

export class ConflictError extends AppError {
  readonly code = "conflict";
  constructor(message = "Conflict", options?: ErrorOptions) {
    super(message, options);
    this.name = "ConflictError";
  }
}

export class TooManyRequestsError extends AppError {
  readonly code = "too_many_requests";
  constructor(
    message = "Too many requests",
    readonly retryAfterSeconds = 60,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "TooManyRequestsError";
  }
}

/**
 * A request body over what the path takes. Mapped to 413; its message (Vietnamese, for people and API
 * clients alike) says where a larger file goes instead.
 */
export class PayloadTooLargeError extends AppError {
  readonly code = "payload_too_large";
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "PayloadTooLargeError";
  }
}

/** A dependency (database, mail, …) did not answer. Mapped to 503, never with internals. */
export class UnavailableError extends AppError {
  readonly code = "unavailable";
  constructor(message = "Service unavailable", options?: ErrorOptions) {
    super(message, options);
    this.name = "UnavailableError";
  }
}
