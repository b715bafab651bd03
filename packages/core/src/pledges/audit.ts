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
  /** The first bad event (for missing_events: the first one missing). */
  seq: number;
  /**
   * hash_mismatch: the event is not what its hash says (an edit); prev_hash_mismatch, sequence_gap: the
   * links do not follow (reordered, removed in the middle); anchor_mismatch: the chain is consistent but
   * not the one checkpointed outside the table (rewritten); missing_events: a checkpoint exists past the
   * chain's end (events deleted at the end).
   */
  reason: "hash_mismatch" | "prev_hash_mismatch" | "sequence_gap" | "anchor_mismatch" | "missing_events";
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
  /** Events with no checkpoint outside the table (written before anchoring, or a write cut short). */
  unanchored: number;
  /** Every stream whose chain is broken, with its first broken link. */
  breaks: ChainBreak[];
}

/** The checkpoints verification compares a chain to (AuditAnchors in audit-anchors.ts). */
export interface AnchorReader {
  find(stream: string, seq: number): Promise<{ hash: string } | null>;
}

/** A chain intact in itself, held to its checkpoints: the first event anchored otherwise, or one missing. */
async function checkAnchors(
  stream: string,
  events: readonly AuditEvent[],
  anchors: AnchorReader,
): Promise<{ broken: ChainBreak | null; unanchored: number }> {
  let unanchored = 0;
  for (const event of events) {
    const anchor = await anchors.find(stream, event.seq);
    if (!anchor) unanchored++;
    else if (anchor.hash !== event.hash) {
      return { broken: { stream, seq: event.seq, reason: "anchor_mismatch" }, unanchored };
    }
  }
  const after = events.length + 1;
  if (await anchors.find(stream, after)) {
    return { broken: { stream, seq: after, reason: "missing_events" }, unanchored };
  }
  return { broken: null, unanchored };
}

/**
 * Reads every audit stream and checks its chain, and with `anchors` holds each chain to its checkpoints
 * outside the table: what the `audit:verify` command runs.
 */
export async function verifyAuditChains(
  repository: {
    auditStreams(cursor?: string): Promise<{ streams: string[]; next?: string | undefined }>;
    auditOf(stream: string): Promise<AuditEvent[]>;
  },
  anchors?: AnchorReader,
): Promise<AuditReport> {
  const report: AuditReport = { streams: 0, events: 0, unanchored: 0, breaks: [] };
  let cursor: string | undefined;
  do {
    const page = await repository.auditStreams(cursor);
    for (const stream of page.streams) {
      const events = await repository.auditOf(stream);
      report.streams++;
      report.events += events.length;
      let broken = verifyChain(stream, events);
      if (!broken && anchors) {
        const held = await checkAnchors(stream, events, anchors);
        broken = held.broken;
        report.unanchored += held.unanchored;
      }
      if (broken) report.breaks.push(broken);
    }
    cursor = page.next;
  } while (cursor);
  return report;
}
