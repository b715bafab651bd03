/**
 * Issue 3, the registry of obligated parties: a 10,000-row import through the real platform, and list,
 * search and lookup latency over HTTP (in memory) with 150,000 parties loaded.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDynamoClients, type DynamoClients, type TableNames } from "@pledgewatch/aws";
import { hashPassword, type Principal, provinceByCode, type SignerGroup } from "@pledgewatch/core";
import { createLocalPlatform, ensureTables, type LocalPlatformInstance } from "@pledgewatch/local";
import type { Platform } from "@pledgewatch/platform";
import { readTable, writeXlsx } from "@pledgewatch/sheets";
import type { Logger } from "@pledgewatch/web";
import { bulkLoadParties, type LoadStats } from "./bulk-load";
import { emailFor, mobilePhone, seededRandom, sellerName, taxCodeSequence } from "./data";
import {
  type CallStats,
  dynamoCallMeter,
  type LatencySummary,
  otherCpuMeter,
  sampleRss,
  summarize,
  timed,
} from "./stats";

/** Smaller sizes can be given while working on the bench itself; such runs do not write docs/benchmarks.md. */
export const IMPORT_ROWS = Number(process.env.BENCH_IMPORT_ROWS || 10_000);
/** Rows of the warm-up import that runs, on its own table, before the measured one (0: none). */
const WARM_UP_ROWS = Number(process.env.BENCH_IMPORT_WARM_UP_ROWS ?? 0);
export const LOADED_PARTIES = Number(process.env.BENCH_PARTIES || 150_000);
export const FULL_SIZE = IMPORT_ROWS === 10_000 && LOADED_PARTIES === 150_000;
const REQUESTS = 200;
const WARM_UP = 10;
export const PASSWORD = "Bench-Pledgewatch-2026";

/** Warnings and errors go to stderr; the per-request info lines are dropped, as they would only add noise. */
const logger: Logger = {
  info() {},
  warn(message, fields) {
    console.error("warn:", message, JSON.stringify(fields ?? {}));
  },
  error(message, fields) {
    console.error("error:", message, JSON.stringify(fields ?? {}));
  },
};

export interface ImportResult {
  /** The warm-up import before the measured one (its own table, not counted): rows and time. */
  warmUp: { rows: number; ms: number };
  rows: number;
  fileBytes: number;
  generateMs: number;
  readMs: number;
  previewMs: number;
  commitMs: number;
  totalMs: number;
  rowsPerSecond: number;
  rssBaseline: number;
  rssPeak: number;
  counts: { rows: number; create: number; update: number; skipped: number };
  errorCount: number;
  status: string;
  failure?: string | undefined;
  deadLetters: number;
  partiesCounted: number;
  previewCalls: CallStats;
  commitCalls: CallStats;
  /** Share of the machine's CPU that other processes used during the import. */
  otherCpu: number | undefined;
}

export interface EndpointResult {
  key: string;
  label: string;
  path: string;
  latency: LatencySummary;
  statuses: Record<string, number>;
  rows: number;
  hasNext: boolean;
  calls: CallStats;
}

export interface ListResult {
  load: LoadStats;
  itemsPerParty: number;
  endpoints: EndpointResult[];
  /** Share of the machine's CPU that other processes used during the requests. */
  otherCpu: number | undefined;
}

export interface RegistryResult {
  import: ImportResult;
  list: ListResult;
}

/** Fresh tables of a prefix; a benchmark reads and loads the main one, the platform uses both. */
export async function tables(clients: DynamoClients, prefix: string): Promise<TableNames> {
  return ensureTables(clients.client, prefix);
}

function platformOn(clients: DynamoClients, tables: TableNames) {
  const files = mkdtempSync(join(tmpdir(), "pledgewatch-bench-"));
  // The registry benchmark sends no mail and seals nothing.
  const platform = createLocalPlatform({ clients, tables, files, logger, stage: "bench" });
  const { tasks } = platform;
  return { platform, tasks };
}

export const admin: Principal = {
  staffId: "bench-admin",
  email: "admin@bench.pledgewatch.vn",
  name: "Quản trị Benchmark",
  agency: "CT",
  province: "37",
  role: "admin",
};

// ---------------------------------------------------------------------------------------------------
// 1. Import
// ---------------------------------------------------------------------------------------------------

export async function benchImport(
  endpoint: string,
  javaPid: number,
  log: (line: string) => void,
): Promise<ImportResult> {
  const clients = createDynamoClients({ region: "ap-southeast-1", endpoint });
  const meter = dynamoCallMeter(clients.client);
  const group: SignerGroup = "ecommerce_platform";
  const importFile = (rows: number, seed: number, firstTaxCode: number) => {
    const random = seededRandom(seed);
    const taxCode = taxCodeSequence(firstTaxCode);
    return writeXlsx({
      name: "Danh sach",
      headers: ["Tên", "Mã số thuế", "Tỉnh/thành", "Email", "Điện thoại"],
      rows: Array.from({ length: rows }, (_, i) => {
        const name = sellerName(random);
        return [name, taxCode(), "Ninh Bình", emailFor(name, i + 1), mobilePhone(random)];
      }),
    });
  };

  // An optional warm-up import on its own table, not counted (`BENCH_IMPORT_WARM_UP_ROWS`, default none:
  // the recorded figure is the conservative one, on a JVM started for the benchmark, whose first seconds
  // of work run before the JIT has compiled DynamoDB Local's write path — DynamoDB on AWS has no such
  // start). On 2026-12-02 a 1,000-row warm-up made the 10,000-row import 18.9 s → 15.3 s.
  const warm = await (async () => {
    if (WARM_UP_ROWS === 0) return { ms: 0 };
    const warmTables = await tables(clients, "bench-import-warm");
    const { platform: warmPlatform, tasks: warmTasks } = platformOn(clients, warmTables);
    const file = await importFile(WARM_UP_ROWS, 5, 280_100_000);
    return timed(async () => {
      const table = await readTable(file);
      if (!table.ok) throw new Error("warm-up file unreadable");
      const previewed = await warmPlatform.deps.imports.preview(admin, {
        group,
        fileName: "warm-up.xlsx",
        table: { headers: table.headers, rows: table.rows },
      });
      await warmPlatform.deps.imports.commit(admin, previewed.id);
      await warmTasks.idle();
    });
  })();
  log(`warm-up import: ${WARM_UP_ROWS} rows in ${(warm.ms / 1000).toFixed(2)} s (not counted)`);

  const importTables = await tables(clients, "bench-import");

  const { platform, tasks } = platformOn(clients, importTables);
  const generated = await timed(() => importFile(IMPORT_ROWS, 3, 270_100_000));
  const bytes = generated.value;
  log(`import file: ${IMPORT_ROWS} rows, ${(bytes.byteLength / 1024).toFixed(0)} KiB`);

  const rss = sampleRss(100);
  const others = otherCpuMeter([process.pid, javaPid]);
  const read = await timed(() => readTable(bytes));
  if (!read.value.ok) throw new Error(`import file unreadable: ${read.value.error}`);
  const { headers, rows } = read.value;
  log(`read: ${(read.ms / 1000).toFixed(2)} s`);

  const previewCalls = meter.start();
  const preview = await timed(() =>
    platform.deps.imports.preview(admin, {
      group,
      fileName: `bench-${IMPORT_ROWS}.xlsx`,
      table: { headers, rows },
    }),
  );
  log(`preview: ${(preview.ms / 1000).toFixed(2)} s, ${previewCalls.calls} DynamoDB requests`);

  const commitCalls = meter.start();
  const commit = await timed(async () => {
    await platform.deps.imports.commit(admin, preview.value.id);
    await tasks.idle();
  });
  meter.stop();
  const memory = rss.stop();
  const otherCpu = others.stop();
  log(`commit: ${(commit.ms / 1000).toFixed(2)} s, ${commitCalls.calls} DynamoDB requests`);

  const job = await platform.deps.imports.get(admin, preview.value.id);
  let partiesCounted = 0;
  let cursor: string | undefined;
  do {
    const page = await platform.deps.parties.list(admin, {
      agency: "CT",
      province: "37",
      group,
      limit: 200,
      cursor,
    });
    partiesCounted += page.items.length;
    cursor = page.next;
  } while (cursor);
  log(`job ${job.status}; ${partiesCounted} parties listed in CT × 37`);

  clients.client.destroy();
  const totalMs = read.ms + preview.ms + commit.ms;
  return {
    warmUp: { rows: WARM_UP_ROWS, ms: warm.ms },
    rows: rows.length,
    fileBytes: bytes.byteLength,
    generateMs: generated.ms,
    readMs: read.ms,
    previewMs: preview.ms,
    commitMs: commit.ms,
    totalMs,
    rowsPerSecond: rows.length / (totalMs / 1000),
    rssBaseline: memory.baseline,
    rssPeak: memory.peak,
    counts: preview.value.counts,
    errorCount: preview.value.errorCount,
    status: job.status,
    failure: job.failure,
    deadLetters: tasks.deadLetters.length,
    partiesCounted,
    previewCalls,
    commitCalls,
    otherCpu,
  };
}

// ---------------------------------------------------------------------------------------------------
// 2. List, search and lookup with 150,000 parties
// ---------------------------------------------------------------------------------------------------

/** Signs in through the real form (CSRF cookie, form post) like a browser, and returns the session cookie. */
/** Creates the benchmark's admin account on a platform and signs it in: its session cookie. */
export async function signedInAdmin(
  platform: Pick<LocalPlatformInstance, "app" | "repositories">,
): Promise<string> {
  const now = new Date().toISOString();
  await platform.repositories.staff.create({
    id: randomUUID(),
    email: admin.email,
    name: admin.name,
    agency: admin.agency,
    province: admin.province,
    role: "admin",
    status: "active",
    passwordHash: await hashPassword(PASSWORD),
    createdAt: now,
    updatedAt: now,
  });
  return signIn(platform.app, admin.email, PASSWORD);
}

export async function signIn(app: Platform["app"], email: string, password: string): Promise<string> {
  const form = await app.request("/sign-in");
  const csrf = /pw_csrf=([^;]+)/.exec(form.headers.get("set-cookie") ?? "")?.[1] ?? "";
  const res = await app.request(
    "/sign-in",
    {
      method: "POST",
      body: new URLSearchParams({ _csrf: csrf, email, password, next: "/console" }),
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Origin: "http://localhost",
        Cookie: `pw_csrf=${csrf}`,
      },
    },
    { remoteAddress: "10.0.0.1" },
  );
  const session = /pw_session=([^;]+)/.exec(res.headers.get("set-cookie") ?? "")?.[1];
  if (!session) throw new Error(`sign-in failed with status ${res.status}`);
  return `pw_session=${session}`;
}

const CONSOLE_ROW = /href="\/console\/parties\/(?!new"|export)[^"?]+"/g;

async function measureEndpoint(
  app: Platform["app"],
  meter: ReturnType<typeof dynamoCallMeter>,
  cookie: string,
  endpoint: { key: string; label: string; path: string },
): Promise<EndpointResult> {
  const statuses: Record<string, number> = {};
  let rows = 0;
  let hasNext = false;
  const once = async () => {
    const start = performance.now();
    const res = await app.request(endpoint.path, { headers: { Cookie: cookie } });
    const body = await res.text();
    const ms = performance.now() - start;
    statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    if (endpoint.path.startsWith("/api/")) {
      const page = JSON.parse(body) as { items?: unknown[]; next?: string };
      rows = page.items?.length ?? 0;
      hasNext = Boolean(page.next);
    } else {
      rows = body.match(CONSOLE_ROW)?.length ?? 0;
      hasNext = body.includes('rel="next"');
    }
    return ms;
  };
  for (let i = 0; i < WARM_UP; i++) await once();
  for (const key of Object.keys(statuses)) delete statuses[key];
  const calls = meter.start();
  const samples: number[] = [];
  for (let i = 0; i < REQUESTS; i++) samples.push(await once());
  meter.stop();
  return { ...endpoint, latency: summarize(samples), statuses, rows, hasNext, calls };
}

export async function benchList(
  endpoint: string,
  javaPid: number,
  log: (line: string) => void,
): Promise<ListResult> {
  const clients = createDynamoClients({ region: "ap-southeast-1", endpoint });
  const meter = dynamoCallMeter(clients.client);
  const listTables = await tables(clients, "bench-list");
  const tableName = listTables.main;

  const load = await bulkLoadParties(clients.doc, tableName, {
    count: LOADED_PARTIES,
    seed: 7,
    concurrency: 8,
    onProgress: (done) => log(`loaded ${done.toLocaleString("en")} parties`),
  });
  log(
    `load: ${load.parties} parties, ${load.items} items in ${(load.ms / 1000).toFixed(1)} s (${Math.round(load.items / (load.ms / 1000))} items/s)`,
  );

  const { platform } = platformOn(clients, listTables);
  const cookie = await signedInAdmin(platform);

  const group: SignerGroup = "ecommerce_platform";
  const firstPage = await platform.app.request(`/api/v1/parties?limit=50&group=${group}`, {
    headers: { Cookie: cookie },
  });
  const next = ((await firstPage.json()) as { next?: string }).next;
  // Not in the list: the same search where the province filter keeps the fewest entries.
  const smallest = Object.entries(load.byProvince).sort(([, a], [, b]) => a - b)[0]?.[0];

  const endpoints = [
    { key: "console", label: "Console list, first page (CT × Ninh Bình)", path: "/console/parties" },
    { key: "group", label: "API list with group filter", path: `/api/v1/parties?limit=50&group=${group}` },
    ...(next
      ? [
          {
            key: "next",
            label: "API list, next page (cursor)",
            path: `/api/v1/parties?limit=50&group=${group}&cursor=${encodeURIComponent(next)}`,
          },
        ]
      : []),
    { key: "search", label: "API search “nguyen van”", path: "/api/v1/parties?q=nguyen%20van" },
    ...(smallest
      ? [
          {
            key: "search-small",
            label: `API search “nguyen van” in the smallest province (${provinceByCode(smallest)?.name ?? smallest})`,
            path: `/api/v1/parties?q=nguyen%20van&province=${smallest}`,
          },
        ]
      : []),
    ...(load.taxCodeInCt37
      ? [
          {
            key: "lookup",
            label: "API lookup by tax code",
            path: `/api/v1/parties?q=${encodeURIComponent(load.taxCodeInCt37)}`,
          },
        ]
      : []),
  ];
  if (!next) log("the group's first page has no next page: the cursor request is left out");
  if (!load.taxCodeInCt37) log("no CT party with a tax code in province 37: the lookup is left out");
  const results: EndpointResult[] = [];
  const others = otherCpuMeter([process.pid, javaPid]);
  for (const e of endpoints) {
    const result = await measureEndpoint(platform.app, meter, cookie, e);
    log(
      `${e.key}: p50 ${result.latency.p50.toFixed(1)} ms, p95 ${result.latency.p95.toFixed(1)} ms, ${result.rows} rows, ${(result.calls.calls / REQUESTS).toFixed(1)} DynamoDB requests each`,
    );
    results.push(result);
  }
  const otherCpu = others.stop();
  clients.client.destroy();
  return { load, itemsPerParty: load.items / load.parties, endpoints: results, otherCpu };
}

export const REQUEST_COUNTS = { requests: REQUESTS, warmUp: WARM_UP };
