import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import type { CrawlTarget } from "@pledgewatch/core";
import { FASHION_SHOP, HEALTH_SHOP, KOL_FEED, SEARCH_RESULTS } from "@pledgewatch/demo-market";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CaptureBackend, createCaptureWorker, demoActor, startCaptureBackend } from "../support/capture";

// Killing the worker in the middle of a batch loses nothing. No SQS emulator runs here (Node 20), so the
// queue's visibility semantics under test are the ones the store keeps: a job is leased by the worker
// that takes it; a worker killed with SIGKILL leaves its lease to run out; the dispatcher then sends the
// job again and another worker finishes it. Items are keyed by fingerprint, so nothing is stored twice.
const CHILD = join(import.meta.dirname, "../support/capture-worker-child.ts");
const LEASE_MS = 3_000;
let backend: CaptureBackend;
let child: ChildProcess | undefined;
const actor = demoActor("CT");

beforeAll(async () => {
  backend = await startCaptureBackend();
});

afterAll(async () => {
  if (child?.pid && groupAlive(child.pid)) process.kill(-child.pid, "SIGKILL");
  await backend?.stop();
});

async function waitFor<T>(check: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 200));
  }
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("a capture worker killed mid-batch", () => {
  it("loses no job and stores no item twice", async () => {
    const second = createCaptureWorker(backend, { workerId: "second", limits: { leaseMs: LEASE_MS } });
    try {
      const base = backend.market.url;
      const specs = [
        { url: `${base}/shop/${FASHION_SHOP.slug}`, pageLimit: 3, expected: FASHION_SHOP.products.length },
        { url: `${base}/shop/${HEALTH_SHOP.slug}`, pageLimit: 1, expected: HEALTH_SHOP.products.length },
        { url: `${base}/tim-kiem?q=do+dung`, pageLimit: 1, expected: SEARCH_RESULTS.length },
        { url: `${base}/kol/${KOL_FEED.slug}`, pageLimit: 2, expected: KOL_FEED.posts.length },
        // The same listings as on the shop's pages: the same items, seen again from another target.
        { url: `${base}/san-pham/vi-da-nam`, pageLimit: 1, expected: 1 },
        { url: `${base}/san-pham/balo-laptop`, pageLimit: 1, expected: 1 },
      ];
      const targets: CrawlTarget[] = [];
      for (const spec of specs) {
        targets.push(
          await second.monitoring.createTarget(actor, {
            url: spec.url,
            kind: "shop",
            schedule: "daily",
            pageLimit: spec.pageLimit,
          }),
        );
      }
      // The first worker creates the batch (dispatch) and works through it one page at a time.
      child = spawn(process.execPath, ["--import", "tsx", CHILD], {
        env: {
          ...process.env,
          DYNAMO_ENDPOINT: backend.dynamo.endpoint,
          TABLE_NAME: backend.tables.main,
          MONITORING_TABLE_NAME: backend.tables.monitoring,
          MARKET_ORIGIN: backend.market.origin,
          MARKET_URL: backend.market.url,
          FILES_DIR: backend.files,
          LEASE_MS: String(LEASE_MS),
        },
        // Its own process group: the kill takes its Chromium with it.
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
      });
      const pgid = child.pid as number;
      let childOutput = "";
      child.stdout?.on("data", (d: Buffer) => {
        childOutput += d.toString();
      });
      child.stderr?.on("data", (d: Buffer) => {
        childOutput += d.toString();
      });
      const captured = async () =>
        (await Promise.all(targets.map((t) => second.monitoring.capturesOfTarget(actor, t.id)))).flat();
      // Kill it once it has finished some jobs and holds the lease of another (mid-batch, mid-job).
      const heldAtKill = await waitFor(async () => {
        const done = await captured();
        if (done.length === 0 || done.length === targets.length) return undefined;
        const jobs = await second.repositories.monitoring.availableJobs(
          new Date(Date.now() + 3_600_000),
          100,
        );
        const held = jobs.filter((j) => j.leaseOwner === "child");
        return held.length > 0 ? { done: done.length, held: held.map((j) => j.id) } : undefined;
      }, 90_000).catch((error: Error) => {
        throw new Error(`${error.message}; worker said: ${childOutput.slice(-2000)}`);
      });
      process.kill(-pgid, "SIGKILL");
      await waitFor(async () => (groupAlive(pgid) ? undefined : true), 10_000);
      expect(heldAtKill.done).toBeLessThan(targets.length);

      // The second worker: once the dead worker's leases run out, the dispatcher sends its jobs again.
      await waitFor(async () => {
        await second.dispatch();
        await second.tasks.idle();
        return (await captured()).length >= targets.length ? true : undefined;
      }, 120_000);

      const captures = await captured();
      // One capture per target: nothing lost, nothing captured twice.
      expect(captures.map((c) => c.targetId).sort()).toEqual(targets.map((t) => t.id).sort());
      expect(captures.every((c) => c.outcome === "succeeded")).toBe(true);
      // The job the first worker held when it died was finished by the second.
      for (const jobId of heldAtKill.held) {
        expect(captures.find((c) => c.jobId === jobId)?.capturedBy).toBe("second");
      }
      const items = [];
      let cursor: string | undefined;
      do {
        const page = await second.monitoring.listItems(actor, cursor);
        items.push(...page.items);
        cursor = page.next;
      } while (cursor);
      // Each capture found what its pages hold; across all of them, each listing or post is one item
      // (the two product pages are listings of the shop: no new item).
      for (const [i, target] of targets.entries()) {
        const capture = captures.find((c) => c.targetId === target.id);
        expect(capture?.itemIds, target.url).toHaveLength(specs[i]?.expected ?? -1);
      }
      const distinct =
        FASHION_SHOP.products.length +
        HEALTH_SHOP.products.length +
        SEARCH_RESULTS.length +
        KOL_FEED.posts.length;
      expect(items).toHaveLength(distinct);
      expect(new Set(items.map((i) => i.id)).size).toBe(distinct);
      expect(new Set(items.map((i) => `${i.kind}|${i.title}`)).size).toBe(distinct);
    } finally {
      await second.close();
    }
  });
});
