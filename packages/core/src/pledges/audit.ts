import { createHash } from "node:crypto";
import type { AuditEvent, AuditEventDraft } from "./model";

/** Hash of the first link's predecessor. */
export const GENESIS_HASH = "0".repeat(64);

/** The canonical form of an event: fixed key order, no hash, so anyone can recompute it. */
function canonical(event: Omit<AuditEvent, "hash">): string {
  return JSON.stringify([
    event.stream,
    event.seq,
    event.at,
    event.type,
    event.actor,
    event.invitationId ?? null,
    event.documentCode ?? null,
    event.quarter ?? null,
    event.ip ?? null,
    event.userAgent ?? null,
    event.detail ?? null,
    event.prevHash,
  ]);
}

export function auditHash(event: Omit<AuditEvent, "hash">): string {
  return createHash("sha256").update(canonical(event)).digest("hex");
}

/** The next link after `previous` (null for the first event of a stream). */
export function chainEvent(stream: string, previous: AuditEvent | null, draft: AuditEventDraft): AuditEvent {
  const base = {
    ...draft,
    stream,
    seq: previous ? previous.seq + 1 : 1,
    prevHash: previous ? previous.hash : GENESIS_HASH,
  };
  return { ...base, hash: auditHash(base) };
}

export interface ChainBreak {
  stream: string;
  seq: number;
  reason: "hash_mismatch" | "prev_hash_mismatch" | "sequence_gap";
}

/** Checks one stream's events (in seq order); the first broken link, or null when intact. */
export function verifyChain(stream: string, events: readonly AuditEvent[]): ChainBreak | null {
  let previous: AuditEvent | null = null;
  for (const event of events) {
    const expectedSeq = previous ? previous.seq + 1 : 1;
    if (event.seq !== expectedSeq) return { stream, seq: expectedSeq, reason: "sequence_gap" };
    if (event.prevHash !== (previous ? previous.hash : GENESIS_HASH)) {
      return { stream, seq: event.seq, reason: "prev_hash_mismatch" };
    }
    const { hash, ...rest } = event;
    if (auditHash(rest) !== hash || event.stream !== stream) {
      return { stream, seq: event.seq, reason: "hash_mismatch" };
    }
    previous = event;
  }
  return null;
}

export interface AuditReport {
  streams: number;
  events: number;
  /** Every stream whose chain is broken, with its first broken link. */
  breaks: ChainBreak[];
}

/** Reads every audit stream and checks its chain: what the `audit:verify` command and the console run. */
export async function verifyAuditChains(repository: {
  auditStreams(cursor?: string): Promise<{ streams: string[]; next?: string | undefined }>;
  auditOf(stream: string): Promise<AuditEvent[]>;
}): Promise<AuditReport> {
  const report: AuditReport = { streams: 0, events: 0, breaks: [] };
  let cursor: string | undefined;
  do {
    const page = await repository.auditStreams(cursor);
    for (const stream of page.streams) {
      const events = await repository.auditOf(stream);
      report.streams++;
      report.events += events.length;
      const broken = verifyChain(stream, events);
      if (broken) report.breaks.push(broken);
    }
    cursor = page.next;
  } while (cursor);
  return report;
}
