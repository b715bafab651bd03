import { randomBytes } from "node:crypto";
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from "@aws-sdk/lib-dynamodb";
import {
  ConflictError,
  type Tip,
  type TipRepository,
  TipSchema,
  type TipUrlRecord,
  TipUrlRecordSchema,
} from "@pledgewatch/core";
import { withDynamoErrors } from "./errors";
import { decodeCursor, encodeCursor } from "./party-repository";

/**
 * Public tips (keys also listed in tables.ts):
 *   tip               pk TIP#<id>                 sk TIP        data: Tip
 *   tracking code     pk TIPCODE#<sha256(code)>   sk TIPCODE    tipId (written with the tip, so the
 *                     status page finds a tip the moment its code is shown — no index lag)
 *   URL of the day    pk TIPURL#<urlKey>          sk DAY#<yyyy-mm-dd, Asia/Ho_Chi_Minh>  data: TipUrlRecord
 *   form secret       pk TIPSECRET                sk TIPSECRET  secret (base64, 32 random bytes)
 *   holding personal data: gsi1pk TIPPERSONAL  gsi1sk <createdAt>#<id>, on the tip while it has a contact
 *                     or an address HMAC (sparse: the retention sweep reads only tips it may have to erase)
 * The tip, its code and its URL record are one transaction: no tip without its code, no duplicate that
 * is not on its URL's record.
 */
const tipKey = (id: string) => ({ pk: `TIP#${id}`, sk: "TIP" });
const codeKey = (hash: string) => ({ pk: `TIPCODE#${hash}`, sk: "TIPCODE" });
const urlKeyOf = (urlKey: string, day: string) => ({ pk: `TIPURL#${urlKey}`, sk: `DAY#${day}` });
const SECRET = { pk: "TIPSECRET", sk: "TIPSECRET" };
const PERSONAL = "TIPPERSONAL";

/** The stored item of a tip: in the personal-data index while it holds any. */
function tipItem(tip: Tip) {
  return {
    ...tipKey(tip.id),
    version: tip.version,
    data: tip,
    ...(tip.contact || tip.addressHash ? { gsi1pk: PERSONAL, gsi1sk: `${tip.createdAt}#${tip.id}` } : {}),
  };
}

function dayOf(record: TipUrlRecord): string {
  return new Date(Date.parse(record.firstAt) + 7 * 3_600_000).toISOString().slice(0, 10);
}

export function createDynamoTipRepository(db: DynamoDBDocumentClient, tableName: string): TipRepository {
  async function getTip(id: string): Promise<Tip | null> {
    const out = await withDynamoErrors("tip", () =>
      db.send(new GetCommand({ TableName: tableName, Key: tipKey(id), ConsistentRead: true })),
    );
    return out.Item ? TipSchema.parse(out.Item.data) : null;
  }

  return {
    async create(tip, url, expectedUrlVersion) {
      await withDynamoErrors("tip", () =>
        db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: tableName,
                  Item: tipItem(tip),
                  ConditionExpression: "attribute_not_exists(pk)",
                },
              },
              {
                Put: {
                  TableName: tableName,
                  Item: { ...codeKey(tip.codeHash), tipId: tip.id },
                  ConditionExpression: "attribute_not_exists(pk)",
                },
              },
              {
                Put: {
                  TableName: tableName,
                  Item: {
                    ...urlKeyOf(url.urlKey, dayOf(url)),
                    version: url.version,
                    data: url,
                    // Kept two days: after its day a URL record is only read for the day's duplicates.
                    ttl: Math.floor(Date.parse(url.firstAt) / 1000) + 2 * 86_400,
                  },
                  ...(expectedUrlVersion === null
                    ? { ConditionExpression: "attribute_not_exists(pk)" }
                    : {
                        ConditionExpression: "version = :v",
                        ExpressionAttributeValues: { ":v": expectedUrlVersion },
                      }),
                },
              },
            ],
          }),
        ),
      );
    },

    get: getTip,

    async byCodeHash(codeHash) {
      const out = await withDynamoErrors("tip code", () =>
        db.send(new GetCommand({ TableName: tableName, Key: codeKey(codeHash), ConsistentRead: true })),
      );
      return typeof out.Item?.tipId === "string" ? getTip(out.Item.tipId) : null;
    },

    async update(next, expectedVersion) {
      await withDynamoErrors("tip", () =>
        db.send(
          new PutCommand({
            TableName: tableName,
            Item: tipItem(next),
            ConditionExpression: "version = :v",
            ExpressionAttributeValues: { ":v": expectedVersion },
          }),
        ),
      );
    },

    async withPersonalData(cursor, limit) {
      const out = await withDynamoErrors("tips with personal data", () =>
        db.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: "gsi1",
            KeyConditionExpression: "gsi1pk = :p",
            ExpressionAttributeValues: { ":p": PERSONAL },
            Limit: limit,
            ExclusiveStartKey: decodeCursor(cursor),
          }),
        ),
      );
      const next = encodeCursor(out.LastEvaluatedKey);
      return {
        tips: (out.Items ?? []).map((item) => TipSchema.parse(item.data)),
        ...(next ? { cursor: next } : {}),
      };
    },

    async urlRecord(urlKey, day) {
      const out = await withDynamoErrors("tip URL", () =>
        db.send(new GetCommand({ TableName: tableName, Key: urlKeyOf(urlKey, day), ConsistentRead: true })),
      );
      return out.Item ? TipUrlRecordSchema.parse(out.Item.data) : null;
    },

    async formSecret() {
      const read = async () =>
        withDynamoErrors("tip form secret", () =>
          db.send(new GetCommand({ TableName: tableName, Key: SECRET, ConsistentRead: true })),
        );
      const found = await read();
      if (typeof found.Item?.secret === "string") return Buffer.from(found.Item.secret, "base64");
      try {
        await withDynamoErrors("tip form secret", () =>
          db.send(
            new PutCommand({
              TableName: tableName,
              Item: { ...SECRET, secret: randomBytes(32).toString("base64") },
              ConditionExpression: "attribute_not_exists(pk)",
            }),
          ),
        );
      } catch (error) {
        // Another instance generated it first: theirs is the secret.
        if (!(error instanceof ConflictError)) throw error;
      }
      const stored = await read();
      if (typeof stored.Item?.secret !== "string")
        throw new Error("tip form secret missing after writing it");
      return Buffer.from(stored.Item.secret, "base64");
    },
  };
}
