import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from "@aws-sdk/lib-dynamodb";
import {
  type EvaluationRecord,
  EvaluationRecordSchema,
  type EvaluationRepository,
  ReevaluationRunSchema,
  type RuleChange,
  RuleChangeSchema,
  type RuleRepository,
  RuleSetSchema,
} from "@pledgewatch/core";
import { withDynamoErrors } from "./errors";
import { decodeCursor, encodeCursor } from "./party-repository";

/**
 * Flagging rules and evaluations (keys also listed in tables.ts):
 *   rule-set head          pk RULESET            sk HEAD                 version: the current version number
 *   rule-set version       pk RULESET            sk V#<version, 10 digits>  data: the whole rule set (immutable)
 *   rule history           pk RULE#<id>          sk V#<rule version>     data: RuleChange
 *   evaluation             pk EVAL#<item id>     sk EVAL                 data: item + decision (latest wins)
 *     newest per agency    gsi1pk EVALS#<CT|VHTT|YT|none>  gsi1sk <time>#<item id>
 *     newest of all        gsi2pk EVALS                    gsi2sk <time>#<item id>
 *   re-evaluation run      pk REEVAL             sk V#<rule-set version, 10 digits>   pages (issue 23)
 * The head is the one small item every evaluation reads to know whether its compiled rules are current.
 */
const HEAD = { pk: "RULESET", sk: "HEAD" };
const pad = (n: number) => String(n).padStart(10, "0");
const versionKey = (version: number) => ({ pk: "RULESET", sk: `V#${pad(version)}` });
const historyKey = (change: RuleChange) => ({
  pk: `RULE#${change.ruleId}`,
  sk: `V#${pad(change.ruleVersion)}`,
});
/** A transaction holds at most 100 items; a seed with more rules writes its history in batches after. */
const HISTORY_IN_TRANSACTION = 50;
/** Pages read at most for the latest evaluations of one province (see `latest`). */
const MAX_FILTERED_PAGES = 10;

export function createDynamoRuleRepository(db: DynamoDBDocumentClient, tableName: string): RuleRepository {
  return {
    async currentVersion() {
      const out = await withDynamoErrors("rule set", () =>
        db.send(
          new GetCommand({
            TableName: tableName,
            Key: HEAD,
            ProjectionExpression: "version",
            ConsistentRead: true,
          }),
        ),
      );
      return typeof out.Item?.version === "number" ? out.Item.version : null;
    },

    async load() {
      const head = await this.currentVersion();
      if (head === null) return null;
      const out = await withDynamoErrors("rule set", () =>
        db.send(new GetCommand({ TableName: tableName, Key: versionKey(head), ConsistentRead: true })),
      );
      return out.Item ? RuleSetSchema.parse(out.Item.data) : null;
    },

    async save(next, expected, changes) {
      const inTransaction = changes.length <= HISTORY_IN_TRANSACTION ? changes : [];
      await withDynamoErrors("rule set", () =>
        db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: tableName,
                  Item: { ...versionKey(next.version), data: next },
                  ConditionExpression: "attribute_not_exists(pk)",
                },
              },
              {
                Put: {
                  TableName: tableName,
                  Item: { ...HEAD, version: next.version, updatedAt: next.updatedAt ?? null },
                  ...(expected === null
                    ? { ConditionExpression: "attribute_not_exists(pk)" }
                    : {
                        ConditionExpression: "version = :expected",
                        ExpressionAttributeValues: { ":expected": expected },
                      }),
                },
              },
              ...inTransaction.map((change) => ({
                Put: {
                  TableName: tableName,
                  Item: { ...historyKey(change), data: change },
                  ConditionExpression: "attribute_not_exists(pk)",
                },
              })),
            ],
          }),
        ),
      );
      if (inTransaction.length === changes.length) return;
      // Seeding a large rule set: the versions are written; the history follows (idempotent puts).
      for (let i = 0; i < changes.length; i += 25) {
        let requests = changes.slice(i, i + 25).map((change) => ({
          PutRequest: { Item: { ...historyKey(change), data: change } },
        }));
        while (requests.length > 0) {
          const out = await withDynamoErrors("rule history", () =>
            db.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } })),
          );
          requests = (out.UnprocessedItems?.[tableName] ?? []) as typeof requests;
        }
      }
    },

    async history(ruleId) {
      const out = await withDynamoErrors("rule history", () =>
        db.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: "pk = :pk AND begins_with(sk, :v)",
            ExpressionAttributeValues: { ":pk": `RULE#${ruleId}`, ":v": "V#" },
            ScanIndexForward: false,
          }),
        ),
      );
      return (out.Items ?? []).map((item) => RuleChangeSchema.parse(item.data));
    },
  };
}

export function createDynamoEvaluationRepository(
  db: DynamoDBDocumentClient,
  tableName: string,
): EvaluationRepository {
  const fromItem = (item: Record<string, unknown>): EvaluationRecord =>
    EvaluationRecordSchema.parse(item.data);
  return {
    async record(record) {
      const scope = record.decision.agency ?? "none";
      const sort = `${record.at}#${record.item.id}`;
      await withDynamoErrors("evaluation", () =>
        db.send(
          // One item per evaluated item: its index entries move with it, so a re-evaluation never
          // leaves a stale or duplicate entry in the "latest" lists.
          new PutCommand({
            TableName: tableName,
            Item: {
              pk: `EVAL#${record.item.id}`,
              sk: "EVAL",
              gsi1pk: `EVALS#${scope}`,
              gsi1sk: sort,
              gsi2pk: "EVALS",
              gsi2sk: sort,
              data: record,
            },
          }),
        ),
      );
    },

    async get(itemId) {
      const out = await withDynamoErrors("evaluation", () =>
        db.send(new GetCommand({ TableName: tableName, Key: { pk: `EVAL#${itemId}`, sk: "EVAL" } })),
      );
      return out.Item ? fromItem(out.Item) : null;
    },

    async seenSince(since, cursor, limit) {
      const out = await withDynamoErrors("evaluations", () =>
        db.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: "gsi2",
            KeyConditionExpression: "gsi2pk = :pk AND gsi2sk >= :since",
            ExpressionAttributeValues: { ":pk": "EVALS", ":since": since },
            ScanIndexForward: false,
            Limit: limit,
            ExclusiveStartKey: decodeCursor(cursor),
          }),
        ),
      );
      const next = encodeCursor(out.LastEvaluatedKey);
      return { records: (out.Items ?? []).map(fromItem), ...(next ? { cursor: next } : {}) };
    },

    async putRun(run, expectedPages) {
      await withDynamoErrors("re-evaluation run", () =>
        db.send(
          new PutCommand({
            TableName: tableName,
            Item: { pk: "REEVAL", sk: `V#${pad(run.ruleSetVersion)}`, pages: run.pages, data: run },
            ...(expectedPages === null
              ? { ConditionExpression: "attribute_not_exists(pk)" }
              : { ConditionExpression: "pages = :p", ExpressionAttributeValues: { ":p": expectedPages } }),
          }),
        ),
      );
    },

    async getRun(ruleSetVersion) {
      const out = await withDynamoErrors("re-evaluation run", () =>
        db.send(
          new GetCommand({
            TableName: tableName,
            Key: { pk: "REEVAL", sk: `V#${pad(ruleSetVersion)}` },
            ConsistentRead: true,
          }),
        ),
      );
      return out.Item ? ReevaluationRunSchema.parse(out.Item.data) : null;
    },

    async latestRun() {
      const out = await withDynamoErrors("re-evaluation runs", () =>
        db.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: "pk = :pk",
            ExpressionAttributeValues: { ":pk": "REEVAL" },
            ScanIndexForward: false,
            Limit: 1,
          }),
        ),
      );
      const item = out.Items?.[0];
      return item ? ReevaluationRunSchema.parse(item.data) : null;
    },

    async latest({ scope, province, limit }) {
      const items: EvaluationRecord[] = [];
      let startKey: Record<string, unknown> | undefined;
      // Filtered by province, a page may hold few matches: read pages of at least 100 and stop after
      // MAX_FILTERED_PAGES, so a province with few items never walks the whole partition.
      let pages = 0;
      do {
        const out = await withDynamoErrors("evaluations", () =>
          db.send(
            new QueryCommand({
              TableName: tableName,
              IndexName: scope === undefined ? "gsi2" : "gsi1",
              KeyConditionExpression: scope === undefined ? "gsi2pk = :pk" : "gsi1pk = :pk",
              ExpressionAttributeValues: {
                ":pk": scope === undefined ? "EVALS" : `EVALS#${scope}`,
                ...(province ? { ":province": province } : {}),
              },
              ...(province
                ? {
                    FilterExpression: "#data.#province = :province",
                    ExpressionAttributeNames: { "#data": "data", "#province": "province" },
                  }
                : {}),
              ScanIndexForward: false,
              Limit: province ? Math.max(limit - items.length, 100) : limit - items.length,
              ExclusiveStartKey: startKey,
            }),
          ),
        );
        for (const item of out.Items ?? []) items.push(fromItem(item));
        startKey = out.LastEvaluatedKey;
        pages++;
      } while (startKey && items.length < limit && (!province || pages < MAX_FILTERED_PAGES));
      return items.slice(0, limit);
    },
  };
}
