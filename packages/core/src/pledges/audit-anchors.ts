import { ConflictError } from "../errors";
import type { AuditEvent, AuditEventDraft } from "./model";
import type { DocumentStore, SigningRepository } from "./ports";

/**
 * Checkpoints of the audit chains outside the table: for every event, its stream, number and hash in a
 * write-once object of the documents store (S3 under Object Lock on AWS; a file created exclusively
 * locally). Whoever can rewrite the table cannot rewrite these, so `verifyAuditChains` sees a chain
 * recomputed from an edit (its hashes no longer match their checkpoints) and events deleted at the end
 * (the checkpoint after the last event exists).
 */
export const AUDIT_ANCHOR_PREFIX = "audit-anchors/";

export interface AuditAnchor {
  stream: string;
  seq: number;
  hash: string;
  at: string;
}

export interface AuditAnchors {
  /** Records the checkpoint of an event; recording the same one again is harmless, another is a conflict. */
  record(event: AuditEvent): Promise<void>;
  find(stream: string, seq: number): Promise<AuditAnchor | null>;
}

const keyOf = (stream: string, seq: number) =>
  `${AUDIT_ANCHOR_PREFIX}${encodeURIComponent(stream)}/${String(seq).padStart(10, "0")}.json`;

export function createDocumentAuditAnchors(store: DocumentStore): AuditAnchors {
  const anchors: AuditAnchors = {
    async record(event) {
      const anchor: AuditAnchor = { stream: event.stream, seq: event.seq, hash: event.hash, at: event.at };
      try {
        await store.put(
          keyOf(event.stream, event.seq),
          new TextEncoder().encode(JSON.stringify(anchor)),
          "application/json",
        );
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
        // Already recorded (a retried write, two writers on one stream): fine when it is the same event.
        const stored = await anchors.find(event.stream, event.seq);
        if (stored?.hash !== event.hash) {
          throw new ConflictError(`audit ${event.stream} #${event.seq} is anchored with another hash`);
        }
      }
    },
    async find(stream, seq) {
      const bytes = await store.get(keyOf(stream, seq));
      if (!bytes) return null;
      try {
        return JSON.parse(new TextDecoder().decode(bytes)) as AuditAnchor;
      } catch {
        // A damaged checkpoint vouches for nothing: its event reads as anchored otherwise (anchor_mismatch).
        return { stream, seq, hash: "unreadable checkpoint", at: "" };
      }
    },
  };
  return anchors;
}

/**
 * The signing repository with every audit event it appends anchored (AuditAnchors) once its write is
 * done. A process that dies in between leaves events without a checkpoint: verification counts them as
 * unanchored, which an operator reads as "not yet covered", never as intact beyond doubt.
 */
export function anchoredSigningRepository(
  repository: SigningRepository,
  anchors: AuditAnchors,
): SigningRepository {
  async function anchorLast(stream: string, drafts: readonly AuditEventDraft[]) {
    if (drafts.length === 0) return;
    const events = await repository.auditOf(stream);
    for (const event of events.slice(-drafts.length)) await anchors.record(event);
  }
  return {
    ...repository,
    async createInvitation(invitation, events) {
      await repository.createInvitation(invitation, events);
      await anchorLast(invitation.partyId, events);
    },
    async updateInvitation(before, after, events) {
      await repository.updateInvitation(before, after, events);
      await anchorLast(after.partyId, events);
    },
    async commitSigning(input) {
      await repository.commitSigning(input);
      await anchorLast(input.pledge.partyId, input.events);
    },
    async updatePledge(before, after, party, events) {
      await repository.updatePledge(before, after, party, events);
      await anchorLast(after.partyId, events);
    },
    async appendAudit(stream, events) {
      await repository.appendAudit(stream, events);
      await anchorLast(stream, events);
    },
  };
}
