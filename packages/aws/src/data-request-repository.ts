import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from "@aws-sdk/lib-dynamodb";
import { type DataRequest, type DataRequestRepository, DataRequestSchema } from "@pledgewatch/core";
import { withDynamoErrors } from "./errors";

/**
 * Data subject requests (issue 19, item 8; keys also listed in tables.ts):
 *   request          pk DSR#<id>   sk DSR    version
 *     an office's, newest first: gsi1pk DSRS#<agency>#<province>  gsi1sk <receivedAt>#<id>
 *     answered, oldest first:    gsi2pk DSRANSWERED               gsi2sk <answeredAt>#<id>  (retention)
 */
function item(request: DataRequest) {
  return {
    pk: `DSR#${request.id}`,
    sk: "DSR",
    gsi1pk: `DSRS#${request.agency}#${request.province}`,
    gsi1sk: `${request.receivedAt}#${request.id}`,
    ...(request.answeredAt ? { gsi2pk: "DSRANSWERED", gsi2sk: `${request.answeredAt}#${request.id}` } : {}),
    version: request.version,
    data: DataRequestSchema.parse(request),
  };
}

const key = (id: string) => ({ pk: `DSR#${id}`, sk: "DSR" });

export function createDynamoDataRequestRepository(
  db: DynamoDBDocumentClient,
  tableName: string,
): DataRequestRepository {
  return {
    async create(request) {
      await withDynamoErrors("data request", () =>
        db.send(
          new PutCommand({
            TableName: tableName,
            Item: item(request),
            ConditionExpression: "attribute_not_exists(pk)",
          }),
        ),
      );
    },

    async get(id) {
      const out = await withDynamoErrors("data request", () =>
        db.send(new GetCommand({ TableName: tableName, Key: key(id), ConsistentRead: true })),
      );
      return out.Item ? DataRequestSchema.parse(out.Item.data) : null;
    },

    async update(next, expectedVersion) {
      await withDynamoErrors("data request", () =>
        db.send(
          new PutCommand({
            TableName: tableName,
            Item: item(next),
            ConditionExpression: "version = :v",
            ExpressionAttributeValues: { ":v": expectedVersion },
          }),
        ),
      );
    },

    async listOffice(agency, province, limit) {
      const out = await withDynamoErrors("data requests", () =>
        db.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: "gsi1",
            KeyConditionExpression: "gsi1pk = :pk",
            ExpressionAttributeValues: { ":pk": `DSRS#${agency}#${province}` },
            ScanIndexForward: false,
            Limit: limit,
          }),
        ),
      );
      return (out.Items ?? []).map((i) => DataRequestSchema.parse(i.data));
    },

    async answeredBefore(before, limit) {
      const out = await withDynamoErrors("answered data requests", () =>
        db.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: "gsi2",
            KeyConditionExpression: "gsi2pk = :pk AND gsi2sk < :before",
            ExpressionAttributeValues: { ":pk": "DSRANSWERED", ":before": before },
            Limit: limit,
          }),
        ),
      );
      return (out.Items ?? []).map((i) => ({ id: String(i.pk).slice("DSR#".length) }));
    },

    async delete(id) {
      await withDynamoErrors("data request", () =>
        db.send(new DeleteCommand({ TableName: tableName, Key: key(id) })),
      );
    },
  };
}
