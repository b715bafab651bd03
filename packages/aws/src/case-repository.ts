import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from "@aws-sdk/lib-dynamodb";
import {
  type Case,
  type CaseLogEntry,
  CaseLogEntrySchema,
  type CaseRepository,
  CaseSchema,
  type TakedownRequest,
  TakedownRequestSchema,
} from "@pledgewatch/core";
import { caseLogIndexKeys } from "./case-log-index";
import { withDynamoErrors } from "./errors";
import { decodeCursor, encodeCursor } from "./party-repository";

/**
 * Review cases, their logs and takedown requests (keys also listed in tables.ts):
 *   case                pk CASE#<item id>    sk CASE
 *     queue             gsi1pk CASEQ#<agency>#<province>#<state>   gsi1sk <priority key>#<id>
 *     a party's cases   gsi2pk CASEPARTY#<party id>                gsi2sk <openedAt>#<id>
 *   case log entry      pk CASE#<item id>    sk LOG#<version, 10 digits>#<seq, 3 digits>   (append-only)
 *   referral, filed for the agency it left      sk LOGOUT#<version>#<seq>   (log index only; referralCopy)
 *   takedown request    pk TAKEDOWN#<id>     sk TAKEDOWN
 *     by answer token   gsi1pk TDTOKEN#<sha256(token)>  gsi1sk TD     (only while unanswered)
 *     due for the tick  gsi2pk TAKEDOWNDUE              gsi2sk <nextCheckAt>#<id>   (only while open)
 * Every case write is one transaction conditional on the version read, with its log entries (each
 * written only if absent): of simultaneous decisions one transaction succeeds, the others are cancelled.
 */
const caseKey = (id: string) => ({ pk: `CASE#${id}`, sk: "CASE" });
const takedownKey = (id: string) => ({ pk: `TAKEDOWN#${id}`, sk: "TAKEDOWN" });
const pad = (n: number, width: number) => String(n).padStart(width, "0");
const queuePk = (agency: string, province: string, state: string) => `CASEQ#${agency}#${province}#${state}`;

function caseItem(value: Case) {
  return {
    ...caseKey(value.id),
    gsi1pk: queuePk(value.agency, value.province, value.state),
    gsi1sk: `${value.priorityKey}#${value.id}`,
    ...(value.party
      ? { gsi2pk: `CASEPARTY#${value.party.partyId}`, gsi2sk: `${value.openedAt}#${value.id}` }
      : {}),
    platform: value.item.platform.toLowerCase(),
    ruleIds: value.ruleIds,
    openedAt: value.openedAt,
    version: value.version,
    data: value,
  };
}

function logItem(entry: CaseLogEntry) {
  return {
    pk: `CASE#${entry.caseId}`,
    sk: `LOG#${pad(entry.version, 10)}#${pad(entry.seq, 3)}`,
    // The log by agency × province × time, for metrics and reports (case-log-index.ts).
    ...caseLogIndexKeys(entry),
    data: entry,
  };
}

/**
 * A referral is filed under the agency the case went to (its entry's agency); this copy files it under
 * the agency it left too, so that office's log index shows the case leaving rather than still waiting
 * (metrics' queue age, the reports' referrals). Not under LOG#: the case's own log has the entry once.
 */
function referralCopy(entry: CaseLogEntry, fromAgency: CaseLogEntry["agency"]) {
  return {
    pk: `CASE#${entry.caseId}`,
    sk: `LOGOUT#${pad(entry.version, 10)}#${pad(entry.seq, 3)}`,
    ...caseLogIndexKeys({ ...entry, agency: fromAgency }),
    data: entry,
  };
}

function takedownItem(value: TakedownRequest) {
  return {
    ...takedownKey(value.id),
    ...(value.tokenHash ? { gsi1pk: `TDTOKEN#${value.tokenHash}`, gsi1sk: "TD" } : {}),
    ...(value.nextCheckAt ? { gsi2pk: "TAKEDOWNDUE", gsi2sk: `${value.nextCheckAt}#${value.id}` } : {}),
    version: value.version,
    data: value,
  };
}

const versioned = (expected: number | null) =>
  expected === null
    ? { ConditionExpression: "attribute_not_exists(pk)" }
    : { ConditionExpression: "version = :v", ExpressionAttributeValues: { ":v": expected } };

export function createDynamoCaseRepository(db: DynamoDBDocumentClient, tableName: string): CaseRepository {
  const put = (Item: Record<string, unknown>, condition: ReturnType<typeof versioned>) => ({
    Put: { TableName: tableName, Item, ...condition },
  });
  const logPuts = (entries: CaseLogEntry[]) =>
    entries.flatMap((e) => {
      const entry = CaseLogEntrySchema.parse(e);
      const puts = [put(logItem(entry), versioned(null))];
      if (entry.event.type === "referred")
        puts.push(put(referralCopy(entry, entry.event.fromAgency), versioned(null)));
      return puts;
    });

  return {
    async create(next, entries) {
      await withDynamoErrors("case", () =>
        db.send(
          new TransactWriteCommand({
            TransactItems: [put(caseItem(CaseSchema.parse(next)), versioned(null)), ...logPuts(entries)],
          }),
        ),
      );
    },

    async get(id) {
      const out = await withDynamoErrors("case", () =>
        db.send(new GetCommand({ TableName: tableName, Key: caseKey(id), ConsistentRead: true })),
      );
      return out.Item ? CaseSchema.parse(out.Item.data) : null;
    },

    async update(next, expectedVersion, entries, takedown) {
      await withDynamoErrors("case", () =>
        db.send(
          new TransactWriteCommand({
            TransactItems: [
              put(caseItem(CaseSchema.parse(next)), versioned(expectedVersion)),
              ...logPuts(entries),
              ...(takedown
                ? [
                    put(
                      takedownItem(TakedownRequestSchema.parse(takedown.next)),
                      versioned(takedown.expectedVersion),
                    ),
                  ]
                : []),
            ],
          }),
        ),
      );
    },

    async queue(query) {
      const filters: string[] = [];
      const values: Record<string, unknown> = {
        ":pk": queuePk(query.agency, query.province, query.state),
      };
      if (query.platform) {
        filters.push("platform = :platform");
        values[":platform"] = query.platform.toLowerCase();
      }
      if (query.rule) {
        filters.push("contains(ruleIds, :rule)");
        values[":rule"] = query.rule;
      }
      if (query.openedFrom) {
        filters.push("openedAt >= :from");
        values[":from"] = query.openedFrom;
      }
      if (query.openedTo) {
        filters.push("openedAt <= :to");
        values[":to"] = query.openedTo;
      }
      const cases: Case[] = [];
      let startKey = decodeCursor(query.cursor);
      let lastKey: Record<string, unknown> | undefined;
      do {
        const out = await withDynamoErrors("case queue", () =>
          db.send(
            new QueryCommand({
              TableName: tableName,
              IndexName: "gsi1",
              KeyConditionExpression: "gsi1pk = :pk",
              ExpressionAttributeValues: values,
              ...(filters.length > 0 ? { FilterExpression: filters.join(" AND ") } : {}),
              Limit: Math.max(query.limit - cases.length, filters.length > 0 ? 50 : 1),
              ExclusiveStartKey: startKey,
            }),
          ),
        );
        for (const item of out.Items ?? []) {
          if (cases.length >= query.limit) break;
          cases.push(CaseSchema.parse(item.data));
          lastKey = { pk: item.pk, sk: item.sk, gsi1pk: item.gsi1pk, gsi1sk: item.gsi1sk };
        }
        startKey = out.LastEvaluatedKey;
        if (cases.length >= query.limit) {
          // Stopped inside a page: the next page starts after the last case returned.
          return { cases, cursor: encodeCursor(lastKey) };
        }
      } while (startKey);
      return { cases };
    },

    async log(caseId) {
      const entries: CaseLogEntry[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const out = await withDynamoErrors("case log", () =>
          db.send(
            new QueryCommand({
              TableName: tableName,
              KeyConditionExpression: "pk = :pk AND begins_with(sk, :log)",
              ExpressionAttributeValues: { ":pk": `CASE#${caseId}`, ":log": "LOG#" },
              ConsistentRead: true,
              ExclusiveStartKey: startKey,
            }),
          ),
        );
        for (const item of out.Items ?? []) entries.push(CaseLogEntrySchema.parse(item.data));
        startKey = out.LastEvaluatedKey;
      } while (startKey);
      return entries;
    },

    async byParty(partyId, limit) {
      const out = await withDynamoErrors("party cases", () =>
        db.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: "gsi2",
            KeyConditionExpression: "gsi2pk = :pk",
            ExpressionAttributeValues: { ":pk": `CASEPARTY#${partyId}` },
            ScanIndexForward: false,
            Limit: limit,
          }),
        ),
      );
      return (out.Items ?? []).map((item) => CaseSchema.parse(item.data));
    },

    async getTakedown(id) {
      const out = await withDynamoErrors("takedown request", () =>
        db.send(new GetCommand({ TableName: tableName, Key: takedownKey(id), ConsistentRead: true })),
      );
      return out.Item ? TakedownRequestSchema.parse(out.Item.data) : null;
    },

    async updateTakedown(next, expectedVersion) {
      await withDynamoErrors("takedown request", () =>
        db.send(
          new PutCommand({
            TableName: tableName,
            Item: takedownItem(TakedownRequestSchema.parse(next)),
            ...versioned(expectedVersion),
          }),
        ),
      );
    },

    async takedownByTokenHash(tokenHash) {
      const out = await withDynamoErrors("takedown request", () =>
        db.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: "gsi1",
            KeyConditionExpression: "gsi1pk = :pk",
            ExpressionAttributeValues: { ":pk": `TDTOKEN#${tokenHash}` },
            Limit: 1,
          }),
        ),
      );
      const item = out.Items?.[0];
      if (!item) return null;
      // The index lags the table: the token must still be the request's current one.
      const current = await this.getTakedown(TakedownRequestSchema.parse(item.data).id);
      return current?.tokenHash === tokenHash ? current : null;
    },

    async takedownsDue(at, limit) {
      const out = await withDynamoErrors("takedowns due", () =>
        db.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: "gsi2",
            KeyConditionExpression: "gsi2pk = :pk AND gsi2sk <= :at",
            ExpressionAttributeValues: { ":pk": "TAKEDOWNDUE", ":at": `${at}#~` },
            Limit: limit,
          }),
        ),
      );
      return (out.Items ?? []).map((item) => TakedownRequestSchema.parse(item.data));
    },
  };
}
