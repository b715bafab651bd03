import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from "@aws-sdk/lib-dynamodb";
import { PrincipalSchema, type SessionStore } from "@pledgewatch/core";
import { z } from "zod";
import { withDynamoErrors } from "./errors";

/**
 * A session: pk SESSION#<sha256(token)> sk SESSION, ttl; and by staff member gsi1pk SESSIONS#<staff id>
 * gsi1sk <sha256(token)>, for sign-out everywhere.
 */
const key = (tokenHash: string) => ({ pk: `SESSION#${tokenHash}`, sk: "SESSION" });

const StoredSessionSchema = z.object({
  tokenHash: z.string(),
  principal: PrincipalSchema,
  csrfToken: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
});

export function createDynamoSessionStore(db: DynamoDBDocumentClient, tableName: string): SessionStore {
  return {
    async put(session) {
      await withDynamoErrors("session", () =>
        db.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              ...key(session.tokenHash),
              gsi1pk: `SESSIONS#${session.principal.staffId}`,
              gsi1sk: session.tokenHash,
              data: session,
              // DynamoDB's TTL removes expired sessions; the use case also checks expiry on every read.
              ttl: Math.ceil(new Date(session.expiresAt).getTime() / 1000),
            },
          }),
        ),
      );
    },
    async get(tokenHash) {
      const out = await withDynamoErrors("session", () =>
        db.send(new GetCommand({ TableName: tableName, Key: key(tokenHash) })),
      );
      const parsed = StoredSessionSchema.safeParse(out.Item?.data);
      return parsed.success ? parsed.data : null;
    },
    async delete(tokenHash) {
      await withDynamoErrors("session", () =>
        db.send(new DeleteCommand({ TableName: tableName, Key: key(tokenHash) })),
      );
    },
    async deleteAllOf(staffId) {
      let ended = 0;
      let startKey: Record<string, unknown> | undefined;
      do {
        const out = await withDynamoErrors("sessions", () =>
          db.send(
            new QueryCommand({
              TableName: tableName,
              IndexName: "gsi1",
              KeyConditionExpression: "gsi1pk = :pk",
              ExpressionAttributeValues: { ":pk": `SESSIONS#${staffId}` },
              ProjectionExpression: "gsi1sk",
              ExclusiveStartKey: startKey,
            }),
          ),
        );
        for (const item of out.Items ?? []) {
          await withDynamoErrors("session", () =>
            db.send(new DeleteCommand({ TableName: tableName, Key: key(String(item.gsi1sk)) })),
          );
          ended++;
        }
        startKey = out.LastEvaluatedKey;
      } while (startKey);
      return ended;
    },
  };
}
