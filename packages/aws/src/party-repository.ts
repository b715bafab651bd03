import { randomUUID } from "node:crypto";
import {
  BatchGetCommand,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from "@aws-sdk/lib-dynamodb";
import {
  foldVietnamese,
  InvalidError,
  identifierKeys,
  type Party,
  type PartyChange,
  PartyChangeSchema,
  type PartyPage,
  type PartyRepository,
  PartySchema,
  type PartyWrite,
  searchSuffixes,
  UnavailableError,
} from "@pledgewatch/core";
import { counterItems } from "./coverage-counters";
import { withDynamoErrors } from "./errors";

type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

const partyPk = (id: string) => `PARTY#${id}`;
const claimKey = (key: string) => ({ pk: `PARTYKEY#${key}`, sk: "CLAIM" });
/** DynamoDB allows 100 items in one transaction. */
const MAX_TRANSACTION_ITEMS = 100;

/** Search entries are spread over partitions by their first two letters. */
const searchPartition = (agency: string, suffix: string) => `PSEARCH#${agency}#${suffix.slice(0, 2)}`;

export function encodeCursor(key: Record<string, unknown> | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key)).toString("base64url") : undefined;
}

export function decodeCursor(cursor: string | undefined): Record<string, unknown> | undefined {
  if (!cursor) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (value && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new InvalidError("Invalid cursor", [{ field: "cursor", message: "Con trỏ trang không hợp lệ" }]);
}

/**
 * How a party's name suffixes are spread over its items: the first on the party item, then one on each
 * identifier claim (claims are rewritten with the party on every write anyway, so carrying an entry costs
 * nothing), and only the rest as search entries of their own (`TOK#<suffix>`). A company with a tax code
 * and three entries thus needs one search item instead of two.
 */
function searchLayout(party: Party) {
  const [first, ...others] = searchSuffixes(party.name);
  const keys = identifierKeys(party);
  return { first, keys, carried: others.slice(0, keys.length), tokens: others.slice(keys.length) };
}

/**
 * The items one party write puts and deletes: the party (conditional on its version), a list entry per
 * province, a claim per identifier key, a search entry per name suffix (the first on the party item, the
 * next ones on the claims: `searchLayout`), and a history entry. Exported for bulk loading in
 * benchmarks, which write the same items without the conditions.
 */
export function partyWriteItems(tableName: string, { before, after, change }: PartyWrite): TransactItem[] {
  const pk = partyPk(after.id);
  const items: TransactItem[] = [];
  const sortName = foldVietnamese(after.name);
  const listKeys = (p: Party, province: string) => ({
    gsi1pk: `PARTIES#${p.agency}#${province}`,
    gsi1sk: `${p.group}#${foldVietnamese(p.name)}#${p.id}`,
  });
  const layout = searchLayout(after);
  const fullName = layout.first;
  const [onlyProvince] = after.provinces;
  // Most parties are in one province: the party item itself is then their list entry, and it is always
  // the search entry of the full name, so a typical party needs two items fewer.
  items.push({
    Put: {
      TableName: tableName,
      Item: {
        pk,
        sk: "PARTY",
        version: after.version,
        ...(after.provinces.length === 1 && onlyProvince ? listKeys(after, onlyProvince) : {}),
        ...(fullName
          ? { gsi2pk: searchPartition(after.agency, fullName), gsi2sk: `${fullName}#${after.id}` }
          : {}),
        data: after,
      },
      ...(before
        ? {
            ConditionExpression: "#version = :expected",
            ExpressionAttributeNames: { "#version": "version" },
            ExpressionAttributeValues: { ":expected": before.version },
          }
        : { ConditionExpression: "attribute_not_exists(pk)" }),
    },
  });
  // A party in several provinces has one list entry per province.
  const provinceEntries = (p: Party | null) => (p && p.provinces.length > 1 ? p.provinces : []);
  for (const province of provinceEntries(after)) {
    items.push({
      Put: {
        TableName: tableName,
        Item: {
          pk,
          sk: `PROV#${province}`,
          gsi1pk: `PARTIES#${after.agency}#${province}`,
          gsi1sk: `${after.group}#${sortName}#${after.id}`,
          data: after,
        },
      },
    });
  }
  for (const province of provinceEntries(before)) {
    if (!provinceEntries(after).includes(province)) {
      items.push({ Delete: { TableName: tableName, Key: { pk, sk: `PROV#${province}` } } });
    }
  }
  for (const suffix of layout.tokens) {
    items.push({
      Put: {
        TableName: tableName,
        Item: {
          pk,
          sk: `TOK#${suffix}`,
          gsi2pk: searchPartition(after.agency, suffix),
          gsi2sk: `${suffix}#${after.id}`,
          data: after,
        },
      },
    });
  }
  for (const suffix of before ? searchLayout(before).tokens : []) {
    if (!layout.tokens.includes(suffix)) {
      items.push({ Delete: { TableName: tableName, Key: { pk, sk: `TOK#${suffix}` } } });
    }
  }
  const keys = layout.keys;
  for (const [index, key] of keys.entries()) {
    const suffix = layout.carried[index];
    items.push({
      Put: {
        TableName: tableName,
        Item: {
          ...claimKey(key),
          partyId: after.id,
          ...(suffix
            ? {
                gsi2pk: searchPartition(after.agency, suffix),
                gsi2sk: `${suffix}#${after.id}`,
                data: after,
              }
            : {}),
        },
        // Two parties never hold the same identifier; re-claiming one's own is fine.
        ConditionExpression: "attribute_not_exists(pk) OR partyId = :id",
        ExpressionAttributeValues: { ":id": after.id },
      },
    });
  }
  for (const key of before ? identifierKeys(before) : []) {
    if (!keys.includes(key)) items.push({ Delete: { TableName: tableName, Key: claimKey(key) } });
  }
  items.push({
    Put: {
      TableName: tableName,
      Item: { pk, sk: `HIST#${change.at}#${randomUUID().slice(0, 8)}`, data: change },
    },
  });
  return items;
}

/** The change a removal is counted under (never stored: the party's items go). */
function removal(party: Party) {
  return {
    partyId: party.id,
    at: party.updatedAt,
    by: party.updatedBy,
    action: "import_rolled_back" as const,
    after: party,
  };
}

/**
 * The history entry of a creation by an import, which `bulkCreate` does not store: who and when are on the
 * party, and its first version is the `before` of its first stored change (or the party itself when it has
 * not changed since). Newest first, so it goes last.
 */
function importedCreation(party: Party, changes: PartyChange[]): PartyChange | undefined {
  if (!party.createdByImport || changes.some((change) => change.before === null)) return undefined;
  const first = changes.find((change) => change.before?.version === 1)?.before ?? party;
  return {
    partyId: party.id,
    at: party.createdAt,
    by: party.createdBy,
    action: "imported_created",
    importId: party.createdByImport,
    before: null,
    after: first,
  };
}

/**
 * Parties in the single table. One write touches, in one transaction: the party item (conditional on
 * its version), one list entry per province (gsi1: agency × province, sorted by group and name), one
 * search entry per name suffix (gsi2, spread by `searchLayout`), one claim per identifier key, and a
 * history entry (derived instead for a creation by `bulkCreate`: `importedCreation`).
 */
/** The table the party repository uses: batch reads, paged queries with filters, bulk and counted writes. */
function partyTable(db: DynamoDBDocumentClient, tableName: string) {
  const itemsFor = (write: PartyWrite) => partyWriteItems(tableName, write);

  /** BatchGetItem in groups of 100 keys, 4 groups in flight, retrying what DynamoDB leaves unprocessed. */
  async function batchGet(keys: Record<string, string>[], projection?: string) {
    const groups: Record<string, unknown>[][] = [];
    for (let i = 0; i < keys.length; i += 100) groups.push(keys.slice(i, i + 100));
    const results: Record<string, unknown>[][] = [];
    let next = 0;
    const worker = async () => {
      while (next < groups.length) {
        const index = next++;
        const items: Record<string, unknown>[] = [];
        let pending: Record<string, unknown>[] | undefined = groups[index];
        for (let attempt = 0; pending && pending.length > 0; attempt++) {
          if (attempt > 8) throw new UnavailableError("party lookup: DynamoDB kept keys unprocessed");
          const request: Record<string, unknown>[] = pending;
          const out = await withDynamoErrors("party lookup", () =>
            db.send(
              new BatchGetCommand({
                RequestItems: {
                  [tableName]: { Keys: request, ...(projection ? { ProjectionExpression: projection } : {}) },
                },
              }),
            ),
          );
          items.push(...(out.Responses?.[tableName] ?? []));
          pending = out.UnprocessedKeys?.[tableName]?.Keys;
          if (pending && pending.length > 0) await new Promise((r) => setTimeout(r, 25 * 2 ** attempt));
        }
        results[index] = items;
      }
    };
    await Promise.all(Array.from({ length: Math.min(4, groups.length) }, worker));
    return results.flat();
  }

  async function queryAll(input: QueryCommandInput, what: string) {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await withDynamoErrors(what, () =>
        db.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey })),
      );
      items.push(...(out.Items ?? []));
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  /** Pages through a filtered query without over-reading: each call evaluates at most what is still needed. */
  /**
   * One page of a filtered index query. A filter drops items after DynamoDB has read them, so each
   * round reads a generous slice (at least 200 items); when more match than the page holds, the cursor is
   * the key of the last item returned, so nothing between it and the end of the slice is skipped.
   */
  async function filteredPage(
    input: QueryCommandInput,
    keyNames: readonly string[],
    limit: number,
    cursor: string | undefined,
    what: string,
  ): Promise<PartyPage> {
    const items: Party[] = [];
    const seen = new Set<string>();
    let startKey = decodeCursor(cursor);
    const hasFilter = Boolean(input.FilterExpression);
    for (let round = 0; round < 25 && items.length < limit; round++) {
      const needed = limit - items.length;
      const out = await withDynamoErrors(what, () =>
        db.send(
          new QueryCommand({
            ...input,
            Limit: hasFilter ? Math.max(needed * 4, 200) : needed,
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      const matches = out.Items ?? [];
      for (const [index, item] of matches.entries()) {
        const party = PartySchema.parse(item.data);
        if (!seen.has(party.id)) {
          seen.add(party.id);
          items.push(party);
        }
        if (items.length === limit && (index < matches.length - 1 || out.LastEvaluatedKey)) {
          return { items, next: encodeCursor(Object.fromEntries(keyNames.map((k) => [k, item[k]]))) };
        }
      }
      startKey = out.LastEvaluatedKey;
      if (!startKey) break;
    }
    return { items, next: encodeCursor(startKey) };
  }

  /** Claims transactionally (no identifier taken twice), the parties' own items in batches. */
  async function bulkWrite(writes: PartyWrite[]) {
    const claims: TransactItem[] = [];
    const rest: Record<string, unknown>[] = [];
    for (const write of writes) {
      if (write.before !== null) throw new Error("bulkCreate takes new parties only");
      for (const item of partyWriteItems(tableName, write)) {
        const put = item.Put;
        if (!put) continue;
        // The creation's history entry is derived from the party (`createdByImport`), not stored.
        if (write.after.createdByImport && String(put.Item?.sk).startsWith("HIST#")) continue;
        if (String(put.Item?.pk).startsWith("PARTYKEY#")) claims.push(item);
        // New parties have fresh ids: their own items need no condition.
        else rest.push(put.Item as Record<string, unknown>);
      }
    }
    for (let i = 0; i < claims.length; i += MAX_TRANSACTION_ITEMS) {
      await withDynamoErrors("party identifiers", () =>
        db.send(new TransactWriteCommand({ TransactItems: claims.slice(i, i + MAX_TRANSACTION_ITEMS) })),
      );
    }
    for (let i = 0; i < rest.length; i += 25) {
      let pending: { PutRequest: { Item: Record<string, unknown> } }[] | undefined = rest
        .slice(i, i + 25)
        .map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; pending && pending.length > 0; attempt++) {
        if (attempt > 8) throw new UnavailableError("party write: DynamoDB kept items unprocessed");
        const request = pending;
        const out = await withDynamoErrors("party", () =>
          db.send(new BatchWriteCommand({ RequestItems: { [tableName]: request } })),
        );
        pending = out.UnprocessedItems?.[tableName] as typeof pending;
        if (pending && pending.length > 0) await new Promise((r) => setTimeout(r, 25 * 2 ** attempt));
      }
    }
  }
  /** Adds the counters of parties created without a transaction, aggregated per cell. */
  async function addCounters(writes: PartyWrite[]) {
    const items = counterItems(tableName, writes);
    for (let i = 0; i < items.length; i += MAX_TRANSACTION_ITEMS) {
      await withDynamoErrors("coverage counters", () =>
        db.send(new TransactWriteCommand({ TransactItems: items.slice(i, i + MAX_TRANSACTION_ITEMS) })),
      );
    }
  }

  function filters(group?: string, status?: string, province?: string) {
    const parts: string[] = [];
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    if (group) {
      parts.push("#data.#group = :group");
      names["#data"] = "data";
      names["#group"] = "group";
      values[":group"] = group;
    }
    if (status) {
      parts.push("#data.#status = :status");
      names["#data"] = "data";
      names["#status"] = "status";
      values[":status"] = status;
    }
    if (province) {
      parts.push("contains(#data.#provinces, :province)");
      names["#data"] = "data";
      names["#provinces"] = "provinces";
      values[":province"] = province;
    }
    return { parts, names, values };
  }

  return { db, tableName, itemsFor, batchGet, queryAll, filteredPage, bulkWrite, addCounters, filters };
}

type PartyTable = ReturnType<typeof partyTable>;

/** Parties read by id, by identifier key, many at once. */
function partyReads(
  t: PartyTable,
): Pick<PartyRepository, "get" | "findIdsByKeys" | "getMany" | "findIdByKey"> {
  const { db, tableName, batchGet } = t;
  return {
    async get(id) {
      const out = await withDynamoErrors("party", () =>
        db.send(new GetCommand({ TableName: tableName, Key: { pk: partyPk(id), sk: "PARTY" } })),
      );
      return out.Item ? PartySchema.parse(out.Item.data) : null;
    },

    async findIdsByKeys(keys) {
      const found = new Map<string, string>();
      for (const item of await batchGet(keys.map(claimKey), "partyId, pk")) {
        if (typeof item.partyId === "string" && typeof item.pk === "string") {
          found.set(item.pk.slice("PARTYKEY#".length), item.partyId);
        }
      }
      return found;
    },

    async getMany(ids) {
      const found = new Map<string, Party>();
      for (const item of await batchGet(ids.map((id) => ({ pk: partyPk(id), sk: "PARTY" })))) {
        const party = PartySchema.parse(item.data);
        found.set(party.id, party);
      }
      return found;
    },

    async findIdByKey(key) {
      const out = await withDynamoErrors("party identifier", () =>
        db.send(new GetCommand({ TableName: tableName, Key: claimKey(key) })),
      );
      return typeof out.Item?.partyId === "string" ? out.Item.partyId : null;
    },
  };
}

/** Parties written (one transaction per party, with its claims, list entries and history), created in bulk, removed. */
function partyWrites(t: PartyTable): Pick<PartyRepository, "write" | "bulkCreate" | "remove"> {
  const { db, tableName, itemsFor, queryAll, bulkWrite, addCounters } = t;
  return {
    async write(writes) {
      // Parties are never split across transactions; a batch is, when it would exceed the limit. Each
      // transaction also carries the coverage counters its writes change (one ADD per cell).
      let chunk: TransactItem[] = [];
      let chunkWrites: PartyWrite[] = [];
      const chunks: TransactItem[][] = [];
      const flush = () => {
        if (chunkWrites.length > 0) chunks.push([...chunk, ...counterItems(tableName, chunkWrites)]);
        chunk = [];
        chunkWrites = [];
      };
      for (const write of writes) {
        const items = itemsFor(write);
        if (items.length + counterItems(tableName, [write]).length > MAX_TRANSACTION_ITEMS) {
          throw new InvalidError("Party too large to write", [
            { field: "provinces", message: "Quá nhiều tỉnh/thành và mã định danh" },
          ]);
        }
        const counters = counterItems(tableName, [...chunkWrites, write]).length;
        if (chunk.length + items.length + counters > MAX_TRANSACTION_ITEMS) flush();
        chunk.push(...items);
        chunkWrites.push(write);
      }
      flush();
      for (const transactItems of chunks) {
        await withDynamoErrors("party", () =>
          db.send(new TransactWriteCommand({ TransactItems: transactItems })),
        );
      }
    },

    async bulkCreate(writes) {
      try {
        await bulkWrite(writes);
      } catch (error) {
        // Count what did get written: the rollback's remove subtracts exactly the parties that exist.
        const written = await partyReads(t).getMany(writes.map((w) => w.after.id));
        await addCounters(writes.filter((w) => written.has(w.after.id)));
        throw error;
      }
      // The whole batch's counters in one aggregated update per cell, not one write per party.
      await addCounters(writes);
    },

    async remove(party) {
      const own = await queryAll(
        {
          TableName: tableName,
          KeyConditionExpression: "pk = :pk",
          ExpressionAttributeValues: { ":pk": partyPk(party.id) },
          ProjectionExpression: "pk, sk",
        },
        "party",
      );
      // The party's counters go with its item: only a party that was written was counted.
      const counted = own.some((item) => item.sk === "PARTY")
        ? counterItems(tableName, [
            {
              before: party,
              after: { ...party, status: "ceased" },
              change: { ...removal(party), before: party },
            },
          ])
        : [];
      const deletes: TransactItem[] = [
        ...counted,
        ...own.map((item) => ({ Delete: { TableName: tableName, Key: { pk: item.pk, sk: item.sk } } })),
        // Only the claims this party holds: a claim another party holds stays (a creation that failed
        // on exactly that claim is what is being removed).
        ...[...(await partyReads(t).findIdsByKeys(identifierKeys(party))).entries()]
          .filter(([, holder]) => holder === party.id)
          .map(([key]) => ({
            Delete: {
              TableName: tableName,
              Key: claimKey(key),
              ConditionExpression: "partyId = :id",
              ExpressionAttributeValues: { ":id": party.id },
            },
          })),
      ];
      for (let i = 0; i < deletes.length; i += MAX_TRANSACTION_ITEMS) {
        await withDynamoErrors("party", () =>
          db.send(new TransactWriteCommand({ TransactItems: deletes.slice(i, i + MAX_TRANSACTION_ITEMS) })),
        );
      }
    },
  };
}

/** The registry's lists: by agency and province, by name search, and a party's history. */
function partyLists(t: PartyTable): Pick<PartyRepository, "list" | "search" | "history"> {
  const { tableName, queryAll, filteredPage, filters } = t;
  return {
    list({ agency, province, group, status, limit, cursor }) {
      const f = filters(undefined, status);
      return filteredPage(
        {
          TableName: tableName,
          IndexName: "gsi1",
          KeyConditionExpression: group ? "gsi1pk = :pk AND begins_with(gsi1sk, :prefix)" : "gsi1pk = :pk",
          ExpressionAttributeValues: {
            ":pk": `PARTIES#${agency}#${province}`,
            ...(group ? { ":prefix": `${group}#` } : {}),
            ...f.values,
          },
          ...(f.parts.length > 0
            ? { FilterExpression: f.parts.join(" AND "), ExpressionAttributeNames: f.names }
            : {}),
        },
        ["pk", "sk", "gsi1pk", "gsi1sk"],
        limit,
        cursor,
        "parties",
      );
    },

    search({ agency, text, province, group, status, limit, cursor }) {
      const f = filters(group, status, province);
      return filteredPage(
        {
          TableName: tableName,
          IndexName: "gsi2",
          KeyConditionExpression: "gsi2pk = :pk AND begins_with(gsi2sk, :text)",
          ExpressionAttributeValues: { ":pk": searchPartition(agency, text), ":text": text, ...f.values },
          ...(f.parts.length > 0
            ? { FilterExpression: f.parts.join(" AND "), ExpressionAttributeNames: f.names }
            : {}),
        },
        ["pk", "sk", "gsi2pk", "gsi2sk"],
        limit,
        cursor,
        "party search",
      );
    },

    async history(id) {
      const [items, current] = await Promise.all([
        queryAll(
          {
            TableName: tableName,
            KeyConditionExpression: "pk = :pk AND begins_with(sk, :hist)",
            ExpressionAttributeValues: { ":pk": partyPk(id), ":hist": "HIST#" },
            ScanIndexForward: false,
          },
          "party history",
        ),
        partyReads(t).get(id),
      ]);
      const changes = items.map((item) => PartyChangeSchema.parse(item.data));
      const creation = current ? importedCreation(current, changes) : undefined;
      return creation ? [...changes, creation] : changes;
    },
  };
}

export function createDynamoPartyRepository(db: DynamoDBDocumentClient, tableName: string): PartyRepository {
  const t = partyTable(db, tableName);
  return { ...partyReads(t), ...partyWrites(t), ...partyLists(t) };
}
