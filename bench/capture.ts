/**
 * Capture throughput: pages captured per minute with full-page screenshots against the demo marketplace,
 * through the real pipeline (dispatcher → in-process queue → capture worker: Chromium render, evidence
 * files and manifest, items upserted in DynamoDB Local), and the peak memory of the browser.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDynamoClients } from "@pledgewatch/aws";
import { createBrowserPool, createBrowserRenderer, demoSocialExtractor } from "@pledgewatch/capture";
import {
  FASHION_SHOP,
  HEALTH_SHOP,
  KOL_FEED,
  SEARCH_RESULTS,
  startDemoMarket,
} from "@pledgewatch/demo-market";
import { createLocalPlatform, DEMO_STAFF, ensureTables } from "@pledgewatch/local";
import { createInProcessTaskQueue, DISPATCH_TASK } from "@pledgewatch/platform";
import type { Machine } from "./machine";
import { otherCpuMeter, sampleRss } from "./stats";

export const CAPTURE_PAGES = Number(process.env.BENCH_CAPTURE_PAGES ?? "180");
export const CAPTURE_CONCURRENCY = Number(process.env.BENCH_CAPTURE_CONCURRENCY ?? "2");
export const CAPTURE_FULL_SIZE = CAPTURE_PAGES >= 180;
const GOAL_PER_MINUTE = 60;

export interface CaptureBenchResult {
  pages: number;
  failed: number;
  items: number;
  concurrency: number;
  wallMs: number;
  perMinute: number;
  peakBrowserRssMb: number;
  peakNodeRssMb: number;
  browserLaunches: number;
  screenshotKb: number;
  otherCpu: number | undefined;
}

const silent = { info() {}, warn() {}, error() {} };

export async function benchCapture(
  endpoint: string,
  dynamoPid: number,
  log: (l: string) => void,
): Promise<CaptureBenchResult> {
  const clients = createDynamoClients({ region: "ap-southeast-1", endpoint });
  const tables = await ensureTables(clients.client, "benchcap");
  const market = await startDemoMarket();
  const files = await mkdtemp(join(tmpdir(), "pledgewatch-bench-capture-"));
  const pool = createBrowserPool();
  const renderer = createBrowserRenderer({
    allowlist: new Set([market.origin]),
    siteExtractors: { [market.origin]: demoSocialExtractor },
    pool,
  });
  const platform = createLocalPlatform({
    clients,
    tables,
    files,
    logger: silent,
    stage: "bench",
    tasks: createInProcessTaskQueue(silent, 1, 50),
    mailer: () => ({ send: async () => {} }),
    monitoring: {
      renderer,
      workerId: "bench",
      // The demo host is ours: no rate limit, `concurrency` pages at once.
      limits: {
        hostConcurrency: CAPTURE_CONCURRENCY,
        hostMinIntervalMs: 0,
        resendAfterMs: 300,
        maxAttempts: 1,
      },
    },
  });
  const { tasks } = platform;
  const staff = DEMO_STAFF.find((s) => s.role === "reviewer" && s.agency === "CT");
  if (!staff) throw new Error("no demo reviewer");
  const actor = {
    staffId: "bench",
    email: staff.email,
    name: staff.name,
    agency: staff.agency,
    province: staff.province,
    role: staff.role,
  };
  const paths = [
    `/shop/${FASHION_SHOP.slug}`,
    `/shop/${FASHION_SHOP.slug}?page=2`,
    `/shop/${HEALTH_SHOP.slug}`,
    "/tim-kiem?q=gia+dung",
    `/kol/${KOL_FEED.slug}`,
    "/bang-tin",
    `/san-pham/${SEARCH_RESULTS[0]?.slug ?? "x"}`,
  ];
  const targets: { id: string }[] = [];
  for (let i = 0; i < CAPTURE_PAGES; i++) {
    const path = paths[i % paths.length] ?? "/";
    const url = `${market.url}${path}${path.includes("?") ? "&" : "?"}v=${i}`;
    targets.push(
      await platform.monitoring.createTarget(actor, { url, kind: "shop", schedule: "daily", pageLimit: 1 }),
    );
  }
  // Warm-up: the first launch unpacks Chromium; not part of the measure.
  await renderer.render(`${market.url}/`);
  log(`capture: ${CAPTURE_PAGES} targets on the demo marketplace, ${CAPTURE_CONCURRENCY} pages at a time`);

  const rss = sampleRss(250);
  const cpu = otherCpuMeter([process.pid, dynamoPid]);
  const started = performance.now();
  // One query for the finished captures of the batch (they are the only ones of this agency).
  const done = async () =>
    (await platform.repositories.monitoring.recentCaptures(actor.agency, actor.province, CAPTURE_PAGES + 10))
      .length;
  for (let tick = 0; ; tick++) {
    await platform.handleTask({ type: DISPATCH_TASK, payload: {} });
    await new Promise((r) => setTimeout(r, 300));
    if (performance.now() - started > 10 * 60_000) break;
    if (tick % 4 === 3 && (await done()) >= targets.length) break;
  }
  await tasks.idle();
  const wallMs = performance.now() - started;
  const otherCpu = cpu.stop();
  const peakNode = rss.stop().peak / (1024 * 1024);
  let failed = 0;
  let items = 0;
  let shotBytes = 0;
  let shots = 0;
  for (const t of targets) {
    const [capture] = await platform.repositories.monitoring.capturesOfTarget(t.id, 1);
    if (capture?.outcome !== "succeeded") {
      failed++;
      continue;
    }
    items += capture.itemIds.length;
    const shot = capture.pages[0]?.artefacts.find((a) => a.name === "screenshot.png");
    if (shot) {
      shotBytes += shot.bytes;
      shots++;
    }
  }
  const pages = targets.length - failed;
  const result: CaptureBenchResult = {
    pages,
    failed,
    items,
    concurrency: CAPTURE_CONCURRENCY,
    wallMs,
    perMinute: (pages / wallMs) * 60_000,
    peakBrowserRssMb: pool.stats.peakRssBytes / (1024 * 1024),
    peakNodeRssMb: peakNode,
    browserLaunches: pool.stats.launches,
    screenshotKb: shots ? shotBytes / shots / 1024 : 0,
    otherCpu,
  };
  await renderer.close();
  await market.stop();
  clients.client.destroy();
  await rm(files, { recursive: true, force: true });
  log(
    `capture: ${result.perMinute.toFixed(1)} pages/min, browser peak ${result.peakBrowserRssMb.toFixed(0)} MB`,
  );
  return result;
}

export function captureSection(r: CaptureBenchResult, host: Machine, when: string): string {
  const pct = (x: number | undefined) => (x === undefined ? "n/a" : `${(100 * x).toFixed(0)} %`);
  return [
    "## Monitoring capture: pages per minute with screenshots",
    "",
    `Run ${when} at ${host.code}, on ${host.cpu}, ${host.cores} cores, ${host.memoryGiB.toFixed(1)} GiB RAM, ${host.os}; ` +
      `Node ${host.node}, DynamoDB Local ${host.dynamoLocal}. \`BENCH_ONLY=capture npm run bench\` runs this benchmark alone.`,
    "",
    "| Measure | Result | Goal | |",
    "|---|---|---|---|",
    `| Pages captured per minute (full-page PNG screenshot, HTML, text, items, manifest) | ${r.perMinute.toFixed(1)} | at least ${GOAL_PER_MINUTE} on 2 cores | ${r.perMinute >= GOAL_PER_MINUTE ? "met" : "**missed**"} |`,
    `| Peak memory of the browser (all Chromium processes, RSS) | ${r.peakBrowserRssMb.toFixed(0)} MB | — | |`,
    "",
    `${r.pages} pages captured (${r.failed} failed) in ${(r.wallMs / 1000).toFixed(1)} s, ${r.concurrency} at a time in one warm ` +
      `browser (${r.browserLaunches} launch${r.browserLaunches === 1 ? "" : "es"}), through the whole pipeline: the dispatcher made one job per ` +
      "target, the in-process queue ran the capture worker, which rendered each page in a fresh browser context (every request " +
      "through the URL-safety fetch), took a full-page screenshot, extracted the items (JSON-LD, microdata, OpenGraph, the demo " +
      "feed's site extractor), wrote the evidence files and manifest (write-once folder store) and upserted " +
      `${r.items} item sightings in DynamoDB Local. Pages: the demo marketplace's shop pages, a JavaScript-rendered search, ` +
      `social feeds, a product page, in rotation. Mean screenshot ${r.screenshotKb.toFixed(0)} KB. Peak RSS of the Node process ` +
      `${r.peakNodeRssMb.toFixed(0)} MB. Other processes used ${pct(r.otherCpu)} of the machine's CPU during the run.`,
  ].join("\n");
}
