/**
 * The Lambda bundles (issue 18): each function's asset from a fresh `cdk synth`, its size (as written and
 * as zipped), the time its execution environment takes to import it (Lambda's Init Duration), and the API's
 * latency through the deployed-shape harness (test/deployed/harness): HTTP API event → the API bundle →
 * DynamoDB Local and the other stand-ins.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { deflateRawSync } from "node:zlib";
import { connect, deploy, FUNCTIONS, type FunctionName } from "../test/deployed/harness/deployment";
import { startHttpApi } from "../test/deployed/harness/http-api";
import type { Machine } from "./machine";
import { type LatencySummary, summarize } from "./stats";

const COLD_STARTS = 5;
const API_REQUESTS = 300;
/**
 * Issue 18's goals: importing a bundle under 500 ms here; the API bundle (the code esbuild emits, index.mjs)
 * under 1.5 MB zipped. The whole asset is reported beside it: it also carries the fonts, Swagger UI and the
 * source map (docs/decisions.md, "Smaller bundles").
 */
const IMPORT_GOAL_MS = 500;
const API_ZIP_GOAL_BYTES = 1.5 * 1024 * 1024;

export interface BundleResult {
  name: FunctionName;
  jsBytes: number;
  /** index.mjs zipped: the bundle of the goal. */
  jsZippedBytes: number;
  assetBytes: number;
  zippedBytes: number;
  /** Besides index.mjs and its map: what else the asset carries (fonts, Chromium…). */
  extras: string[];
  initMs: LatencySummary & { min: number };
  rssBytes: number;
}

export interface BundlesResult {
  bundles: BundleResult[];
  api: LatencySummary & { requests: number };
}

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? files(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/** Files' size zipped (deflate per file, as a zip stores them; headers ignored). */
function zippedSize(paths: readonly string[]): number {
  return paths.reduce((sum, file) => sum + deflateRawSync(readFileSync(file), { level: 9 }).length, 0);
}

export async function benchBundles(log: (line: string) => void): Promise<BundlesResult> {
  const deployment = await deploy();
  log("bundles: synthesized, stand-ins started");
  const app = connect(deployment.description);
  try {
    const bundles: BundleResult[] = [];
    for (const name of Object.keys(FUNCTIONS) as FunctionName[]) {
      const fn = app.fn(name);
      const all = files(fn.assetDir);
      const init: number[] = [];
      let rssBytes = 0;
      for (let i = 0; i < COLD_STARTS; i++) {
        const env = await app.start(name);
        init.push(env.initMs);
        rssBytes = Math.max(rssBytes, env.initRssBytes);
        await env.stop();
      }
      bundles.push({
        name,
        jsBytes: statSync(join(fn.assetDir, "index.mjs")).size,
        jsZippedBytes: zippedSize([join(fn.assetDir, "index.mjs")]),
        assetBytes: all.reduce((sum, f) => sum + statSync(f).size, 0),
        zippedBytes: zippedSize(all),
        extras: [...new Set(readdirSync(fn.assetDir).filter((f) => !f.startsWith("index.mjs")))],
        initMs: { ...summarize(init), min: Math.min(...init) },
        rssBytes,
      });
      log(`bundles: ${name} imported in ${Math.min(...init).toFixed(0)}–${Math.max(...init).toFixed(0)} ms`);
    }
    const api = await app.start("api");
    const http = await startHttpApi(() => api);
    const paths = ["/health", "/sign-in", "/api/v1/me", "/"];
    for (let i = 0; i < 20; i++)
      await fetch(`${http.url}${paths[i % paths.length]}`).then((r) => r.arrayBuffer());
    http.latencies.length = 0;
    for (let i = 0; i < API_REQUESTS; i++) {
      await fetch(`${http.url}${paths[i % paths.length]}`).then((r) => r.arrayBuffer());
    }
    const latency = summarize(http.latencies);
    await http.stop();
    log(`bundles: API p95 ${latency.p95.toFixed(1)} ms over ${API_REQUESTS} requests`);
    return { bundles, api: { ...latency, requests: API_REQUESTS } };
  } finally {
    await app.stop();
    await deployment.stop();
  }
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;

export function bundlesSection(result: BundlesResult, host: Machine, when: string): string {
  const lines: string[] = [];
  const out = (line = "") => lines.push(line);
  out("## Lambda bundles and the API through the deployed-shape harness (issue 18)");
  out();
  out(
    `Run ${when} at ${host.code}, on ${host.cpu}, ${host.cores} cores, ${host.memoryGiB.toFixed(1)} GiB RAM, ${host.os}; ` +
      `Node ${host.node}. \`BENCH_ONLY=bundles npm run bench\` runs this benchmark alone (about a minute).`,
  );
  out();
  out(
    "| Function | index.mjs | zipped | Whole asset | zipped | Import (median of 5 cold starts) | Goal | | RSS after import | Also in the asset |",
  );
  out("|---|---|---|---|---|---|---|---|---|---|");
  for (const b of result.bundles) {
    const importMet = b.initMs.p50 < IMPORT_GOAL_MS;
    const zipGoal = b.name === "api" ? ` and zipped < ${mb(API_ZIP_GOAL_BYTES)}` : "";
    const met = importMet && (b.name !== "api" || b.jsZippedBytes < API_ZIP_GOAL_BYTES);
    out(
      `| ${b.name} | ${mb(b.jsBytes)} | ${mb(b.jsZippedBytes)} | ${mb(b.assetBytes)} | ${mb(b.zippedBytes)} | ${b.initMs.p50.toFixed(0)} ms (${b.initMs.min.toFixed(0)}–${b.initMs.max.toFixed(0)}) | < ${IMPORT_GOAL_MS} ms${zipGoal} | ${met ? "met" : "**missed**"} | ${mb(b.rssBytes)} | ${b.extras.join(", ")} |`,
    );
  }
  out();
  const a = result.api;
  out(
    `API through the harness (HTTP API event → the API bundle in its own process → DynamoDB Local), ${a.requests} requests one at a time over \`/health\`, \`/sign-in\`, \`/api/v1/me\` (401) and \`/\`, after 20 to warm up: p50 ${a.p50.toFixed(1)} ms, p95 ${a.p95.toFixed(1)} ms, max ${a.max.toFixed(1)} ms.`,
  );
  out();
  out(
    "Import is the time from the start of the bundle's import to its handler being ready (top-level code included: configuration, clients, the app), as Lambda reports Init Duration; the process start itself is not included. Zipped is each file deflated at level 9, as a zip stores them, without the zip's headers. The goal's bundle is index.mjs, the code; the whole asset also carries its source map (index.mjs.map, read for stack traces), the three Noto Sans faces the PDFs need (0.9 MB zipped) and, in the API's, Swagger UI.",
  );
  return lines.join("\n");
}
