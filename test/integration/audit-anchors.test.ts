import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { DeleteCommand, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import {
  type AuditEvent,
  auditHash,
  createDocumentAuditAnchors,
  type Party,
  verifyAuditChains,
} from "@pledgewatch/core";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { createTestPlatform } from "../support/platform";
import { CT_REVIEWER, verifySigner } from "../support/signing";

const run = promisify(execFile);
const reviewer = CT_REVIEWER;
const meta = { ip: "203.0.113.21", userAgent: "vitest audit anchors" };

let platform: Awaited<ReturnType<typeof createTestPlatform>>;
beforeAll(async () => {
  platform = await createTestPlatform();
});

const invitable = new Set<string>();
/** An invited party whose signer passed the code step: a chain of four events or more. */
async function chainOfParty(): Promise<Party> {
  const page = await platform.deps.parties.list(reviewer, { group: "ecommerce_platform", limit: 200 });
  const party = page.items.find(
    (p) => p.status === "active" && p.contacts.some((c) => c.email) && !p.pledge && !invitable.has(p.id),
  );
  if (!party) throw new Error("no invitable party");
  invitable.add(party.id);
  await platform.signing.invite(reviewer, party.id);
  await verifySigner(platform, party.contacts.find((c) => c.email)?.email ?? "", meta);
  return party;
}

async function storedEvents(stream: string): Promise<AuditEvent[]> {
  const out = await platform.clients.doc.send(
    new QueryCommand({
      TableName: platform.tableName,
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": `AUDIT#${stream}` },
    }),
  );
  return (out.Items ?? []).map((item) => item.data as AuditEvent);
}

const put = (event: AuditEvent) =>
  platform.clients.doc.send(
    new PutCommand({
      TableName: platform.tableName,
      Item: {
        pk: `AUDIT#${event.stream}`,
        sk: String(event.seq).padStart(10, "0"),
        ...(event.seq === 1 ? { gsi1pk: "AUDITSTREAMS", gsi1sk: event.stream } : {}),
        data: event,
      },
    }),
  );

/** Runs `npm run audit:verify` against this platform's table and documents folder. */
async function auditVerify(): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run(process.execPath, ["--import", "tsx", "packages/local/src/audit-cli.ts"], {
      env: {
        ...process.env,
        TABLE_NAME: platform.tableName,
        DYNAMODB_ENDPOINT: inject("dynamoEndpoint"),
        DOCUMENTS_DIR: platform.documentsDir,
      },
    });
    return { code: 0, out: stdout };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string };
    return { code: failed.code ?? -1, out: failed.stdout ?? "" };
  }
}

const breakOf = (report: Awaited<ReturnType<typeof verifyAuditChains>>, stream: string) =>
  report.breaks.find((b) => b.stream === stream);

describe("audit chains held to checkpoints outside the table (issue 19, item 6)", () => {
  it("checkpoints every event in the documents store, write-once, and the CLI finds every chain intact", async () => {
    const party = await chainOfParty();
    const events = await storedEvents(party.id);
    expect(events.length).toBeGreaterThanOrEqual(4);
    const anchors = createDocumentAuditAnchors(platform.documents);
    for (const event of events) expect((await anchors.find(party.id, event.seq))?.hash).toBe(event.hash);
    // A checkpoint cannot be replaced: recording another hash for the same event is refused.
    await expect(anchors.record({ ...(events[0] as AuditEvent), hash: "f".repeat(64) })).rejects.toThrow(
      /anchored with another hash/,
    );
    const { code, out } = await auditVerify();
    expect(out).toContain("All chains intact.");
    expect(out).not.toContain("no checkpoint outside the table");
    expect(code).toBe(0);
  });

  it("names the first bad event of an edit, a deletion at the end, a reordering and a rewritten chain", async () => {
    const anchors = createDocumentAuditAnchors(platform.documents);
    // An edit: the event no longer matches its own hash.
    const edited = await chainOfParty();
    const e = await storedEvents(edited.id);
    await put({ ...(e[2] as AuditEvent), ip: "198.51.100.66" });
    // A deletion at the end: the chain is consistent, but the last event's checkpoint outlives it.
    const cut = await chainOfParty();
    const c = await storedEvents(cut.id);
    const last = c[c.length - 1] as AuditEvent;
    await platform.clients.doc.send(
      new DeleteCommand({
        TableName: platform.tableName,
        Key: { pk: `AUDIT#${cut.id}`, sk: String(last.seq).padStart(10, "0") },
      }),
    );
    // A reordering: events 2 and 3 swap places (each keeps its own hash).
    const swapped = await chainOfParty();
    const s = await storedEvents(swapped.id);
    const [second, third] = [s[1] as AuditEvent, s[2] as AuditEvent];
    await put({ ...third, seq: 2 });
    await put({ ...second, seq: 3 });
    // A rewritten chain: event 2 edited and every hash from there recomputed, so the chain holds in itself.
    const rewritten = await chainOfParty();
    const r = await storedEvents(rewritten.id);
    let previous = r[0] as AuditEvent;
    for (const event of r.slice(1)) {
      const base = { ...event, prevHash: previous.hash, ...(event.seq === 2 ? { ip: "192.0.2.99" } : {}) };
      const { hash: _old, ...rest } = base;
      const next = { ...rest, hash: auditHash(rest) };
      await put(next);
      previous = next;
    }

    const report = await verifyAuditChains(platform.repositories.signing, anchors);
    expect(breakOf(report, edited.id)).toEqual({ stream: edited.id, seq: 3, reason: "hash_mismatch" });
    expect(breakOf(report, cut.id)).toEqual({ stream: cut.id, seq: last.seq, reason: "missing_events" });
    expect(breakOf(report, swapped.id)?.seq).toBe(2);
    expect(["prev_hash_mismatch", "hash_mismatch"]).toContain(breakOf(report, swapped.id)?.reason);
    expect(breakOf(report, rewritten.id)).toEqual({
      stream: rewritten.id,
      seq: 2,
      reason: "anchor_mismatch",
    });
    // Without the checkpoints the rewritten chain and the cut one would pass.
    const bare = await verifyAuditChains(platform.repositories.signing);
    expect(breakOf(bare, rewritten.id)).toBeUndefined();
    expect(breakOf(bare, cut.id)).toBeUndefined();

    const { code, out } = await auditVerify();
    expect(code).toBe(2);
    expect(out).toContain(`BROKEN chain ${edited.id}: first bad event #3 (hash_mismatch)`);
    expect(out).toContain(`BROKEN chain ${cut.id}: first bad event #${last.seq} (missing_events)`);
    expect(out).toContain(`BROKEN chain ${rewritten.id}: first bad event #2 (anchor_mismatch)`);
    expect(out).toMatch(new RegExp(`BROKEN chain ${swapped.id}: first bad event #2 `));
  });
});
