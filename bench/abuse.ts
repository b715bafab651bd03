/**
 * One abusive client against the per-account limit (issue 19, item 4): `npm start`'s composition (the
 * real HTTP server, DynamoDB Local), one reviewer hammering the API with 20 connections while a colleague
 * of another office reads party lists at 5 requests a second; autocannon drives both, for a bounded time.
 * Both run from 127.0.0.1, so the per-address limit is raised here and the run measures the per-account
 * one (the address limit is tested in test/integration/client-limits.test.ts).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEMO_PASSWORD, DEMO_STAFF, freePort, startLocalPlatform } from "@pledgewatch/local";
import { DEFAULT_CLIENT_LIMITS } from "@pledgewatch/web";
import autocannon from "autocannon";
import type { Machine } from "./machine";

const SECONDS = 20;
const FAIR_RATE = 5;

export interface AbuseResult {
  limit: number;
  windowSeconds: number;
  seconds: number;
  abusive: { requests: number; ok: number; refused: number; other: number };
  fair: { requests: number; ok: number; other: number; p50: number; p99: number; max: number };
  alone: { p50: number; p99: number };
}

async function signIn(base: string, email: string): Promise<string> {
  const form = await fetch(`${base}/sign-in`);
  const csrf = /pw_csrf=([^;]+)/.exec(form.headers.get("set-cookie") ?? "")?.[1] ?? "";
  const res = await fetch(`${base}/sign-in`, {
    method: "POST",
    redirect: "manual",
    body: new URLSearchParams({ _csrf: csrf, email, password: DEMO_PASSWORD, next: "/console" }),
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      Origin: base,
      Cookie: `pw_csrf=${csrf}`,
    },
  });
  const session = /pw_session=([^;]+)/.exec(res.headers.get("set-cookie") ?? "")?.[1];
  if (!session) throw new Error(`sign-in failed for ${email} (${res.status})`);
  return `pw_session=${session}`;
}

type Run = autocannon.Result & { statusCodeStats?: Record<string, { count: number }> };
const count = (r: Run, status: number) => r.statusCodeStats?.[String(status)]?.count ?? 0;

function fire(options: autocannon.Options): Promise<Run> {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result as Run)));
  });
}

export async function benchAbuse(log: (line: string) => void): Promise<AbuseResult> {
  const dbPath = await mkdtemp(join(tmpdir(), "pledgewatch-bench-abuse-"));
  const limits = { ...DEFAULT_CLIENT_LIMITS, perAddress: 1e9 };
  const platform = await startLocalPlatform({
    port: await freePort(),
    host: "127.0.0.1",
    dbPath,
    sessionTtlSeconds: 3600,
    logger: { info() {}, warn() {}, error() {} },
    scheduler: false,
    clientLimits: limits,
  });
  try {
    const base = platform.url;
    const greedy = await signIn(
      base,
      DEMO_STAFF.find((s) => s.role === "reviewer" && s.agency === "CT")?.email ?? "",
    );
    const fairCookie = await signIn(
      base,
      DEMO_STAFF.find((s) => s.role === "reviewer" && s.agency === "VHTT")?.email ?? "",
    );
    const fairOptions = {
      url: `${base}/api/v1/parties?limit=20`,
      connections: 2,
      overallRate: FAIR_RATE,
      headers: { cookie: fairCookie },
    };
    log(`abuse: the fair client alone for ${SECONDS / 2} s`);
    const alone = await fire({ ...fairOptions, duration: SECONDS / 2 });
    log(`abuse: one client with 20 connections and the fair one together for ${SECONDS} s`);
    const [abusive, fair] = await Promise.all([
      fire({ url: `${base}/api/v1/me`, connections: 20, duration: SECONDS, headers: { cookie: greedy } }),
      // The fair client starts after the abusive one has used up its window.
      new Promise<Run>((resolve, reject) =>
        setTimeout(() => fire({ ...fairOptions, duration: SECONDS - 2 }).then(resolve, reject), 2000),
      ),
    ]);
    const abusiveTotal = abusive.requests.total;
    return {
      limit: limits.perAccount,
      windowSeconds: limits.windowSeconds,
      seconds: SECONDS,
      abusive: {
        requests: abusiveTotal,
        ok: count(abusive, 200),
        refused: count(abusive, 429),
        other: abusiveTotal - count(abusive, 200) - count(abusive, 429),
      },
      fair: {
        requests: fair.requests.total,
        ok: count(fair, 200),
        other: fair.requests.total - count(fair, 200),
        p50: fair.latency.p50,
        p99: fair.latency.p99,
        max: fair.latency.max,
      },
      alone: { p50: alone.latency.p50, p99: alone.latency.p99 },
    };
  } finally {
    await platform.stop();
    await rm(dbPath, { recursive: true, force: true });
  }
}

export function abuseSection(r: AbuseResult, host: Machine, when: string): string {
  const met = r.fair.p99 < 200 && r.fair.other === 0 && r.abusive.refused > 0;
  return [
    "## One abusive client against the per-account limit (issue 19)",
    "",
    `Run ${when} at ${host.code}, on ${host.cpu}, ${host.cores} cores, ${host.memoryGiB.toFixed(1)} GiB RAM, ${host.os}; Node ${host.node}. \`BENCH_ONLY=abuse npm run bench\` runs this benchmark alone (about ${Math.round(r.seconds * 1.5 + 15)} s).`,
    "",
    `npm start's composition (HTTP server, DynamoDB Local); limit ${r.limit} requests per account per ${r.windowSeconds} s, counted in the table. autocannon drives one reviewer on \`GET /api/v1/me\` with 20 connections for ${r.seconds} s, and a colleague of another office on \`GET /api/v1/parties?limit=20\` at ${FAIR_RATE} requests/s beside it (both from 127.0.0.1, so the per-address limit is raised for this run).`,
    "",
    "| Client | Requests | 200 | 429 | Other | p50 | p99 | max | Goal | |",
    "|---|---|---|---|---|---|---|---|---|---|",
    `| abusive (20 connections) | ${r.abusive.requests} | ${r.abusive.ok} | ${r.abusive.refused} | ${r.abusive.other} | | | | refused with 429 past the limit | ${r.abusive.refused > 0 && r.abusive.ok <= r.limit * Math.ceil(r.seconds / r.windowSeconds + 1) ? "met" : "**missed**"} |`,
    `| fair (${FAIR_RATE}/s, beside it) | ${r.fair.requests} | ${r.fair.ok} | 0 | ${r.fair.other} | ${r.fair.p50} ms | ${r.fair.p99} ms | ${r.fair.max} ms | all served, p99 < 200 ms | ${met ? "met" : "**missed**"} |`,
    `| fair, alone first | | | | | ${r.alone.p50} ms | ${r.alone.p99} ms | | | |`,
    "",
    "A refused request still costs the function one counter update in DynamoDB: the limit protects the other clients and the data, not the bill. A flood bigger than the stage's throttle (50 requests/s) is API Gateway's to refuse; a volumetric attack needs CloudFront with AWS WAF in front (docs/decisions.md).",
  ].join("\n");
}
