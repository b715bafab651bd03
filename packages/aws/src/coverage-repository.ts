import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from "@aws-sdk/lib-dynamodb";
import {
  ConflictError,
  type CoverageCell,
  type CoverageReport,
  CoverageReportSchema,
  type CoverageRepository,
  cellId,
  parseCellId,
  type ReconciliationRecord,
  StoredRenewalSettingsSchema,
} from "@pledgewatch/core";
import { deltaItems, LIVE_PK, quarterPk } from "./coverage-counters";
import { withDynamoErrors } from "./errors";

/**
 * The rest of the renewal cycle's records (counters: see coverage-counters.ts):
 *   renewal settings   pk RENEWALSET          sk <province>
 *   once-only mark     pk MARK#<key>          sk MARK            rollover, day, reminder, digest
 *   reconciliation     pk COVRECON            sk <at>#<id>
 *   report             pk REPORT#<id>         sk REPORT          gsi1 REPORTS / <requestedAt>#<id>
 */
export function createDynamoCoverageRepository(
  db: DynamoDBDocumentClient,
  tableName: string,
): CoverageRepository {
  async function cellsOf(pk: string): Promise<{ cells: CoverageCell[]; closedAt?: string }> {
    const cells: CoverageCell[] = [];
    let closedAt: string | undefined;
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await withDynamoErrors("coverage", () =>
        db.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: "pk = :pk",
            ExpressionAttributeValues: { ":pk": pk },
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      for (const item of out.Items ?? []) {
        if (item.sk === "CLOSED") {
          closedAt = String(item.closedAt);
          continue;
        }
        cells.push({
          ...parseCellId(String(item.sk)),
          obligated: Number(item.obligated ?? 0),
          signed: Number(item.signed ?? 0),
        });
      }
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return { cells, ...(closedAt ? { closedAt } : {}) };
  }

  const put = (item: Record<string, unknown>, what: string) =>
    withDynamoErrors(what, () => db.send(new PutCommand({ TableName: tableName, Item: item })));

  return {
    async liveCells() {
      return (await cellsOf(LIVE_PK)).cells.map((c) => ({ ...c, signed: 0 }));
    },

    quarterCounters: (quarter) => cellsOf(quarterPk(quarter)),

    async closeQuarter(quarter, obligated, at) {
      const items = [
        {
          Put: {
            TableName: tableName,
            Item: { pk: quarterPk(quarter), sk: "CLOSED", closedAt: at },
            ConditionExpression: "attribute_not_exists(pk)",
          },
        },
        ...obligated.map((cell) => ({
          Update: {
            TableName: tableName,
            Key: { pk: quarterPk(quarter), sk: cellId(cell) },
            UpdateExpression: "SET #o = :o, #a = :a, #f = :f, #p = :p",
            ExpressionAttributeNames: { "#o": "obligated", "#a": "agency", "#f": "family", "#p": "province" },
            ExpressionAttributeValues: {
              ":o": cell.obligated,
              ":a": cell.agency,
              ":f": cell.family,
              ":p": cell.province,
            },
          },
        })),
      ];
      // The marker first, alone: a second close finds it and changes nothing.
      try {
        await withDynamoErrors("close quarter", () =>
          db.send(new TransactWriteCommand({ TransactItems: items.slice(0, 1) })),
        );
      } catch (error) {
        if (error instanceof ConflictError) return false;
        throw error;
      }
      for (let i = 1; i < items.length; i += 100) {
        await withDynamoErrors("close quarter", () =>
          db.send(new TransactWriteCommand({ TransactItems: items.slice(i, i + 100) })),
        );
      }
      return true;
    },

    async adjust(quarter, deltas) {
      const items = deltaItems(tableName, {
        live: deltas.filter((d) => d.obligated !== 0),
        quarters: new Map([[quarter, deltas.filter((d) => d.signed !== 0)]]),
      });
      for (let i = 0; i < items.length; i += 100) {
        await withDynamoErrors("coverage repair", () =>
          db.send(new TransactWriteCommand({ TransactItems: items.slice(i, i + 100) })),
        );
      }
    },

    async saveReconciliation(record: ReconciliationRecord) {
      await put({ pk: "COVRECON", sk: `${record.at}#${record.id}`, data: record }, "reconciliation");
    },

    async reconciliations(limit) {
      const out = await withDynamoErrors("reconciliations", () =>
        db.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: "pk = :pk",
            ExpressionAttributeValues: { ":pk": "COVRECON" },
            ScanIndexForward: false,
            Limit: limit,
          }),
        ),
      );
      return (out.Items ?? []).map((item) => item.data as ReconciliationRecord);
    },

    async getSettings(province) {
      const out = await withDynamoErrors("renewal settings", () =>
        db.send(new GetCommand({ TableName: tableName, Key: { pk: "RENEWALSET", sk: province } })),
      );
      return out.Item ? StoredRenewalSettingsSchema.parse(out.Item.data) : null;
    },

    async putSettings(settings) {
      await put({ pk: "RENEWALSET", sk: settings.province, data: settings }, "renewal settings");
    },

    async markOnce(key, at) {
      try {
        await db.send(
          new PutCommand({
            TableName: tableName,
            Item: { pk: `MARK#${key}`, sk: "MARK", at },
            ConditionExpression: "attribute_not_exists(pk)",
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof Error && error.name === "ConditionalCheckFailedException") return false;
        return withDynamoErrors("mark", () => Promise.reject(error));
      }
    },

    async markedAt(key) {
      const out = await withDynamoErrors("mark", () =>
        db.send(new GetCommand({ TableName: tableName, Key: { pk: `MARK#${key}`, sk: "MARK" } })),
      );
      return typeof out.Item?.at === "string" ? out.Item.at : null;
    },

    async createReport(report: CoverageReport) {
      await withDynamoErrors("report", () =>
        db.send(
          new PutCommand({
            TableName: tableName,
            Item: reportItem(report),
            ConditionExpression: "attribute_not_exists(pk)",
          }),
        ),
      );
    },

    async updateReport(report) {
      await put(reportItem(report), "report");
    },

    async getReport(id) {
      const out = await withDynamoErrors("report", () =>
        db.send(
          new GetCommand({
            TableName: tableName,
            Key: { pk: `REPORT#${id}`, sk: "REPORT" },
            ConsistentRead: true,
          }),
        ),
      );
      return out.Item ? CoverageReportSchema.parse(out.Item.data) : null;
    },

    async listReports(limit) {
      const out = await withDynamoErrors("reports", () =>
        db.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: "gsi1",
            KeyConditionExpression: "gsi1pk = :pk",
            ExpressionAttributeValues: { ":pk": "REPORTS" },
            ScanIndexForward: false,
            Limit: limit,
          }),
        ),
      );
      return (out.Items ?? []).map((item) => CoverageReportSchema.parse(item.data));
    },
  };
}

function reportItem(report: CoverageReport) {
  return {
    pk: `REPORT#${report.id}`,
    sk: "REPORT",
    gsi1pk: "REPORTS",
    gsi1sk: `${report.requestedAt}#${report.id}`,
    data: report,
  };
}
