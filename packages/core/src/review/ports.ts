import type { Artefact, Capture } from "../monitoring/model";
import type { ActorRef } from "../parties/model";
import type { AgencyCode } from "../reference/agencies";
import type { Case, CaseLogEntry, CaseState, TakedownRequest } from "./model";

export interface CaseQuery {
  agency: AgencyCode;
  province: string;
  state: CaseState;
  limit: number;
  platform?: string | undefined;
  /** Cases one of whose rules is this. */
  rule?: string | undefined;
  /** Opened at or after / before these instants (ISO). */
  openedFrom?: string | undefined;
  openedTo?: string | undefined;
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
  /** Replaces a takedown request alone (token, sending, re-capture job) if its version is still `expectedVersion`. */
  updateTakedown(next: TakedownRequest, expectedVersion: number): Promise<void>;
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

/** Where a takedown request goes for a case: the pledge's signer, else the registry party's contact. */
export interface TakedownContactLookup {
  find(target: Case): Promise<{ name: string; email: string } | null>;
}

/** Marks a party's pledge breached (the signing capability's audit chain records it). */
export interface PledgeBreacher {
  markBreached(documentCode: string, reason: string, by: ActorRef): Promise<void>;
}

/** The capture pipeline, for re-capturing a case's URL (removal check) without a staff session. */
export interface Recapture {
  /** A capture job of the URL, in the case's agency and province; its id. */
  request(input: { url: string; agency: AgencyCode; province: string; platform: string }): Promise<string>;
  /** Null while the job runs; otherwise whether the item is gone (404/410, or no longer on the page). */
  outcome(
    jobId: string,
    item: { id: string; title: string },
  ): Promise<{ removed: boolean; captureId?: string | undefined } | null>;
}

/** A case's evidence: the capture it came from and its stored artefacts (screenshot, HTML, manifest). */
export interface CaseEvidence {
  capture(captureId: string): Promise<Capture | null>;
  artefact(captureId: string, key: string): Promise<{ artefact: Artefact; body: Uint8Array } | null>;
}
