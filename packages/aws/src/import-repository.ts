import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import {
  ConflictError,
  type ImportJob,
  ImportJobSchema,
  type ImportRepository,
  StoredRowPlanSchema,
  type UndoEntry,
  UndoEntrySchema,
} from "@pledgewatch/core";
import { z } from "zod";
import { withDynamoErrors } from "./errors";

const pk = (id: string) => `IMPORT#${id}`;
const PLAN_CHUNK = 100;
const pad = (n: number) => String(n).padStart(6, "0");
/** Undo entries per stored item. */
const UNDO_PART = 25;

/**
 * Import jobs: the job record (status changes are conditional, so two commits cannot both start), its
 * plan in chunks of 100 rows, and the before-images of each committed batch for rollback.
 */
export function createDynamoImportRepository(
  db: DynamoDBDocumentClient,
  tableName: string,
): ImportRepository {
  async function queryPrefix(id: string, prefix: string) {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await withDynamoErrors("import", () =>
        db.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
            ExpressionAttributeValues: { ":pk": pk(id), ":prefix": prefix },
            ConsistentRead: true,
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      items.push(...(out.Items ?? []));
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  return {
    async create(job, plans) {
      // The plan first, the job record last: a job that exists always has its whole plan.
      const chunks = [];
      for (let i = 0; i < plans.length; i += PLAN_CHUNK) chunks.push(plans.slice(i, i + PLAN_CHUNK));
      for (let i = 0; i < chunks.length; i += 25) {
        const requests = chunks.slice(i, i + 25).map((rows, j) => ({
          PutRequest: { Item: { pk: pk(job.id), sk: `PLAN#${pad(i + j)}`, rows } },
        }));
        let pending: typeof requests | undefined = requests;
        for (let attempt = 0; pending && pending.length > 0 && attempt < 8; attempt++) {
          const out = await withDynamoErrors("import plan", () =>
            db.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending ?? [] } })),
          );
          pending = out.UnprocessedItems?.[tableName] as typeof requests | undefined;
          if (pending && pending.length > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
        }
        if (pending && pending.length > 0) throw new ConflictError("import plan could not be stored");
      }
      await withDynamoErrors("import", () =>
        db.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              pk: pk(job.id),
              sk: "META",
              status: job.status,
              gsi1pk: `IMPORTS#${job.agency}#${job.province}`,
              gsi1sk: `${job.createdAt}#${job.id}`,
              data: job,
            },
            ConditionExpression: "attribute_not_exists(pk)",
          }),
        ),
      );
    },

    async get(id) {
      const out = await withDynamoErrors("import", () =>
        db.send(
          new GetCommand({ TableName: tableName, Key: { pk: pk(id), sk: "META" }, ConsistentRead: true }),
        ),
      );
      return out.Item ? ImportJobSchema.parse(out.Item.data) : null;
    },

    async transition(id, from, patch) {
      const current = await this.get(id);
      if (!current || !from.includes(current.status)) {
        throw new ConflictError(`Import ${id} is ${current?.status ?? "missing"}, not ${from.join("/")}`);
      }
      const next: ImportJob = ImportJobSchema.parse({ ...current, ...patch });
      for (const key of Object.keys(patch) as (keyof ImportJob)[]) {
        if (patch[key] === undefined) delete next[key];
      }
      await withDynamoErrors("import", () =>
        db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: pk(id), sk: "META" },
            UpdateExpression: "SET #status = :next, #data = :data",
            // Compare-and-set on the status and the exact record read, so concurrent transitions serialise.
            ConditionExpression: "#status = :current AND #data.#updatedAt = :updatedAt",
            ExpressionAttributeNames: { "#status": "status", "#data": "data", "#updatedAt": "updatedAt" },
            ExpressionAttributeValues: {
              ":next": next.status,
              ":data": next,
              ":current": current.status,
              ":updatedAt": current.updatedAt,
            },
          }),
        ),
      ).catch(async (error: unknown) => {
        // Two progress updates in the same millisecond are not a conflict worth failing an import for.
        if (error instanceof ConflictError && patch.status === undefined) {
          const again = await this.get(id);
          if (again && from.includes(again.status)) return this.transition(id, from, patch);
        }
        throw error;
      });
      return next;
    },

    async plans(id) {
      const items = await queryPrefix(id, "PLAN#");
      return items.flatMap((item) => z.array(StoredRowPlanSchema).parse(item.rows));
    },

    async saveUndo(id, batch, entries) {
      // A batch's before-images in parts of UNDO_PART entries: one item stays far below DynamoDB's 400 KB
      // even for parties with long notes and many contacts. Written before the batch, read only to roll back.
      const parts: UndoEntry[][] = [];
      for (let i = 0; i < entries.length; i += UNDO_PART) parts.push(entries.slice(i, i + UNDO_PART));
      await Promise.all(
        parts.map((part, n) =>
          withDynamoErrors("import undo", () =>
            db.send(
              new PutCommand({
                TableName: tableName,
                Item: { pk: pk(id), sk: `UNDO#${pad(batch)}#${pad(n)}`, entries: part },
              }),
            ),
          ),
        ),
      );
    },

    async undo(id) {
      const byBatch = new Map<string, UndoEntry[]>();
      for (const item of await queryPrefix(id, "UNDO#")) {
        const batch = String(item.sk).split("#")[1] ?? "";
        const entries = z.array(UndoEntrySchema).parse(item.entries);
        byBatch.set(batch, [...(byBatch.get(batch) ?? []), ...entries]);
      }
      // Keys sort by batch, then part: the map keeps that order.
      return [...byBatch.values()];
    },

    async list(agency, province, limit) {
      const out = await withDynamoErrors("imports", () =>
        db.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: "gsi1",
            KeyConditionExpression: "gsi1pk = :pk",
            ExpressionAttributeValues: { ":pk": `IMPORTS#${agency}#${province}` },
            ScanIndexForward: false,
            Limit: limit,
          }),
        ),
      );
      return (out.Items ?? []).map((item) => ImportJobSchema.parse(item.data));
    },
  };
}
