import { createSocket, type Socket } from "node:dgram";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { HEALTH_SHOP, TAMPERED_PAGE } from "@pledgewatch/demo-market";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  type CaptureBackend,
  captureNow as captureAt,
  createCaptureWorker,
  demoActor,
  startCaptureBackend,
} from "../support/capture";

/**
 * Hostile pages of the demo market in a real Chromium (issue 24, items 1 and 3): pop-ups, script-clicked
 * target=_blank links, speculation rules, WebRTC and every other kind of request (issue 19, item 7). Each tries to reach a listener on 127.0.0.1 outside
 * the allowlist — HTTP and TCP on one port, UDP on the same number — and nothing may arrive there. A page
 * that opens pop-ups fails or succeeds alone: the process, the browser and the next capture go on.
 */
let backend: CaptureBackend;
let worker: ReturnType<typeof createCaptureWorker>;
let forbidden: Server;
let udp: Socket;
const hits: string[] = [];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
const actor = demoActor("CT");
let port = 0;

beforeAll(async () => {
  process.on("unhandledRejection", onUnhandled);
  backend = await startCaptureBackend();
  worker = createCaptureWorker(backend, { workerId: "e2e-hostile" });
  forbidden = createServer((req, res) => {
    hits.push(`http ${req.method} ${req.url}`);
    res.end("secret");
  });
  forbidden.on("connection", () => hits.push("tcp connection"));
  await new Promise<void>((r) => forbidden.listen(0, "127.0.0.1", () => r()));
  port = (forbidden.address() as AddressInfo).port;
  udp = createSocket("udp4");
  udp.on("message", (m) => hits.push(`udp ${m.length} bytes`));
  await new Promise<void>((r) => udp.bind(port, "127.0.0.1", () => r()));
});

afterAll(async () => {
  process.off("unhandledRejection", onUnhandled);
  await worker?.close();
  await new Promise<void>((r) => forbidden.close(() => r()));
  udp?.close();
  await backend?.stop();
});

const inside = () => `http://127.0.0.1:${port}/intranet`;

const captureNow = (url: string) => captureAt(worker, actor, url);

/** Time for anything the page set off (a pop-up's request, a prefetch, ICE gathering) to arrive. */
const linger = () => new Promise((r) => setTimeout(r, 1_500));

describe("hostile pages in the capture browser", () => {
  beforeEach(() => {
    hits.length = 0;
  });

  it("survives pages that open pop-ups and new tabs, captures them alone, and the next capture works", async () => {
    const q = `?to=${encodeURIComponent(inside())}`;
    const popup = await captureNow(`${backend.market.url}/cua-so-bat-len${q}`);
    const tab = await captureNow(`${backend.market.url}/tab-moi${q}`);
    // Pop-ups to the market itself (allowed) are refused as pages of their own too.
    const home = await captureNow(`${backend.market.url}/cua-so-bat-len`);
    for (const capture of [popup, tab, home]) {
      expect(capture.outcome, capture.error).toBe("succeeded");
      expect(capture.pages).toHaveLength(1);
    }
    await linger();
    const next = await captureNow(`${backend.market.url}/shop/${HEALTH_SHOP.slug}`);
    expect(next.outcome).toBe("succeeded");
    expect(next.itemIds.length).toBeGreaterThan(0);
    expect(hits).toEqual([]);
    expect(unhandled).toEqual([]);
  });

  it("sends no speculative prefetch or prerender anywhere", async () => {
    const capture = await captureNow(
      `${backend.market.url}/du-doan-tai-truoc?to=${encodeURIComponent(inside())}`,
    );
    expect(capture.outcome, capture.error).toBe("succeeded");
    await linger();
    expect(hits).toEqual([]);
    expect(unhandled).toEqual([]);
  });

  it("lets no STUN or TURN packet leave the page", async () => {
    const capture = await captureNow(
      `${backend.market.url}/webrtc?stun=${encodeURIComponent(`127.0.0.1:${port}`)}`,
    );
    expect(capture.outcome, capture.error).toBe("succeeded");
    await linger();
    expect(hits).toEqual([]);
    expect(unhandled).toEqual([]);
  });
});

describe("extraction the page cannot tamper with (issue 19, item 7)", () => {
  it("reads the page's data and text in an isolated world: a page that replaces JSON.parse and innerText changes nothing", async () => {
    const capture = await captureNow(`${backend.market.url}/trich-xuat-gia`);
    expect(capture.outcome, capture.error).toBe("succeeded");
    const { items } = await worker.monitoring.getCapture(actor, capture.id);
    const titles = items.map((item) => item.title);
    expect(titles).toContain(TAMPERED_PAGE.realTitle);
    expect(titles.join(" ")).not.toContain(TAMPERED_PAGE.fakeTitle);
    const key = capture.pages[0]?.artefacts.find((a) => a.name === "text.txt")?.key ?? "";
    const text = new TextDecoder().decode((await worker.documents.get(key)) ?? new Uint8Array());
    expect(text).toContain(TAMPERED_PAGE.realText);
    expect(text).not.toContain(TAMPERED_PAGE.fakeText);
    expect(unhandled).toEqual([]);
  });
});

describe("every way a page can send a request (issue 19, item 7)", () => {
  /**
   * The page /duong-ra-mang tries each kind of request twice, towards the forbidden listener and towards the
   * market's probe. Chromium's own network goes to a closed proxy (NO_NETWORK_FLAGS), so what reached the
   * probe was fetched by safeFetch from the interception; what was aimed inside must reach nothing.
   */
  it("sends fetch, beacons, images, hints and a worker's requests through safeFetch, blocks service workers, and reaches nothing inside", async () => {
    const before = backend.market.probes().length;
    const capture = await captureNow(
      `${backend.market.url}/duong-ra-mang?to=${encodeURIComponent(inside())}`,
    );
    expect(capture.outcome, capture.error).toBe("succeeded");
    await linger();
    expect(hits).toEqual([]);
    const reached = new Set(backend.market.probes().slice(before));
    for (const kind of ["fetch", "keepalive", "beacon", "image", "worker", "preload", "prefetch"]) {
      expect(reached, kind).toContain(kind);
    }
    // The service worker never registers, so it never fetches on the page's behalf.
    expect(reached).not.toContain("service-worker");
    const key = capture.pages[0]?.artefacts.find((a) => a.name === "text.txt")?.key ?? "";
    const text = new TextDecoder().decode((await worker.documents.get(key)) ?? new Uint8Array());
    expect(text).toContain("service worker: bị chặn");
    expect(text).toContain("fetch vào trong: bị chặn");
    expect(unhandled).toEqual([]);
  });
});
