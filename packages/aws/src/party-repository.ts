import { type DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import {
  ConflictError,
  InvalidError,
  type Party,
  type PartyRepository,
  PartySchema,
} from "@pledgewatch/core";
import { withDynamoErrors } from "./errors";

const partyKey = (id: string) => ({ pk: `PARTY#${id}`, sk: "PARTY" });

/** Folds case and diacritics so list order is alphabetical the way a Vietnamese reader expects. */
function sortName(name: string): string {
  return name
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .replace(/đ/gi, "d")
    .toLowerCase();
}

function encodeCursor(key: Record<string, unknown> | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key)).toString("base64url") : undefined;
}

function decodeCursor(cursor: string | undefined): Record<string, unknown> | undefined {
  if (!cursor) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (value && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new InvalidError("Invalid cursor", [
    { field: "cursor", message: "Con trỏ trang không hợp lệ (invalid cursor)" },
  ]);
}

export function createDynamoPartyRepository(db: DynamoDBDocumentClient, tableName: string): PartyRepository {
  // One item for the party and one per province it operates in, written in one transaction, so a
  // national platform is listed in every province it serves.
  const writeParty = (party: Party) =>
    db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName,
              Item: { ...partyKey(party.id), data: party },
              ConditionExpression: "attribute_not_exists(pk)",
            },
          },
          ...party.provinces.map((province) => ({
            Put: {
              TableName: tableName,
              Item: {
                pk: `PARTY#${party.id}`,
                sk: `PROV#${province}`,
                gsi1pk: `PARTIES#${party.agency}#${province}`,
                gsi1sk: `${party.group}#${sortName(party.name)}#${party.id}`,
                data: party,
              },
            },
          })),
        ],
      }),
    );

  return {
    async create(party) {
      await withDynamoErrors("party", () => writeParty(party));
    },

    async createIfAbsent(party) {
      try {
        await withDynamoErrors("party", () => writeParty(party));
        return true;
      } catch (error) {
        if (error instanceof ConflictError) return false;
        throw error;
      }
    },

    async list({ agency, province, group, limit, cursor }) {
      const out = await withDynamoErrors("parties", () =>
        db.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: "gsi1",
            KeyConditionExpression: group ? "gsi1pk = :pk AND begins_with(gsi1sk, :group)" : "gsi1pk = :pk",
            ExpressionAttributeValues: {
              ":pk": `PARTIES#${agency}#${province}`,
              ...(group ? { ":group": `${group}#` } : {}),
            },
            Limit: limit,
            ExclusiveStartKey: decodeCursor(cursor),
          }),
        ),
      );
      return {
        items: (out.Items ?? []).map((item) => PartySchema.parse(item.data)),
        next: encodeCursor(out.LastEvaluatedKey),
      };
    },
  };
}
