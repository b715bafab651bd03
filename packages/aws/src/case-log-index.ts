import { type DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { type CaseLogEntry, CaseLogEntrySchema, type CaseLogIndex } from "@pledgewatch/core";
import { withDynamoErrors } from "./errors";

/**
 * The case log by agency × province × time, for metrics and reports (no Scan). Each log entry item
 * (case-repository.ts writes it, append-only) also carries
 *   gsi1pk CASELOG#<agency>#<province>#<yyyy-mm of `at`, UTC>   gsi1sk <at>#<case id>#<version>#<seq>
 * so a period is one Query per month it touches. Month partitions keep each partition to a month of one
 * office's work; entries never move, so the index needs no maintenance.
 *
 * Kept apart from the case repository: the repository owns the case's consistency (versioned
 * transactions), this module only reads what those transactions wrote, and `caseLogIndexKeys` is the one
 * line the repository spreads into a log item.
 */
const pad = (n: number, width: number) => String(n).padStart(width, "0");

export function caseLogIndexKeys(
  entry: Pick<CaseLogEntry, "agency" | "province" | "at" | "caseId" | "version" | "seq">,
) {
  return {
    gsi1pk: `CASELOG#${entry.agency}#${entry.province}#${entry.at.slice(0, 7)}`,
    gsi1sk: `${entry.at}#${entry.caseId}#${pad(entry.version, 10)}#${pad(entry.seq, 3)}`,
  };
}

/** Every month (yyyy-mm) from `from`'s to the one before `to` ends. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  const last = to.slice(0, 7);
  for (;;) {
    const month = `${y}-${pad(m, 2)}`;
    if (month > last) break;
    months.push(month);
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
  return months;
}

export function createDynamoCaseLogIndex(db: DynamoDBDocumentClient, tableName: string): CaseLogIndex {
  const page = (query: { agency: string; province: string; from: string; to: string }, month: string) => ({
    TableName: tableName,
    IndexName: "gsi1",
    // BETWEEN is inclusive: an entry at exactly `to` sorts after "<to>" (its key goes on with "#").
    KeyConditionExpression: "gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to",
    ExpressionAttributeValues: {
      ":pk": `CASELOG#${query.agency}#${query.province}#${month}`,
      ":from": query.from,
      ":to": query.to,
    },
  });
  return {
    async any(query) {
      for (const month of monthsBetween(query.from, query.to)) {
        const out = await withDynamoErrors("case log index", () =>
          db.send(new QueryCommand({ ...page(query, month), Limit: 1, ProjectionExpression: "pk" })),
        );
        if ((out.Items ?? []).length > 0) return true;
      }
      return false;
    },

    async entries({ agency, province, from, to }) {
      const entries: CaseLogEntry[] = [];
      for (const month of monthsBetween(from, to)) {
        let startKey: Record<string, unknown> | undefined;
        do {
          const out = await withDynamoErrors("case log index", () =>
            db.send(
              new QueryCommand({
                ...page({ agency, province, from, to }, month),
                ExclusiveStartKey: startKey,
              }),
            ),
          );
          for (const item of out.Items ?? []) entries.push(CaseLogEntrySchema.parse(item.data));
          startKey = out.LastEvaluatedKey;
        } while (startKey);
      }
      return entries;
    },
  };
}
