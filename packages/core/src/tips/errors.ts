import { AppError } from "../errors";
import type { TipRefusalReason } from "./model";

/**
 * A tip refused before anything is written. `reason` picks the message of the web catalogues; 429 for
 * the rate limits (with Retry-After), 400 otherwise.
 */
export class TipRefusedError extends AppError {
  readonly code: "invalid" | "too_many_requests";
  constructor(
    readonly reason: TipRefusalReason,
    readonly retryAfterSeconds?: number,
  ) {
    super(`Tip refused: ${reason}`);
    this.name = "TipRefusedError";
    this.code = retryAfterSeconds === undefined ? "invalid" : "too_many_requests";
  }
}
