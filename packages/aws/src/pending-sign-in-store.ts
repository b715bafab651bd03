import { DeleteCommand, type DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";
import { ConflictError, type PendingSignIn, type PendingSignInStore } from "@pledgewatch/core";
import { z } from "zod";
import { withDynamoErrors } from "./errors";

const key = (tokenHash: string) => ({ pk: `SIGNIN#${tokenHash}`, sk: "SIGNIN" });

const StoredSchema = z.object({
  tokenHash: z.string(),
  email: z.string(),
  kind: z.enum(["new_password", "totp", "totp_setup"]),
  sealed: z.string(),
  wrongAnswers: z.number().int().min(0),
  expiresAt: z.string(),
});

/**
 * Sign-ins waiting for a challenge's answer (packages/core/src/auth/challenges.ts), one item each, removed
 * by DynamoDB's TTL when abandoned. `take` is one conditional DeleteItem returning the old item: of two
 * requests with the same token only one gets it (the condition fails for the other; a bare delete with
 * ALL_OLD answered the item to both in DynamoDB Local).
 */
export function createDynamoPendingSignInStore(
  db: DynamoDBDocumentClient,
  tableName: string,
): PendingSignInStore {
  return {
    async put(pending) {
      await withDynamoErrors("pending sign-in", () =>
        db.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              ...key(pending.tokenHash),
              data: pending,
              ttl: Math.ceil(new Date(pending.expiresAt).getTime() / 1000),
            },
          }),
        ),
      );
    },
    async take(tokenHash): Promise<PendingSignIn | null> {
      try {
        const out = await withDynamoErrors("pending sign-in", () =>
          db.send(
            new DeleteCommand({
              TableName: tableName,
              Key: key(tokenHash),
              ConditionExpression: "attribute_exists(pk)",
              ReturnValues: "ALL_OLD",
            }),
          ),
        );
        const parsed = StoredSchema.safeParse(out.Attributes?.data);
        return parsed.success ? parsed.data : null;
      } catch (error) {
        if (error instanceof ConflictError) return null;
        throw error;
      }
    },
  };
}
