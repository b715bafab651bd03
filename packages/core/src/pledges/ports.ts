/** Ports of the signing capability. Adapters: packages/aws (S3, SES, Secrets Manager), packages/local. */

/** Where signed documents are kept: S3 on AWS, a folder locally. Write-once by key. */
export interface DocumentStore {
  put(key: string, body: Uint8Array, contentType: string): Promise<void>;
  /** null when absent. */
  get(key: string): Promise<Uint8Array | null>;
}

export interface EmailAttachment {
  filename: string;
  contentType: string;
  content: Uint8Array;
}

export interface OutgoingEmail {
  to: string;
  subject: string;
  /** Plain-text body (the only body: simple, safe, readable everywhere). */
  text: string;
  attachments?: EmailAttachment[] | undefined;
  /** What the message is, for the outbox and logs: "invitation", "otp", "signed_copy", … */
  kind: string;
  /** The party it concerns, for the outbox page. */
  partyId?: string | undefined;
}

/** Sends e-mail: SES on AWS; locally an outbox in DynamoDB shown in the console. */
export interface Mailer {
  send(message: OutgoingEmail): Promise<void>;
}

/** The issuing authority's sealing credentials: a PKCS#12 bundle and its passphrase. */
export interface SealCredentials {
  p12: Uint8Array;
  passphrase: string;
}

import type { PartyWrite } from "../parties/ports";
import type { AuditEvent, AuditEventDraft, Invitation, Pledge } from "./model";

export interface PublicPledgeQuery {
  quarter: string;
  /** Absent: every province. */
  province?: string | undefined;
  family?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

export interface PledgePage {
  items: Pledge[];
  next?: string | undefined;
}

/** Invitations, pledges and the audit chain, in DynamoDB. Every method that appends audit events chains them. */
export interface SigningRepository {
  getInvitation(id: string): Promise<Invitation | null>;
  findInvitationByTokenHash(tokenHash: string): Promise<Invitation | null>;
  /** The party's invitations, newest first. */
  invitationsOfParty(partyId: string): Promise<Invitation[]>;
  /**
   * Creates an invitation; ConflictError when the party already has an open (active or signing)
   * invitation for that quarter.
   */
  createInvitation(invitation: Invitation, events: AuditEventDraft[]): Promise<void>;
  /**
   * Replaces an invitation if its version is still `before.version` (ConflictError otherwise), moving its
   * token lookup when the token changed, and appends the events.
   */
  updateInvitation(before: Invitation, after: Invitation, events: AuditEventDraft[]): Promise<void>;
  /**
   * The signing, all or nothing: the pledge (ConflictError if the party already has one for the quarter),
   * the invitation marked signed, the party's pledge summary, the audit event.
   */
  commitSigning(input: {
    invitationBefore: Invitation;
    invitationAfter: Invitation;
    pledge: Pledge;
    party: PartyWrite;
    events: AuditEventDraft[];
  }): Promise<void>;
  /** Changes a pledge's stored status (revoked, breached) with its party summary and audit event. */
  updatePledge(
    before: Pledge,
    after: Pledge,
    party: PartyWrite | null,
    events: AuditEventDraft[],
  ): Promise<void>;
  getPledge(partyId: string, quarter: string): Promise<Pledge | null>;
  findPledgeByCode(documentCode: string): Promise<Pledge | null>;
  findPledgeByFileHash(sha256: string): Promise<Pledge | null>;
  /** The party's pledges, newest quarter first. */
  pledgesOfParty(partyId: string): Promise<Pledge[]>;
  publicPledges(query: PublicPledgeQuery): Promise<PledgePage>;
  appendAudit(stream: string, events: AuditEventDraft[]): Promise<void>;
  auditOf(stream: string): Promise<AuditEvent[]>;
  /** Every audit stream, page by page. */
  auditStreams(cursor?: string): Promise<{ streams: string[]; next?: string | undefined }>;
}

/** What the local outbox keeps of a sent e-mail. */
export interface OutboxMessage {
  id: string;
  at: string;
  to: string;
  subject: string;
  text: string;
  kind: string;
  partyId?: string | undefined;
  attachments: { filename: string; contentType: string; key: string; size: number }[];
}

export interface OutboxReader {
  list(limit: number): Promise<OutboxMessage[]>;
  get(id: string): Promise<OutboxMessage | null>;
}
