import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from "@aws-sdk/lib-dynamodb";
import {
  type AuditEvent,
  type AuditEventDraft,
  AuditEventSchema,
  chainEvent,
  foldVietnamese,
  type Invitation,
  InvitationSchema,
  type Pledge,
  PledgeSchema,
  type SigningRepository,
} from "@pledgewatch/core";
import { counterItems } from "./coverage-counters";
import { translateDynamoError, withDynamoErrors } from "./errors";
import { decodeCursor, encodeCursor, partyWriteItems } from "./party-repository";

type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

/**
 * Signing records in the single table:
 *   invitation        pk INVITE#<id>                  sk INVITE      gsi1 PARTYINVITES#<party> / <createdAt>#<id>
 *   token lookup      pk INVITETOKEN#<sha256(token)>  sk TOKEN       → invitationId
 *   open-invitation   pk INVITEOPEN#<party>#<quarter> sk OPEN        one open invitation per party and quarter
 *   pledge            pk PLEDGE#<party>               sk Q#<quarter> gsi1 PUBPLEDGES#<quarter>#ALL / <family>#<name>#<party>
 *                                                                   gsi2 PLEDGECODE#<code> / PLEDGE
 *   pledge by province pk PLEDGE#<party>              sk Q#<quarter>#PROV#<p>  gsi1 PUBPLEDGES#<quarter>#<p>
 *   file hash         pk PLEDGEFILE#<sha256>          sk FILE        → party, quarter
 *   audit event       pk AUDIT#<stream>               sk <seq, 10 digits>  (first event: gsi1 AUDITSTREAMS / <stream>)
 */
const invitePk = (id: string) => `INVITE#${id}`;
const tokenKey = (hash: string) => ({ pk: `INVITETOKEN#${hash}`, sk: "TOKEN" });
const openKey = (partyId: string, quarter: string) => ({
  pk: `INVITEOPEN#${partyId}#${quarter}`,
  sk: "OPEN",
});
const pledgeKey = (partyId: string, quarter: string) => ({ pk: `PLEDGE#${partyId}`, sk: `Q#${quarter}` });
const seqKey = (seq: number) => String(seq).padStart(10, "0");
const MAX_AUDIT_RETRIES = 6;
/** Chain heads this process wrote last, per stream (most recent streams only). */
const HEAD_CACHE_SIZE = 2_000;

/** The table the signing repository writes: items by key, the audit streams' heads, and the transaction shapes every write shares. */
function signingTable(db: DynamoDBDocumentClient, tableName: string) {
  async function getItem(key: { pk: string; sk: string }, what: string) {
    const out = await withDynamoErrors(what, () =>
      db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true })),
    );
    return out.Item;
  }

  /**
   * The last event this process appended to each recent stream. A write that follows another on the same
   * stream (an invitation created, then its e-mail recorded as sent) starts from it instead of reading
   * the head again; if another writer appended meanwhile, the append's condition fails and the head is
   * read from the table, as for any race.
   */
  const heads = new Map<string, AuditEvent>();
  function rememberHead(stream: string, event: AuditEvent) {
    heads.delete(stream);
    heads.set(stream, event);
    if (heads.size > HEAD_CACHE_SIZE) heads.delete(heads.keys().next().value as string);
  }

  async function lastEvent(stream: string): Promise<AuditEvent | null> {
    const out = await withDynamoErrors("audit head", () =>
      db.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: "pk = :pk",
          ExpressionAttributeValues: { ":pk": `AUDIT#${stream}` },
          ScanIndexForward: false,
          Limit: 1,
          ConsistentRead: true,
        }),
      ),
    );
    const item = out.Items?.[0];
    return item ? AuditEventSchema.parse(item.data) : null;
  }

  function auditItems(
    stream: string,
    head: AuditEvent | null,
    drafts: AuditEventDraft[],
  ): { items: TransactItem[]; last: AuditEvent | null } {
    const items: TransactItem[] = [];
    let previous = head;
    for (const draft of drafts) {
      const event = chainEvent(stream, previous, draft);
      items.push({
        Put: {
          TableName: tableName,
          Item: {
            pk: `AUDIT#${stream}`,
            sk: seqKey(event.seq),
            ...(event.seq === 1 ? { gsi1pk: "AUDITSTREAMS", gsi1sk: stream } : {}),
            data: event,
          },
          // Appended, never overwritten: two writers racing for the same link cannot both succeed.
          ConditionExpression: "attribute_not_exists(pk)",
        },
      });
      previous = event;
    }
    return { items, last: previous };
  }

  /**
   * Runs a transaction whose last items append audit events to `stream`. When only an audit link was
   * taken by a concurrent writer, re-reads the chain head and tries again; any other failed condition is
   * a real conflict.
   */
  async function transactWithAudit(
    what: string,
    build: () => TransactItem[],
    stream: string,
    drafts: AuditEventDraft[],
  ): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const cached = attempt === 0 ? heads.get(stream) : undefined;
      const head = drafts.length > 0 ? (cached ?? (await lastEvent(stream))) : null;
      const main = build();
      const { items: audit, last } = auditItems(stream, head, drafts);
      const items = [...main, ...audit];
      if (items.length === 0) return;
      try {
        await db.send(new TransactWriteCommand({ TransactItems: items }));
        if (last && drafts.length > 0) rememberHead(stream, last);
        return;
      } catch (error) {
        const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
        const failed = (reasons ?? [])
          .map((r, i) => (r.Code === "ConditionalCheckFailed" ? i : -1))
          .filter((i) => i >= 0);
        const onlyAudit = failed.length > 0 && failed.every((i) => i >= main.length);
        if (onlyAudit && attempt < MAX_AUDIT_RETRIES) {
          await new Promise((r) => setTimeout(r, 10 + Math.random() * 40 * (attempt + 1)));
          continue;
        }
        if (reasons?.some((r) => r.Code === "TransactionConflict") && attempt < MAX_AUDIT_RETRIES) {
          await new Promise((r) => setTimeout(r, 20 + Math.random() * 60 * (attempt + 1)));
          continue;
        }
        throw translateDynamoError(error, what);
      }
    }
  }

  function invitationItem(invitation: Invitation): Record<string, unknown> {
    return {
      pk: invitePk(invitation.id),
      sk: "INVITE",
      version: invitation.version,
      gsi1pk: `PARTYINVITES#${invitation.partyId}`,
      gsi1sk: `${invitation.createdAt}#${invitation.id}`,
      data: invitation,
    };
  }

  function versioned(before: Invitation) {
    return {
      ConditionExpression: "#version = :expected",
      ExpressionAttributeNames: { "#version": "version" },
      ExpressionAttributeValues: { ":expected": before.version },
    };
  }

  /** Items that follow an invitation's change: its token lookup and its open-invitation guard. */
  function invitationSideItems(before: Invitation, after: Invitation): TransactItem[] {
    const items: TransactItem[] = [];
    if (before.tokenHash !== after.tokenHash) {
      items.push({ Delete: { TableName: tableName, Key: tokenKey(before.tokenHash) } });
      items.push({
        Put: { TableName: tableName, Item: { ...tokenKey(after.tokenHash), invitationId: after.id } },
      });
    }
    const wasOpen = before.status === "active" || before.status === "signing";
    const isOpen = after.status === "active" || after.status === "signing";
    if (wasOpen && !isOpen) {
      items.push({ Delete: { TableName: tableName, Key: openKey(after.partyId, after.quarter) } });
    } else if (isOpen && before.expiresAt !== after.expiresAt) {
      items.push({
        Put: {
          TableName: tableName,
          Item: {
            ...openKey(after.partyId, after.quarter),
            invitationId: after.id,
            expiresAt: after.expiresAt,
          },
        },
      });
    }
    return items;
  }

  function pledgeItems(pledge: Pledge, condition: "create" | "replace"): TransactItem[] {
    const folded = foldVietnamese(pledge.partyName);
    const sortKey = `${pledge.family}#${folded}#${pledge.partyId}`;
    const items: TransactItem[] = [
      {
        Put: {
          TableName: tableName,
          Item: {
            ...pledgeKey(pledge.partyId, pledge.quarter),
            gsi1pk: `PUBPLEDGES#${pledge.quarter}#ALL`,
            gsi1sk: sortKey,
            gsi2pk: `PLEDGECODE#${pledge.documentCode}`,
            gsi2sk: "PLEDGE",
            data: pledge,
          },
          ...(condition === "create"
            ? { ConditionExpression: "attribute_not_exists(pk)" }
            : {
                ConditionExpression: "#data.#status = :status",
                ExpressionAttributeNames: { "#data": "data", "#status": "status" },
                ExpressionAttributeValues: { ":status": "valid" },
              }),
        },
      },
    ];
    for (const province of pledge.provinces) {
      items.push({
        Put: {
          TableName: tableName,
          Item: {
            pk: `PLEDGE#${pledge.partyId}`,
            sk: `Q#${pledge.quarter}#PROV#${province}`,
            gsi1pk: `PUBPLEDGES#${pledge.quarter}#${province}`,
            gsi1sk: sortKey,
            data: pledge,
          },
        },
      });
    }
    return items;
  }

  async function invitationById(id: string): Promise<Invitation | null> {
    const item = await getItem({ pk: invitePk(id), sk: "INVITE" }, "invitation");
    return item ? InvitationSchema.parse(item.data) : null;
  }

  async function pledgeFromIndex(index: "gsi2", pk: string): Promise<Pledge | null> {
    const out = await withDynamoErrors("pledge lookup", () =>
      db.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: index,
          KeyConditionExpression: "gsi2pk = :pk",
          ExpressionAttributeValues: { ":pk": pk },
          Limit: 1,
        }),
      ),
    );
    const item = out.Items?.[0];
    return item ? PledgeSchema.parse(item.data) : null;
  }

  return {
    db,
    tableName,
    getItem,
    heads,
    rememberHead,
    lastEvent,
    auditItems,
    transactWithAudit,
    invitationItem,
    versioned,
    invitationSideItems,
    pledgeItems,
    invitationById,
    pledgeFromIndex,
  };
}

type SigningTable = ReturnType<typeof signingTable>;

/** Invitations: by id or token, a party's, created and changed with their audit events. */
function invitationStore(
  t: SigningTable,
): Pick<
  SigningRepository,
  | "findInvitationByTokenHash"
  | "invitationsOfParty"
  | "createInvitation"
  | "updateInvitation"
  | "getInvitation"
> {
  const {
    db,
    tableName,
    getItem,
    transactWithAudit,
    invitationItem,
    versioned,
    invitationSideItems,
    invitationById,
  } = t;
  return {
    getInvitation: invitationById,

    async findInvitationByTokenHash(tokenHash) {
      const item = await getItem(tokenKey(tokenHash), "invitation token");
      if (!item || typeof item.invitationId !== "string") return null;
      const invitation = await invitationById(item.invitationId);
      // A token item left by a resend that lost a race is ignored: the invitation names its current token.
      return invitation && invitation.tokenHash === tokenHash ? invitation : null;
    },

    async invitationsOfParty(partyId) {
      const out = await withDynamoErrors("party invitations", () =>
        db.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: "gsi1",
            KeyConditionExpression: "gsi1pk = :pk",
            ExpressionAttributeValues: { ":pk": `PARTYINVITES#${partyId}` },
            ScanIndexForward: false,
            Limit: 100,
          }),
        ),
      );
      return (out.Items ?? []).map((item) => InvitationSchema.parse(item.data));
    },

    async createInvitation(invitation, events) {
      await transactWithAudit(
        "invitation",
        () => [
          {
            Put: {
              TableName: tableName,
              Item: {
                ...openKey(invitation.partyId, invitation.quarter),
                invitationId: invitation.id,
                expiresAt: invitation.expiresAt,
              },
              // One open invitation per party and quarter; an expired one may be replaced.
              ConditionExpression: "attribute_not_exists(pk) OR expiresAt < :now",
              ExpressionAttributeValues: { ":now": invitation.createdAt },
            },
          },
          {
            Put: {
              TableName: tableName,
              Item: invitationItem(invitation),
              ConditionExpression: "attribute_not_exists(pk)",
            },
          },
          {
            Put: {
              TableName: tableName,
              Item: { ...tokenKey(invitation.tokenHash), invitationId: invitation.id },
            },
          },
        ],
        invitation.partyId,
        events,
      );
    },

    async updateInvitation(before, after, events) {
      await transactWithAudit(
        "invitation",
        () => [
          { Put: { TableName: tableName, Item: invitationItem(after), ...versioned(before) } },
          ...invitationSideItems(before, after),
        ],
        after.partyId,
        events,
      );
    },
  };
}

/** Pledges: committed with the invitation and the party, changed, and read by party, code, file hash and quarter. */
function pledgeStore(
  t: SigningTable,
): Pick<
  SigningRepository,
  | "commitSigning"
  | "updatePledge"
  | "getPledge"
  | "findPledgeByFileHash"
  | "pledgesOfParty"
  | "publicPledges"
  | "findPledgeByCode"
> {
  const {
    db,
    tableName,
    getItem,
    transactWithAudit,
    invitationItem,
    versioned,
    invitationSideItems,
    pledgeItems,
    pledgeFromIndex,
  } = t;
  return {
    async commitSigning({ invitationBefore, invitationAfter, pledge, party, events }) {
      await transactWithAudit(
        "signing",
        () => [
          ...pledgeItems(pledge, "create"),
          {
            Put: {
              TableName: tableName,
              Item: {
                pk: `PLEDGEFILE#${pledge.fileSha256}`,
                sk: "FILE",
                partyId: pledge.partyId,
                quarter: pledge.quarter,
              },
            },
          },
          {
            Put: {
              TableName: tableName,
              Item: invitationItem(invitationAfter),
              ...versioned(invitationBefore),
            },
          },
          ...invitationSideItems(invitationBefore, invitationAfter),
          ...partyWriteItems(tableName, party),
          // The coverage counters move with the signing, in the same transaction.
          ...counterItems(tableName, [party]),
        ],
        pledge.partyId,
        events,
      );
    },

    async updatePledge(_before, after, party, events) {
      await transactWithAudit(
        "pledge",
        () => [
          ...pledgeItems(after, "replace"),
          ...(party ? [...partyWriteItems(tableName, party), ...counterItems(tableName, [party])] : []),
        ],
        after.partyId,
        events,
      );
    },

    async getPledge(partyId, quarter) {
      const item = await getItem(pledgeKey(partyId, quarter), "pledge");
      return item ? PledgeSchema.parse(item.data) : null;
    },

    findPledgeByCode: (code) => pledgeFromIndex("gsi2", `PLEDGECODE#${code}`),

    async findPledgeByFileHash(sha256) {
      const item = await getItem({ pk: `PLEDGEFILE#${sha256}`, sk: "FILE" }, "pledge file");
      if (!item || typeof item.partyId !== "string" || typeof item.quarter !== "string") return null;
      const pledgeItem = await getItem(pledgeKey(item.partyId, item.quarter), "pledge");
      return pledgeItem ? PledgeSchema.parse(pledgeItem.data) : null;
    },

    async pledgesOfParty(partyId) {
      const out = await withDynamoErrors("party pledges", () =>
        db.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: "pk = :pk AND begins_with(sk, :q)",
            ExpressionAttributeValues: { ":pk": `PLEDGE#${partyId}`, ":q": "Q#" },
            ScanIndexForward: false,
          }),
        ),
      );
      return (out.Items ?? [])
        .filter((item) => !String(item.sk).includes("#PROV#"))
        .map((item) => PledgeSchema.parse(item.data));
    },

    async publicPledges({ quarter, province, family, limit, cursor }) {
      const out = await withDynamoErrors("public pledges", () =>
        db.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: "gsi1",
            KeyConditionExpression: family ? "gsi1pk = :pk AND begins_with(gsi1sk, :family)" : "gsi1pk = :pk",
            ExpressionAttributeValues: {
              ":pk": `PUBPLEDGES#${quarter}#${province ?? "ALL"}`,
              ...(family ? { ":family": `${family}#` } : {}),
            },
            Limit: limit,
            ExclusiveStartKey: decodeCursor(cursor),
          }),
        ),
      );
      return {
        items: (out.Items ?? []).map((item) => PledgeSchema.parse(item.data)),
        next: encodeCursor(out.LastEvaluatedKey),
      };
    },
  };
}

/** The audit streams: appended to, read back, listed. */
function auditStore(t: SigningTable): Pick<SigningRepository, "appendAudit" | "auditOf" | "auditStreams"> {
  const { db, tableName, transactWithAudit } = t;
  return {
    async appendAudit(stream, events) {
      await transactWithAudit("audit", () => [], stream, events);
    },

    async auditOf(stream) {
      const events: AuditEvent[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const out = await withDynamoErrors("audit", () =>
          db.send(
            new QueryCommand({
              TableName: tableName,
              KeyConditionExpression: "pk = :pk",
              ExpressionAttributeValues: { ":pk": `AUDIT#${stream}` },
              ConsistentRead: true,
              ExclusiveStartKey: startKey,
            }),
          ),
        );
        for (const item of out.Items ?? []) events.push(AuditEventSchema.parse(item.data));
        startKey = out.LastEvaluatedKey;
      } while (startKey);
      return events;
    },

    async auditStreams(cursor) {
      const out = await withDynamoErrors("audit streams", () =>
        db.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: "gsi1",
            KeyConditionExpression: "gsi1pk = :pk",
            ExpressionAttributeValues: { ":pk": "AUDITSTREAMS" },
            ExclusiveStartKey: decodeCursor(cursor),
            Limit: 500,
          }),
        ),
      );
      return {
        streams: (out.Items ?? []).map((item) => String(item.gsi1sk)),
        next: encodeCursor(out.LastEvaluatedKey),
      };
    },
  };
}

export function createDynamoSigningRepository(
  db: DynamoDBDocumentClient,
  tableName: string,
): SigningRepository {
  const t = signingTable(db, tableName);
  return { ...invitationStore(t), ...pledgeStore(t), ...auditStore(t) };
}
