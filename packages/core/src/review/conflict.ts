import { ConflictError } from "../errors";
import type { ActorRef } from "../parties/model";
import type { CaseEventType, CaseLogEntry, CaseState } from "./model";

/** What a 409 on a case says: the case as it is now, and the last thing someone did to it. */
export interface CaseConflictDetails {
  caseId: string;
  state: CaseState;
  version: number;
  /** Who did the last change, what it was and when. */
  by: ActorRef;
  action: CaseEventType;
  at: string;
  /** Set when the case is claimed by someone else. */
  leaseUntil?: string | undefined;
}

/**
 * Someone else decided (or claimed) the case first. The API sends `details` as JSON; the console turns
 * them into a Vietnamese sentence from the catalogue.
 */
export class CaseConflictError extends ConflictError {
  constructor(
    message: string,
    readonly details: CaseConflictDetails,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "CaseConflictError";
  }
}

export function conflictFrom(
  last: CaseLogEntry,
  state: CaseState,
  version: number,
  leaseUntil?: string,
  cause?: unknown,
): CaseConflictError {
  return new CaseConflictError(
    `Case ${last.caseId} was changed by ${last.by.name} (${last.event.type}, ${last.at}); it is now ${state}`,
    {
      caseId: last.caseId,
      state,
      version,
      by: last.by,
      action: last.event.type,
      at: last.at,
      ...(leaseUntil ? { leaseUntil } : {}),
    },
    cause === undefined ? undefined : { cause },
  );
}
