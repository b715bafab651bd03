import { FASHION_SHOP, HEALTH_SHOP } from "@pledgewatch/demo-market";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CaptureBackend, createCaptureWorker, demoActor, startCaptureBackend } from "../support/capture";

// What the capture worker does when things go wrong outside the page: the browser process dies in the
// middle of a capture, the site answers 403, the site rate-limits with 429 and a Retry-After. Its own
// DynamoDB Local and demo marketplace: the backoff below closes the marketplace's host to this file.
// Longer than the 5 s a worker waits in line for a host rather than give its job back.
const HOST_BACKOFF_MS = 8_000;
let backend: CaptureBackend;
let worker: ReturnType<typeof createCaptureWorker>;
const actor = demoActor("CT");

beforeAll(async () => {
  backend = await startCaptureBackend();
  worker = createCaptureWorker(backend, {
    workerId: "resilience",
    limits: { maxAttempts: 2, hostBackoffMs: HOST_BACKOFF_MS },
  });
});

afterAll(async () => {
  await worker?.close();
  await backend?.stop();
});

async function requestAndWait(path: string) {
  const job = await worker.monitoring.requestCapture(actor, `${backend.market.url}${path}`);
  await worker.tasks.idle();
  return worker.monitoring.getJob(actor, job.id);
}

describe("the capture worker when the browser or the site fails", () => {
  it("fails only the capture whose browser died, keeps it for a retry, and starts a new browser", async () => {
    const pool = worker.renderer.pool;
    // A page whose script spins keeps the browser busy; meanwhile its process is killed (a crash).
    const job = await worker.monitoring.requestCapture(actor, `${backend.market.url}/treo`);
    const deadline = Date.now() + 20_000;
    while (pool.browserPids().length === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 1_500));
    const [pid] = pool.browserPids();
    expect(pid).toBeGreaterThan(0);
    const launches = pool.stats.launches;
    process.kill(pid as number, "SIGKILL");
    await worker.tasks.idle();

    const crashed = await worker.monitoring.getJob(actor, job.id);
    expect(crashed.lastError).toMatch(/^crashed:/);
    // One attempt of two spent: the job waits for its retry, it did not fail for good.
    expect(crashed.state).toBe("open");
    expect(crashed.attempts).toBe(1);
    expect(pool.browserPids()).not.toContain(pid);

    // The next capture gets a new browser and succeeds.
    const next = await requestAndWait(`/shop/${HEALTH_SHOP.slug}`);
    expect(next.state, next.lastError).toBe("done");
    expect(pool.stats.launches).toBe(launches + 1);
    const { items } = await worker.monitoring.getCapture(actor, next.captureId ?? "");
    expect(items).toHaveLength(HEALTH_SHOP.products.length);
  });

  it("backs off a host that answers 403, for the configured time, before any other page of it", async () => {
    const blocked = await requestAndWait("/cam-truy-cap");
    expect(blocked.state).toBe("open");
    expect(blocked.lastError).toMatch(/^blocked_by_host:/);
    expect(new Date(blocked.availableAt).getTime()).toBeGreaterThanOrEqual(
      Date.now() + HOST_BACKOFF_MS - 1_500,
    );
    // Another page of the same host, asked for at once, is not fetched: deferred until the backoff ends.
    const pagesBefore = worker.renderer.pool.stats.pages;
    const deferred = await requestAndWait(`/san-pham/${FASHION_SHOP.products[0]?.slug}`);
    expect(deferred.state).toBe("open");
    expect(deferred.captureId).toBeUndefined();
    expect(worker.renderer.pool.stats.pages).toBe(pagesBefore);
    // After the backoff the host is asked again.
    await new Promise((r) => setTimeout(r, HOST_BACKOFF_MS + 200));
    const later = await requestAndWait(`/san-pham/${FASHION_SHOP.products[1]?.slug}`);
    expect(later.state, later.lastError).toBe("done");
  });

  it("honours the Retry-After of a 429 rather than its own shorter backoff", async () => {
    const limited = await requestAndWait("/qua-tai");
    expect(limited.state).toBe("open");
    expect(limited.lastError).toMatch(/^blocked_by_host: the site answered 429/);
    // The demo site asks for 120 s; the configured backoff is 8 s.
    const wait = new Date(limited.availableAt).getTime() - Date.now();
    expect(wait).toBeGreaterThan(110_000);
    expect(wait).toBeLessThanOrEqual(120_000);
    await new Promise((r) => setTimeout(r, HOST_BACKOFF_MS + 200));
    const pagesBefore = worker.renderer.pool.stats.pages;
    const deferred = await requestAndWait(`/san-pham/${FASHION_SHOP.products[2]?.slug}`);
    expect(deferred.captureId).toBeUndefined();
    expect(worker.renderer.pool.stats.pages).toBe(pagesBefore);
  });
});
