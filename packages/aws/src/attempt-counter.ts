import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { AttemptCounter } from "@pledgewatch/core";
import { withDynamoErrors } from "./errors";

/** Fixed-window counters: one item per key and window, incremented atomically, removed by TTL. */
export function createDynamoAttemptCounter(db: DynamoDBDocumentClient, tableName: string): AttemptCounter {
  const keyOf = (key: string, windowSeconds: number, now: Date) => {
    const windowStart = Math.floor(now.getTime() / 1000 / windowSeconds) * windowSeconds;
    return { pk: `ATTEMPT#${key}`, sk: String(windowStart), expires: windowStart + 2 * windowSeconds };
  };
  return {
    async hit(key, windowSeconds, now, by = 1) {
      const { pk, sk, expires } = keyOf(key, windowSeconds, now);
      const out = await withDynamoErrors("attempt counter", () =>
        db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk, sk },
            UpdateExpression: "ADD #count :one SET #ttl = :ttl",
            ExpressionAttributeNames: { "#count": "count", "#ttl": "ttl" },
            ExpressionAttributeValues: { ":one": by, ":ttl": expires },
            ReturnValues: "UPDATED_NEW",
          }),
        ),
      );
      return Number(out.Attributes?.count ?? by);
    },
    async count(key, windowSeconds, now) {
      const { pk, sk } = keyOf(key, windowSeconds, now);
      const out = await withDynamoErrors("attempt counter", () =>
        db.send(new GetCommand({ TableName: tableName, Key: { pk, sk }, ConsistentRead: true })),
      );
      return Number(out.Item?.count ?? 0);
    },
    async clear(key, windowSeconds, now) {
      const { pk, sk } = keyOf(key, windowSeconds, now);
      await withDynamoErrors("attempt counter", () =>
        db.send(new DeleteCommand({ TableName: tableName, Key: { pk, sk } })),
      );
    },
  };
}
