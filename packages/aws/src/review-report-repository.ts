import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { type ReviewReport, type ReviewReportRepository, ReviewReportSchema } from "@pledgewatch/core";
import { withDynamoErrors } from "./errors";

/**
 * Review reports (issue 8):
 *   review report   pk RREPORT#<id>   sk RREPORT    status
 *     an office's, newest first: gsi1pk RREPORTS#<agency>#<province>  gsi1sk <requestedAt>#<id>
 *     every office's (admins):   gsi2pk RREPORTS                     gsi2sk <requestedAt>#<id>
 * A report that is done is never written again (the update is conditional on the stored status), so its
 * file keys and the PDF's hash stay as they were when it was generated.
 */
function item(report: ReviewReport) {
  const sort = `${report.requestedAt}#${report.id}`;
  return {
    pk: `RREPORT#${report.id}`,
    sk: "RREPORT",
    gsi1pk: `RREPORTS#${report.agency}#${report.province}`,
    gsi1sk: sort,
    gsi2pk: "RREPORTS",
    gsi2sk: sort,
    status: report.status,
    data: ReviewReportSchema.parse(report),
  };
}

export function createDynamoReviewReportRepository(
  db: DynamoDBDocumentClient,
  tableName: string,
): ReviewReportRepository {
  return {
    async create(report) {
      await withDynamoErrors("review report", () =>
        db.send(
          new PutCommand({
            TableName: tableName,
            Item: item(report),
            ConditionExpression: "attribute_not_exists(pk)",
          }),
        ),
      );
    },

    async update(report) {
      await withDynamoErrors("review report", () =>
        db.send(
          new PutCommand({
            TableName: tableName,
            Item: item(report),
            ConditionExpression: "attribute_exists(pk) AND #status <> :done",
            ExpressionAttributeNames: { "#status": "status" },
            ExpressionAttributeValues: { ":done": "done" },
          }),
        ),
      );
    },

    async get(id) {
      const out = await withDynamoErrors("review report", () =>
        db.send(
          new GetCommand({
            TableName: tableName,
            Key: { pk: `RREPORT#${id}`, sk: "RREPORT" },
            ConsistentRead: true,
          }),
        ),
      );
      return out.Item ? ReviewReportSchema.parse(out.Item.data) : null;
    },

    async list(scope, limit) {
      const out = await withDynamoErrors("review reports", () =>
        db.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: scope ? "gsi1" : "gsi2",
            KeyConditionExpression: scope ? "gsi1pk = :pk" : "gsi2pk = :pk",
            ExpressionAttributeValues: {
              ":pk": scope ? `RREPORTS#${scope.agency}#${scope.province}` : "RREPORTS",
            },
            ScanIndexForward: false,
            Limit: limit,
          }),
        ),
      );
      return (out.Items ?? []).map((i) => ReviewReportSchema.parse(i.data));
    },
  };
}
