import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { PrincipalSchema, type SessionStore } from "@pledgewatch/core";
import { z } from "zod";
import { withDynamoErrors } from "./errors";

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
  };
}
