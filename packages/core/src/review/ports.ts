import type { AgencyCode } from "../reference/agencies";
import type { Case, CaseLogEntry, CaseState, TakedownRequest } from "./model";

export interface CaseQuery {
  agency: AgencyCode;
  province: string;
  state: CaseState;
  limit: number;
  /** Opaque, from a previous page. */
  cursor?: string | undefined;
}

export interface CasePage {
  cases: Case[];
  cursor?: string | undefined;
}

/** A takedown request written in the same transaction as its case (null expected: a new request). */
export interface TakedownWrite {
  next: TakedownRequest;
  expectedVersion: number | null;
}

export interface CaseRepository {
  /** Creates a case with its first log entry, all or nothing; ConflictError when the item has one. */
  create(next: Case, entries: CaseLogEntry[]): Promise<void>;
  get(id: string): Promise<Case | null>;
  /**
   * Replaces the case if its stored version is still `expectedVersion`, appending the entries (and
   * writing the takedown request) in the same transaction. ConflictError when someone wrote meanwhile:
   * the caller reads the case again to say who did what.
   */
  update(
    next: Case,
    expectedVersion: number,
    entries: CaseLogEntry[],
    takedown?: TakedownWrite,
  ): Promise<void>;
  /** One agency × province × state queue, highest priority first (no Scan). */
  queue(query: CaseQuery): Promise<CasePage>;
  /** The case log, oldest first. */
  log(caseId: string): Promise<CaseLogEntry[]>;
  /** A party's cases, newest first (the evidence view's "earlier cases"). */
  byParty(partyId: string, limit: number): Promise<Case[]>;
  getTakedown(id: string): Promise<TakedownRequest | null>;
  takedownByTokenHash(tokenHash: string): Promise<TakedownRequest | null>;
  /** Takedown requests whose `nextCheckAt` is at or before `at` (the hourly tick). */
  takedownsDue(at: string, limit: number): Promise<TakedownRequest[]>;
}

/** Finds the registered party behind an item (a watched target's party, or the seller by name). */
export interface CasePartyLookup {
  find(input: {
    partyId?: string | undefined;
    seller?: string | null | undefined;
    platform: string;
    province: string;
  }): Promise<{
    partyId: string;
    name: string;
    /** The current quarter's pledge when its status is valid. */
    pledge?: { documentCode: string; quarter: string } | undefined;
  } | null>;
}
