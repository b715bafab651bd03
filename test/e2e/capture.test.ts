import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FASHION_SHOP, SEARCH_RESULTS, SHOP_PAGE_SIZE } from "@pledgewatch/demo-market";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type CaptureBackend,
  captureNow as captureAt,
  createCaptureWorker,
  demoActor,
  startCaptureBackend,
} from "../support/capture";

// The capture worker against the demo marketplace: a real Chromium, DynamoDB Local, the folder evidence
// store. One browser for the whole file (it is reused across jobs, as in a warm worker).
let backend: CaptureBackend;
let worker: ReturnType<typeof createCaptureWorker>;
/** A listener on 127.0.0.1 outside the allowlist: no request may ever reach it. */
let forbidden: Server;
let forbiddenHits = 0;
const actor = demoActor("CT");
const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

beforeAll(async () => {
  backend = await startCaptureBackend();
  worker = createCaptureWorker(backend, { workerId: "e2e" });
  forbidden = createServer((_req, res) => {
    forbiddenHits++;
    res.end("secret");
  });
  await new Promise<void>((r) => forbidden.listen(0, "127.0.0.1", () => r()));
});

afterAll(async () => {
  await worker?.close();
  await new Promise<void>((r) => forbidden.close(() => r()));
  await backend?.stop();
});

const captureNow = (url: string) => captureAt(worker, actor, url);

describe("capture worker against the demo marketplace", () => {
  it("follows pagination within the page limit, reads JSON-LD, and a re-capture adds no duplicate", async () => {
    const target = await worker.monitoring.createTarget(actor, {
      url: `${backend.market.url}/shop/${FASHION_SHOP.slug}`,
      kind: "shop",
      schedule: "daily",
      pageLimit: 2,
    });
    await worker.dispatch();
    await worker.tasks.idle();
    const [first] = await worker.monitoring.capturesOfTarget(actor, target.id);
    expect(first?.outcome).toBe("succeeded");
    // Three pages exist; the limit says two.
    expect(first?.pages.map((p) => p.finalUrl)).toEqual([
      `${backend.market.url}/shop/${FASHION_SHOP.slug}`,
      `${backend.market.url}/shop/${FASHION_SHOP.slug}?page=2`,
    ]);
    expect(first?.itemIds).toHaveLength(2 * SHOP_PAGE_SIZE);
    const { items } = await worker.monitoring.getCapture(actor, first?.id ?? "");
    const rep = items.find((i) => i.title.includes("rep 1:1"));
    expect(rep).toMatchObject({
      kind: "listing",
      price: 450000,
      seller: FASHION_SHOP.name,
      source: "json-ld",
    });
    // Every item went through the flagging rules (issue 7): the counterfeit slang is flagged for Công Thương.
    expect(items.every((i) => i.evaluation.state === "evaluated")).toBe(true);
    const record = await worker.repositories.evaluations.get(rep?.id ?? "");
    expect(record).toMatchObject({
      source: "capture",
      item: { id: rep?.id },
      decision: { flagged: true, agency: "CT" },
    });
    expect(record?.decision.reasons.map((r) => r.evidence).join(" ")).toMatch(/rep/i);

    // Capture again: the same listings are seen again, not stored twice.
    await worker.monitoring.updateTarget(actor, target.id, { pageLimit: 3 });
    await worker.monitoring.captureTargetNow(actor, target.id);
    await worker.tasks.idle();
    const all = await worker.monitoring.listItems(actor);
    const fromShop = all.items.filter((i) => i.targetId === target.id);
    expect(fromShop).toHaveLength(FASHION_SHOP.products.length);
    expect(new Set(fromShop.map((i) => i.title)).size).toBe(FASHION_SHOP.products.length);
    expect(fromShop.filter((i) => i.timesSeen === 2)).toHaveLength(2 * SHOP_PAGE_SIZE);
  });

  it("renders a page whose listings only a script draws", async () => {
    const capture = await captureNow(`${backend.market.url}/tim-kiem?q=gia+dung`);
    const { items } = await worker.monitoring.getCapture(actor, capture.id);
    // The HTML the server sent has no listing; the rendered page has all of them (microdata).
    expect(items.map((i) => i.title).sort()).toEqual(SEARCH_RESULTS.map((r) => r.name).sort());
    expect(items.every((i) => i.source === "microdata")).toBe(true);
    const html = await worker.documents.get(
      capture.pages[0]?.artefacts.find((a) => a.name === "page.html")?.key ?? "",
    );
    expect(new TextDecoder().decode(html ?? new Uint8Array())).toContain("Tai nghe AirPods Pro 2 rep 1:1");
  });

  it("keeps evidence whose manifest hashes match the stored artefacts, and a certificate PDF", async () => {
    const capture = await captureNow(`${backend.market.url}/redirect?to=/san-pham/tai-nghe-airpods-rep`);
    const page = capture.pages[0];
    expect(page?.redirects).toEqual([`${backend.market.url}/redirect?to=/san-pham/tai-nghe-airpods-rep`]);
    expect(page?.finalUrl).toBe(`${backend.market.url}/san-pham/tai-nghe-airpods-rep`);
    const manifestBytes = (await worker.documents.get(page?.manifestKey ?? "")) ?? new Uint8Array();
    expect(sha256(manifestBytes)).toBe(page?.manifestSha256);
    const manifest = JSON.parse(new TextDecoder().decode(manifestBytes)) as {
      finalUrl: string;
      httpStatus: number;
      userAgent: string;
      fetchedAt: string;
      artefacts: { name: string; key: string; sha256: string; bytes: number }[];
    };
    expect(manifest).toMatchObject({ finalUrl: page?.finalUrl, httpStatus: 200, userAgent: page?.userAgent });
    expect(manifest.artefacts.map((a) => a.name).sort()).toEqual([
      "items.json",
      "page.html",
      "screenshot.png",
      "text.txt",
    ]);
    for (const artefact of manifest.artefacts) {
      const body = await worker.documents.get(artefact.key);
      expect(body, artefact.key).not.toBeNull();
      expect(sha256(body as Uint8Array), artefact.name).toBe(artefact.sha256);
      expect(body?.byteLength).toBe(artefact.bytes);
    }
    // Write-once: the stored screenshot cannot be replaced.
    await expect(
      worker.documents.put(manifest.artefacts[0]?.key ?? "", new Uint8Array([1]), "image/png"),
    ).rejects.toThrow();
    const shot = await worker.documents.get(
      manifest.artefacts.find((a) => a.name === "screenshot.png")?.key ?? "",
    );
    expect(
      Buffer.from(shot ?? [])
        .subarray(1, 4)
        .toString(),
    ).toBe("PNG");
    // The OpenGraph product page gives one listing.
    const { items } = await worker.monitoring.getCapture(actor, capture.id);
    expect(items).toMatchObject([{ kind: "listing", price: 390000, source: "opengraph" }]);

    const certificate = await worker.documents.get(capture.certificate?.key ?? "");
    expect(sha256(certificate as Uint8Array)).toBe(capture.certificate?.sha256);
    const file = join(tmpdir(), `certificate-${capture.id}.pdf`);
    writeFileSync(file, certificate as Uint8Array);
    const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" }).replace(/\s+/g, " ");
    expect(text).toContain("CHỨNG NHẬN THU THẬP CHỨNG CỨ ĐIỆN TỬ");
    expect(text).toContain(page?.manifestSha256);
    expect(text).toContain("tai-nghe-airpods-rep");
    expect(execFileSync("pdfimages", ["-list", file], { encoding: "utf8" })).toMatch(/image|smask/);
  });

  it("refuses redirects to the metadata address and to a loopback port outside the allowlist", async () => {
    const metadata = await captureNow(
      `${backend.market.url}/redirect?to=http://169.254.169.254/latest/meta-data/`,
    );
    expect(metadata.outcome).toBe("failed");
    expect(metadata.error).toMatch(/refused: .*169\.254\.169\.254/);
    const port = (forbidden.address() as AddressInfo).port;
    const loopback = await captureNow(`${backend.market.url}/redirect?to=http://127.0.0.1:${port}/`);
    expect(loopback.outcome).toBe("failed");
    expect(loopback.error).toMatch(/refused: .*127\.0\.0\.1/);
    // Staff typing such a URL directly is refused the same way.
    const direct = await captureNow(`http://127.0.0.1:${port}/`);
    expect(direct.error).toMatch(/refused/);
    expect(forbiddenHits).toBe(0);
    // A refused URL is not retried: one attempt, no dead letter.
    expect(worker.tasks.deadLetters.filter((d) => String(d.task.payload.jobId) === metadata.jobId)).toEqual(
      [],
    );
  });

  it("fails a page that never finishes, a 5 MB page and a page that hangs the renderer, each alone", async () => {
    const launchesBefore = worker.renderer.pool.stats.launches;
    const slow = worker.monitoring.requestCapture(actor, `${backend.market.url}/cham-mai`);
    const big = worker.monitoring.requestCapture(actor, `${backend.market.url}/trang-5mb`);
    const hang = worker.monitoring.requestCapture(actor, `${backend.market.url}/treo`);
    const fine = worker.monitoring.requestCapture(actor, `${backend.market.url}/shop/nha-thuoc-xanh`);
    const jobs = await Promise.all([slow, big, hang, fine]);
    await worker.tasks.idle();
    const [slowJob, bigJob, hangJob, fineJob] = await Promise.all(
      jobs.map((j) => worker.monitoring.getJob(actor, j.id)),
    );
    expect(slowJob?.state, JSON.stringify(slowJob)).toBe("failed");
    expect(slowJob?.lastError).toMatch(/^timeout:/);
    expect(bigJob?.lastError).toMatch(/^too_large:/);
    expect(hangJob?.state).toBe("failed");
    expect(hangJob?.lastError).toMatch(/timeout/i);
    // The page captured at the same time, in the same browser, is unaffected.
    expect(fineJob?.state).toBe("done");
    const fineCapture = await worker.monitoring.getCapture(actor, fineJob?.captureId ?? "");
    expect(fineCapture.items.map((i) => i.source)).toContain("microdata");
    expect(fineCapture.items.find((i) => i.title.includes("Trà giảm cân"))?.text).toContain(
      "Đặc trị béo phì",
    );
    // They failed every attempt: dead letters, which a re-drive sends back (reopening the job).
    // As the console lists them (ids sealed by the platform).
    const letters = (await worker.deps.deadLetters?.list(100)) ?? [];
    const slowLetter = letters.find((l) => l.payload.jobId === slowJob?.id);
    expect(slowLetter?.type).toBe("monitoring.capture");
    await worker.deps.deadLetters?.redrive(slowLetter?.id ?? "");
    await worker.tasks.idle();
    const again = await worker.monitoring.getJob(actor, slowJob?.id ?? "");
    expect(again.attempts).toBe(1);
    expect(again.state).toBe("failed");
    // Still the same warm browser (or one replacement after the hang), not one per page.
    expect(worker.renderer.pool.stats.launches - launchesBefore).toBeLessThanOrEqual(1);
  });
});
