import { randomUUID } from "node:crypto";
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { DocumentStore, Mailer, OutboxMessage, OutboxReader } from "@pledgewatch/core";
import { z } from "zod";
import { withDynamoErrors } from "./errors";

const OutboxMessageSchema = z.object({
  id: z.string(),
  at: z.string(),
  to: z.string(),
  subject: z.string(),
  text: z.string(),
  kind: z.string(),
  partyId: z.string().optional(),
  attachments: z.array(
    z.object({ filename: z.string(), contentType: z.string(), key: z.string(), size: z.number() }),
  ),
});

/** Messages are kept 30 days. */
const OUTBOX_TTL_SECONDS = 30 * 86_400;

/**
 * The local stand-in for SES: every e-mail is kept in DynamoDB (attachments in the document store) and
 * shown on the console's outbox page. Used by `npm start` and the tests, never on AWS.
 */
export function createDynamoOutbox(
  db: DynamoDBDocumentClient,
  tableName: string,
  files: DocumentStore,
  now: () => Date = () => new Date(),
): Mailer & OutboxReader {
  return {
    async send(message) {
      if (/[\r\n]/.test(message.to) || /[\r\n]/.test(message.subject)) {
        throw new Error("Line breaks are not allowed in e-mail headers");
      }
      const at = now();
      // Sortable by time and safe as a file-name part: 20260210T030000123Z-1a2b3c4d.
      const id = `${at.toISOString().replace(/[-:.]/g, "")}-${randomUUID().slice(0, 8)}`;
      const attachments = [];
      for (const [index, attachment] of (message.attachments ?? []).entries()) {
        const key = `outbox/${id}/${index}`;
        await files.put(key, attachment.content, attachment.contentType);
        attachments.push({
          filename: attachment.filename,
          contentType: attachment.contentType,
          key,
          size: attachment.content.length,
        });
      }
      const stored: OutboxMessage = {
        id,
        at: at.toISOString(),
        to: message.to,
        subject: message.subject,
        text: message.text,
        kind: message.kind,
        ...(message.partyId ? { partyId: message.partyId } : {}),
        attachments,
      };
      await withDynamoErrors("outbox", () =>
        db.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              pk: "OUTBOX",
              sk: id,
              data: stored,
              ttl: Math.floor(at.getTime() / 1000) + OUTBOX_TTL_SECONDS,
            },
          }),
        ),
      );
    },

    async list(limit) {
      const out = await withDynamoErrors("outbox", () =>
        db.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: "pk = :pk",
            ExpressionAttributeValues: { ":pk": "OUTBOX" },
            ScanIndexForward: false,
            Limit: limit,
          }),
        ),
      );
      return (out.Items ?? []).map((item) => OutboxMessageSchema.parse(item.data));
    },

    async get(id) {
      const out = await withDynamoErrors("outbox", () =>
        db.send(new GetCommand({ TableName: tableName, Key: { pk: "OUTBOX", sk: id } })),
      );
      return out.Item ? OutboxMessageSchema.parse(out.Item.data) : null;
    },
  };
}
