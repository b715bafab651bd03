import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import {
  type Capture,
  type CapturedItem,
  CapturedItemSchema,
  type CaptureJob,
  CaptureJobSchema,
  CaptureSchema,
  ConflictError,
  type CrawlTarget,
  CrawlTargetSchema,
  type HostGate,
  type MonitoringRepository,
  urlKey,
} from "@pledgewatch/core";
import { withDynamoErrors } from "./errors";
import { decodeCursor, encodeCursor } from "./party-repository";

/**
 * Monitoring in the single table (see tables.ts):
 *   target                 pk TARGET#<id>                         sk TARGET
 *     by agency × province gsi1pk TARGETS#<agency>#<prov>          gsi1sk <createdAt>#<id>
 *     due (active only)    gsi2pk TARGETDUE                       gsi2sk <nextDueAt>#<id>
 *   target URL (unique)    pk TARGETURL#<agency>#<prov>#<urlKey>  sk TARGETURL
 *   capture job            pk CAPJOB#<id>                         sk CAPJOB
 *     open jobs (sparse)   gsi1pk CAPJOBS#OPEN                    gsi1sk <availableAt>#<id>
 *   URL in flight          pk URLLOCK#<urlKey>                    sk URLLOCK   (jobId, until)
 *   capture                pk CAPTURE#<id>                        sk CAPTURE
 *     by target            gsi1pk CAPTURES#TARGET#<targetId>      gsi1sk <finishedAt>#<id>
 *     by agency × province gsi2pk CAPTURES#<agency>#<prov>        gsi2sk <finishedAt>#<id>
 *   captured item          pk ITEM#<fingerprint>                  sk ITEM
 *     by agency × province gsi1pk ITEMS#<agency>#<prov>            gsi1sk <lastSeen>#<id>
 *   host politeness        pk HOST#<host>                         sk RATE (nextAt, backoffUntil)
 *                          pk HOST#<host>                         sk SLOT#<n> (until)
 * TARGETDUE and CAPJOBS#OPEN are one partition each: a province's few thousand targets and the jobs in
 * flight at once stay far below a partition's limits; shard the key (…#<n>) if that ever changes.
 */
const KEY_FIELDS = ["pk", "sk", "gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk", "ttl", "lastJobId"];
function strip(item: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).filter(([k]) => !KEY_FIELDS.includes(k)));
}

const targetItem = (t: CrawlTarget) => ({
  pk: `TARGET#${t.id}`,
  sk: "TARGET",
  gsi1pk: `TARGETS#${t.agency}#${t.province}`,
  gsi1sk: `${t.createdAt}#${t.id}`,
  ...(t.active ? { gsi2pk: "TARGETDUE", gsi2sk: `${t.nextDueAt}#${t.id}` } : {}),
  ...t,
});
const targetUrlKey = (t: CrawlTarget) => ({
  pk: `TARGETURL#${t.agency}#${t.province}#${urlKey(t.url)}`,
  sk: "TARGETURL",
});

const jobItem = (j: CaptureJob) => ({
  pk: `CAPJOB#${j.id}`,
  sk: "CAPJOB",
  ...(j.state === "open" ? { gsi1pk: "CAPJOBS#OPEN", gsi1sk: `${j.availableAt}#${j.id}` } : {}),
  ...j,
});

const captureItem = (c: Capture) => ({
  pk: `CAPTURE#${c.id}`,
  sk: "CAPTURE",
  ...(c.targetId ? { gsi1pk: `CAPTURES#TARGET#${c.targetId}`, gsi1sk: `${c.finishedAt}#${c.id}` } : {}),
  gsi2pk: `CAPTURES#${c.agency}#${c.province}`,
  gsi2sk: `${c.finishedAt}#${c.id}`,
  ...c,
});

const CONTENT_FIELDS = ["text", "price", "seller", "category", "url", "image"] as const;
/** What the flagging rules read of an item: a change in any of them on a re-sighting re-evaluates it. */
const RULE_INPUT_FIELDS = ["kind", "title", "text", "price", "seller", "category"] as const;

/** The table the monitoring repository reads and writes, with its consistent get and its index query. */
function monitoringTable(db: DynamoDBDocumentClient, tableName: string) {
  const get = async (pk: string, sk: string) =>
    (
      await withDynamoErrors("monitoring", () =>
        db.send(new GetCommand({ TableName: tableName, Key: { pk, sk }, ConsistentRead: true })),
      )
    ).Item;

  async function queryIndex(
    index: "gsi1" | "gsi2",
    pkValue: string,
    opts: { limit: number; cursor?: string | undefined; before?: string; forward?: boolean },
  ) {
    const out = await withDynamoErrors("monitoring list", () =>
      db.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: index,
          KeyConditionExpression: opts.before
            ? `${index}pk = :pk AND ${index}sk <= :before`
            : `${index}pk = :pk`,
          ExpressionAttributeValues: { ":pk": pkValue, ...(opts.before ? { ":before": opts.before } : {}) },
          ScanIndexForward: opts.forward ?? false,
          Limit: opts.limit,
          ExclusiveStartKey: decodeCursor(opts.cursor),
        }),
      ),
    );
    return { items: out.Items ?? [], next: encodeCursor(out.LastEvaluatedKey) };
  }

  return { db, tableName, get, queryIndex };
}

type MonitoringTable = ReturnType<typeof monitoringTable>;

/** Crawl targets, with one claim per URL in an agency and province. */
function targetStore(
  t: MonitoringTable,
): Pick<MonitoringRepository, "getTarget" | "createTargets" | "updateTarget" | "listTargets" | "dueTargets"> {
  const { db, tableName, get, queryIndex } = t;
  return {
    async getTarget(id) {
      const item = await get(`TARGET#${id}`, "TARGET");
      return item ? CrawlTargetSchema.parse(strip(item)) : null;
    },

    async createTargets(targets) {
      // Up to 50 targets per transaction (each is 2 items); more are written in several, each all or nothing.
      for (let i = 0; i < targets.length; i += 50) {
        const chunk = targets.slice(i, i + 50);
        await withDynamoErrors("crawl targets", () =>
          db.send(
            new TransactWriteCommand({
              TransactItems: chunk.flatMap((t) => [
                {
                  Put: {
                    TableName: tableName,
                    Item: targetItem(t),
                    ConditionExpression: "attribute_not_exists(pk)",
                  },
                },
                {
                  Put: {
                    TableName: tableName,
                    Item: { ...targetUrlKey(t), targetId: t.id },
                    ConditionExpression: "attribute_not_exists(pk)",
                  },
                },
              ]),
            }),
          ),
        );
      }
    },

    async updateTarget(before, after) {
      await withDynamoErrors("crawl target", () =>
        db.send(
          new PutCommand({
            TableName: tableName,
            Item: targetItem(after),
            ConditionExpression: "version = :v",
            ExpressionAttributeValues: { ":v": before.version },
          }),
        ),
      );
    },

    async listTargets(agency, province, limit, cursor) {
      const page = await queryIndex("gsi1", `TARGETS#${agency}#${province}`, { limit, cursor });
      return { items: page.items.map((i) => CrawlTargetSchema.parse(strip(i))), next: page.next };
    },

    async dueTargets(now, limit) {
      const page = await queryIndex("gsi2", "TARGETDUE", {
        limit,
        before: `${now.toISOString()}#~`,
        forward: true,
      });
      return page.items.map((i) => CrawlTargetSchema.parse(strip(i)));
    },
  };
}

/** Capture jobs created (one per URL in flight), read, claimed and released. */
function jobClaims(
  t: MonitoringTable,
): Pick<MonitoringRepository, "createJob" | "getJob" | "claimJob" | "releaseJob"> {
  const { db, tableName, get } = t;
  return {
    async createJob(job, lockUntil, target) {
      const nowIso = new Date().toISOString();
      try {
        await withDynamoErrors("capture job", () =>
          db.send(
            new TransactWriteCommand({
              TransactItems: [
                {
                  Put: {
                    TableName: tableName,
                    Item: jobItem(job),
                    ConditionExpression: "attribute_not_exists(pk)",
                  },
                },
                {
                  Put: {
                    TableName: tableName,
                    Item: {
                      pk: `URLLOCK#${job.urlKey}`,
                      sk: "URLLOCK",
                      jobId: job.id,
                      until: lockUntil.toISOString(),
                    },
                    // One job per URL in flight; a lock whose job died long ago (its until passed) is taken over.
                    ConditionExpression: "attribute_not_exists(pk) OR #until < :now",
                    ExpressionAttributeNames: { "#until": "until" },
                    ExpressionAttributeValues: { ":now": nowIso },
                  },
                },
                ...(target
                  ? [
                      {
                        Put: {
                          TableName: tableName,
                          Item: targetItem(target.after),
                          ConditionExpression: "version = :v",
                          ExpressionAttributeValues: { ":v": target.before.version },
                        },
                      },
                    ]
                  : []),
              ],
            }),
          ),
        );
        return true;
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
        const lock = await get(`URLLOCK#${job.urlKey}`, "URLLOCK");
        if (lock && String(lock.until) >= nowIso) return false;
        throw error;
      }
    },

    async getJob(id) {
      const item = await get(`CAPJOB#${id}`, "CAPJOB");
      return item ? CaptureJobSchema.parse(strip(item)) : null;
    },

    async claimJob(id, owner, now, leaseUntil) {
      try {
        const out = await withDynamoErrors("capture job", () =>
          db.send(
            new UpdateCommand({
              TableName: tableName,
              Key: { pk: `CAPJOB#${id}`, sk: "CAPJOB" },
              UpdateExpression:
                "SET availableAt = :until, gsi1sk = :gsi1sk, leaseOwner = :owner, attempts = attempts + :one, claims = if_not_exists(claims, :zero) + :one",
              // Open, and either sent to the queue and not taken yet, or its holder's lease has run out.
              ConditionExpression:
                "#state = :open AND (attribute_not_exists(leaseOwner) OR availableAt <= :now)",
              ExpressionAttributeNames: { "#state": "state" },
              ExpressionAttributeValues: {
                ":until": leaseUntil.toISOString(),
                ":gsi1sk": `${leaseUntil.toISOString()}#${id}`,
                ":owner": owner,
                ":one": 1,
                ":zero": 0,
                ":open": "open",
                ":now": now.toISOString(),
              },
              ReturnValues: "ALL_NEW",
            }),
          ),
        );
        return out.Attributes ? CaptureJobSchema.parse(strip(out.Attributes)) : null;
      } catch (error) {
        if (error instanceof ConflictError) return null;
        throw error;
      }
    },

    async releaseJob(job, availableAt, mode, error) {
      // retry: a failed attempt, claimable at once by the queue's next delivery; defer: a politeness
      // delay, nobody may take it before availableAt and the attempt does not count; resend: the
      // dispatcher sends it to the queue again (a lost message, or a dead worker's lease ran out).
      const sets = ["availableAt = :at", "gsi1sk = :gsi1sk"];
      if (error) sets.push("lastError = :error");
      if (mode === "defer") sets.push("leaseOwner = :deferred", "attempts = :previous");
      const values: Record<string, unknown> = {
        ":at": availableAt.toISOString(),
        ":gsi1sk": `${availableAt.toISOString()}#${job.id}`,
        ":open": "open",
        ...(error ? { ":error": error.slice(0, 1000) } : {}),
        ...(mode === "defer" ? { ":deferred": "deferred", ":previous": Math.max(0, job.attempts - 1) } : {}),
      };
      let condition: string;
      if (mode === "resend") {
        condition = "#state = :open AND availableAt = :was";
        values[":was"] = job.availableAt;
      } else {
        condition = "#state = :open AND leaseOwner = :owner";
        values[":owner"] = job.leaseOwner ?? "";
      }
      await withDynamoErrors("capture job", () =>
        db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: `CAPJOB#${job.id}`, sk: "CAPJOB" },
            UpdateExpression: `SET ${sets.join(", ")}${mode === "defer" ? "" : " REMOVE leaseOwner"}`,
            ConditionExpression: condition,
            ExpressionAttributeNames: { "#state": "state" },
            ExpressionAttributeValues: values,
          }),
        ),
      );
    },
  };
}

/** Capture jobs finished with their capture, reopened after a re-drive, found when nobody took them. */
function jobEnds(
  t: MonitoringTable,
): Pick<MonitoringRepository, "finishJob" | "reopenJob" | "availableJobs"> {
  const { db, tableName, get, queryIndex } = t;
  return {
    async finishJob(job, capture) {
      const done: CaptureJob = {
        ...job,
        state: capture.outcome === "succeeded" ? "done" : "failed",
        captureId: capture.id,
        ...(capture.error ? { lastError: capture.error } : {}),
      };
      delete done.leaseOwner;
      const targetUpdate = capture.targetId
        ? [
            {
              Update: {
                TableName: tableName,
                Key: { pk: `TARGET#${capture.targetId}`, sk: "TARGET" },
                UpdateExpression: "SET lastCaptureId = :id, lastCaptureAt = :at, lastOutcome = :outcome",
                ConditionExpression: "attribute_exists(pk)",
                ExpressionAttributeValues: {
                  ":id": capture.id,
                  ":at": capture.finishedAt,
                  ":outcome": capture.outcome,
                },
              },
            },
          ]
        : [];
      await withDynamoErrors("capture", () =>
        db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: tableName,
                  Item: jobItem(done),
                  ConditionExpression: "#state = :open AND leaseOwner = :owner",
                  ExpressionAttributeNames: { "#state": "state" },
                  ExpressionAttributeValues: { ":open": "open", ":owner": job.leaseOwner ?? "" },
                },
              },
              {
                Put: {
                  TableName: tableName,
                  Item: captureItem(capture),
                  ConditionExpression: "attribute_not_exists(pk)",
                },
              },
              {
                Delete: {
                  TableName: tableName,
                  Key: { pk: `URLLOCK#${job.urlKey}`, sk: "URLLOCK" },
                  ConditionExpression: "attribute_not_exists(pk) OR jobId = :job",
                  ExpressionAttributeValues: { ":job": job.id },
                },
              },
              ...targetUpdate,
            ],
          }),
        ),
      );
    },

    async reopenJob(id, now) {
      const item = await get(`CAPJOB#${id}`, "CAPJOB");
      if (!item) return null;
      const job = CaptureJobSchema.parse(strip(item));
      if (job.state !== "failed") return job;
      const reopened: CaptureJob = { ...job, state: "open", attempts: 0, availableAt: now.toISOString() };
      delete reopened.leaseOwner;
      delete reopened.captureId;
      await withDynamoErrors("capture job", () =>
        db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: tableName,
                  Item: jobItem(reopened),
                  ConditionExpression: "#state = :failed",
                  ExpressionAttributeNames: { "#state": "state" },
                  ExpressionAttributeValues: { ":failed": "failed" },
                },
              },
              {
                Put: {
                  TableName: tableName,
                  Item: {
                    pk: `URLLOCK#${job.urlKey}`,
                    sk: "URLLOCK",
                    jobId: job.id,
                    until: new Date(now.getTime() + 3_600_000).toISOString(),
                  },
                },
              },
            ],
          }),
        ),
      );
      return reopened;
    },

    async availableJobs(now, limit) {
      const page = await queryIndex("gsi1", "CAPJOBS#OPEN", {
        limit,
        before: `${now.toISOString()}#~`,
        forward: true,
      });
      return page.items.map((i) => CaptureJobSchema.parse(strip(i)));
    },
  };
}

/** Captures and the items they yield: upserted by fingerprint, read, listed, their evaluation state. */
function captureStore(
  t: MonitoringTable,
): Pick<
  MonitoringRepository,
  | "getCapture"
  | "capturesOfTarget"
  | "recentCaptures"
  | "upsertItem"
  | "getItem"
  | "getItems"
  | "setEvaluationState"
  | "listItems"
> {
  const { db, tableName, get, queryIndex } = t;
  return {
    async getCapture(id) {
      const item = await get(`CAPTURE#${id}`, "CAPTURE");
      return item ? CaptureSchema.parse(strip(item)) : null;
    },

    async capturesOfTarget(targetId, limit) {
      const page = await queryIndex("gsi1", `CAPTURES#TARGET#${targetId}`, { limit });
      return page.items.map((i) => CaptureSchema.parse(strip(i)));
    },

    async recentCaptures(agency, province, limit) {
      const page = await queryIndex("gsi2", `CAPTURES#${agency}#${province}`, { limit });
      return page.items.map((i) => CaptureSchema.parse(strip(i)));
    },

    async upsertItem(item) {
      const jobId = item.captureId.replace(/-a\d+$/, "");
      const present = CONTENT_FIELDS.filter((f) => item[f] !== undefined);
      const absent = CONTENT_FIELDS.filter((f) => item[f] === undefined);
      const values: Record<string, unknown> = {
        ":kind": item.kind,
        ":platform": item.platform,
        ":title": item.title,
        ":source": item.source,
        ":agency": item.agency,
        ":province": item.province,
        ":pageUrl": item.pageUrl,
        ":captureId": item.captureId,
        ":pageNo": item.pageNo,
        ":seen": item.lastSeen,
        ":gsi1pk": `ITEMS#${item.agency}#${item.province}`,
        ":gsi1sk": `${item.lastSeen}#${item.id}`,
        ":id": item.id,
        ":evaluation": item.evaluation,
        ":zero": 0,
        ":one": 1,
        ":job": jobId,
        ...Object.fromEntries(present.map((f) => [`:${f}`, item[f]])),
        ...(item.targetId ? { ":targetId": item.targetId } : {}),
      };
      const sets = [
        "id = :id",
        "kind = :kind",
        "#platform = :platform",
        "title = :title",
        "#source = :source",
        "agency = :agency",
        "province = :province",
        "pageUrl = :pageUrl",
        "captureId = :captureId",
        "pageNo = :pageNo",
        "lastSeen = :seen",
        "firstSeen = if_not_exists(firstSeen, :seen)",
        "evaluation = if_not_exists(evaluation, :evaluation)",
        "gsi1pk = :gsi1pk",
        "gsi1sk = :gsi1sk",
        "lastJobId = :job",
        ...present.map((f) => `#${f} = :${f}`),
        ...(item.targetId ? ["targetId = :targetId"] : []),
      ];
      const names: Record<string, string> = {
        "#platform": "platform",
        "#source": "source",
        ...Object.fromEntries(CONTENT_FIELDS.map((f) => [`#${f}`, f])),
      };
      const remove = absent.length > 0 ? ` REMOVE ${absent.map((f) => `#${f}`).join(", ")}` : "";
      const run = (countIt: boolean) =>
        db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: `ITEM#${item.id}`, sk: "ITEM" },
            UpdateExpression: `SET ${[...sets, countIt ? "timesSeen = if_not_exists(timesSeen, :zero) + :one" : "timesSeen = if_not_exists(timesSeen, :one)"].join(", ")}${remove}`,
            // A job retried after a crash sees the same item again: it is one sighting, not two.
            ...(countIt ? { ConditionExpression: "attribute_not_exists(pk) OR lastJobId <> :job" } : {}),
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: countIt
              ? values
              : Object.fromEntries(Object.entries(values).filter(([k]) => k !== ":zero")),
            ReturnValues: "ALL_OLD",
          }),
        );
      let old: Record<string, unknown> | undefined;
      try {
        old = (await withDynamoErrors("captured item", () => run(true))).Attributes;
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
        old = (await withDynamoErrors("captured item", () => run(false))).Attributes;
      }
      const stored = await get(`ITEM#${item.id}`, "ITEM");
      if (!stored) throw new Error("captured item vanished after its write");
      const changed =
        old !== undefined &&
        RULE_INPUT_FIELDS.some((f) => JSON.stringify(old[f]) !== JSON.stringify(item[f]));
      return { item: CapturedItemSchema.parse(strip(stored)), created: old === undefined, changed };
    },

    async getItem(id) {
      const item = await get(`ITEM#${id}`, "ITEM");
      return item ? CapturedItemSchema.parse(strip(item)) : null;
    },

    async getItems(ids) {
      const unique = [...new Set(ids)];
      const found = new Map<string, CapturedItem>();
      for (let i = 0; i < unique.length; i += 100) {
        let keys: Record<string, unknown>[] | undefined = unique
          .slice(i, i + 100)
          .map((id) => ({ pk: `ITEM#${id}`, sk: "ITEM" }));
        for (let attempt = 0; keys && keys.length > 0 && attempt < 8; attempt++) {
          const request: Record<string, unknown>[] = keys;
          const out = await withDynamoErrors("captured items", () =>
            db.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: request } } })),
          );
          for (const raw of out.Responses?.[tableName] ?? []) {
            const parsed = CapturedItemSchema.parse(strip(raw));
            found.set(parsed.id, parsed);
          }
          keys = out.UnprocessedKeys?.[tableName]?.Keys as Record<string, unknown>[] | undefined;
          if (keys && keys.length > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
        }
      }
      return unique.flatMap((id) => found.get(id) ?? []);
    },

    async setEvaluationState(id, state, at) {
      await withDynamoErrors("captured item", () =>
        db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: `ITEM#${id}`, sk: "ITEM" },
            UpdateExpression: "SET evaluation = :e",
            ConditionExpression: "attribute_exists(pk)",
            ExpressionAttributeValues: { ":e": { state, at: at.toISOString() } },
          }),
        ),
      );
    },

    async listItems(agency, province, limit, cursor) {
      const page = await queryIndex("gsi1", `ITEMS#${agency}#${province}`, { limit, cursor });
      return { items: page.items.map((i) => CapturedItemSchema.parse(strip(i))), next: page.next };
    },
  };
}

export function createDynamoMonitoringRepository(
  db: DynamoDBDocumentClient,
  tableName: string,
): MonitoringRepository {
  const t = monitoringTable(db, tableName);
  return { ...targetStore(t), ...jobClaims(t), ...jobEnds(t), ...captureStore(t) };
}

export interface HostGateLimits {
  concurrency: number;
  minIntervalMs: number;
}

/**
 * Per-host politeness shared by every worker: a rate item (no two requests to a host closer than
 * `minIntervalMs`; nothing during a backoff after 429/403) and `concurrency` slots, each a lease with an
 * end, so a worker killed while holding one blocks the host only until the lease runs out.
 */
export function createDynamoHostGate(
  db: DynamoDBDocumentClient,
  tableName: string,
  limits: HostGateLimits,
): HostGate {
  const pk = (host: string) => `HOST#${host}`;
  async function takeRate(host: string, now: Date): Promise<Date | null> {
    const next = new Date(now.getTime() + limits.minIntervalMs).toISOString();
    try {
      await withDynamoErrors("host rate", () =>
        db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: pk(host), sk: "RATE" },
            UpdateExpression: "SET nextAt = :next",
            ConditionExpression:
              "(attribute_not_exists(nextAt) OR nextAt <= :now) AND (attribute_not_exists(backoffUntil) OR backoffUntil <= :now)",
            ExpressionAttributeValues: { ":next": next, ":now": now.toISOString() },
          }),
        ),
      );
      return null;
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      const rate = (
        await db.send(
          new GetCommand({ TableName: tableName, Key: { pk: pk(host), sk: "RATE" }, ConsistentRead: true }),
        )
      ).Item;
      const times = [rate?.nextAt, rate?.backoffUntil].filter((t): t is string => typeof t === "string");
      const latest = times.sort().at(-1);
      return latest ? new Date(latest) : new Date(now.getTime() + limits.minIntervalMs);
    }
  }

  return {
    async acquire(host, now, until) {
      for (let slot = 0; slot < limits.concurrency; slot++) {
        try {
          await withDynamoErrors("host slot", () =>
            db.send(
              new PutCommand({
                TableName: tableName,
                Item: { pk: pk(host), sk: `SLOT#${slot}`, until: until.toISOString() },
                ConditionExpression: "attribute_not_exists(pk) OR #until <= :now",
                ExpressionAttributeNames: { "#until": "until" },
                ExpressionAttributeValues: { ":now": now.toISOString() },
              }),
            ),
          );
        } catch (error) {
          if (error instanceof ConflictError) continue;
          throw error;
        }
        const release = async () => {
          await withDynamoErrors("host slot", () =>
            db.send(
              new UpdateCommand({
                TableName: tableName,
                Key: { pk: pk(host), sk: `SLOT#${slot}` },
                UpdateExpression: "SET #until = :past",
                ConditionExpression: "#until = :mine",
                ExpressionAttributeNames: { "#until": "until" },
                ExpressionAttributeValues: {
                  ":past": new Date(0).toISOString(),
                  ":mine": until.toISOString(),
                },
              }),
            ),
          ).catch((error) => {
            if (!(error instanceof ConflictError)) throw error;
          });
        };
        // The slot is ours; now the rate. Waiting a second or so here is cheaper than giving the job back.
        for (let wait = 0; wait < 10; wait++) {
          const retryAt = await takeRate(host, new Date());
          if (!retryAt) return { ok: true, release };
          const ms = retryAt.getTime() - Date.now();
          if (ms > 5_000) {
            await release();
            return { ok: false, retryAt };
          }
          await new Promise((r) => setTimeout(r, Math.max(ms, 20)));
        }
        await release();
        return { ok: false, retryAt: new Date(Date.now() + limits.minIntervalMs) };
      }
      return { ok: false, retryAt: new Date(now.getTime() + Math.max(limits.minIntervalMs, 2_000)) };
    },

    async backoff(host, until, reason) {
      await withDynamoErrors("host backoff", () =>
        db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: pk(host), sk: "RATE" },
            UpdateExpression: "SET backoffUntil = :until, backoffReason = :reason",
            ExpressionAttributeValues: { ":until": until.toISOString(), ":reason": reason },
          }),
        ),
      );
    },
  };
}
