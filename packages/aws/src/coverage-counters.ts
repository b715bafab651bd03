import type { TransactWriteCommandInput } from "@aws-sdk/lib-dynamodb";
import { type CoverageCell, cellId, coverageDelta, type PartyWrite, quarterId } from "@pledgewatch/core";

type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

/**
 * Coverage counters in the single table (see tables.ts):
 *   live obligated    pk COVLIVE            sk <agency>#<family>#<province>   obligated
 *   quarter counters  pk COVQ#<quarter>     sk <agency>#<family>#<province>   signed (+ obligated once frozen)
 *   frozen marker     pk COVQ#<quarter>     sk CLOSED                          closedAt
 * One query reads all cells of the live counters or of a quarter (3 agencies × 4 families × 34
 * provinces at most), so reading coverage never reads the registry.
 */
export const LIVE_PK = "COVLIVE";
export const quarterPk = (quarter: string) => `COVQ#${quarter}`;

/** Cell deltas of a set of party writes: obligated on the live counters, signed on the write's quarter. */
export function counterDeltas(writes: readonly PartyWrite[]): {
  live: CoverageCell[];
  quarters: Map<string, CoverageCell[]>;
} {
  const byQuarter = new Map<string, PartyWrite[]>();
  for (const write of writes) {
    const quarter = quarterId(new Date(write.change.at));
    byQuarter.set(quarter, [...(byQuarter.get(quarter) ?? []), write]);
  }
  const live = new Map<string, CoverageCell>();
  const quarters = new Map<string, CoverageCell[]>();
  for (const [quarter, group] of byQuarter) {
    const delta = coverageDelta(group, quarter);
    for (const cell of delta) {
      if (cell.obligated !== 0) {
        const sum = live.get(cellId(cell)) ?? { ...cell, obligated: 0, signed: 0 };
        sum.obligated += cell.obligated;
        live.set(cellId(cell), sum);
      }
    }
    const signed = delta.filter((c) => c.signed !== 0);
    if (signed.length > 0) quarters.set(quarter, signed);
  }
  return { live: [...live.values()].filter((c) => c.obligated !== 0), quarters };
}

function addItem(
  tableName: string,
  pk: string,
  cell: CoverageCell,
  attribute: "obligated" | "signed",
): TransactItem {
  return {
    Update: {
      TableName: tableName,
      Key: { pk, sk: cellId(cell) },
      UpdateExpression: "ADD #n :d SET #a = :a, #f = :f, #p = :p",
      ExpressionAttributeNames: { "#n": attribute, "#a": "agency", "#f": "family", "#p": "province" },
      ExpressionAttributeValues: {
        ":d": cell[attribute],
        ":a": cell.agency,
        ":f": cell.family,
        ":p": cell.province,
      },
    },
  };
}

/** Counter updates (one ADD per changed cell) for the transaction that makes these writes. */
export function counterItems(tableName: string, writes: readonly PartyWrite[]): TransactItem[] {
  return deltaItems(tableName, counterDeltas(writes));
}

export function deltaItems(
  tableName: string,
  { live, quarters }: { live: CoverageCell[]; quarters: Map<string, CoverageCell[]> },
): TransactItem[] {
  const items = live.map((cell) => addItem(tableName, LIVE_PK, cell, "obligated"));
  for (const [quarter, cells] of quarters) {
    for (const cell of cells) items.push(addItem(tableName, quarterPk(quarter), cell, "signed"));
  }
  return items;
}
