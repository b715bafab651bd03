/** docs/benchmarks.md: each benchmark owns the text between its marker comments and rewrites only that. */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { PROVINCES } from "@pledgewatch/core";
import type { CoverageResult } from "./coverage";
import type { Machine } from "./machine";
import { IMPORT_ROWS, LOADED_PARTIES, REQUEST_COUNTS, type RegistryResult } from "./registry";
import { type CallStats, mb } from "./stats";

const INTRO = `# Benchmarks

\`npm run bench\` starts an in-memory DynamoDB Local, runs the benchmarks below against the real platform
(the same composition root, adapters and HTTP app as production, in one Node process) and rewrites the
results here. It needs Java 17+ and takes about seven minutes on a 2-core machine, most of it loading
150,000 parties. Benchmarks measure; they never fail on a number. The goals are those stated in the
issues; a missed goal is reported as it is.

Each benchmark writes only between its own marker comments, so benchmarks of other issues can add their
sections without clobbering these.
`;

/** Replaces the text between `<!-- bench:<key>:start -->` and `<!-- bench:<key>:end -->`, or appends it. */
export function writeSection(file: string, key: string, body: string): void {
  const start = `<!-- bench:${key}:start -->`;
  const end = `<!-- bench:${key}:end -->`;
  const block = `${start}\n${body.trim()}\n${end}`;
  const current = existsSync(file) ? readFileSync(file, "utf8") : INTRO;
  const from = current.indexOf(start);
  const to = current.indexOf(end);
  const next =
    from >= 0 && to > from
      ? `${current.slice(0, from)}${block}${current.slice(to + end.length)}`
      : `${current.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, next);
}

const int = (n: number) => Math.round(n).toLocaleString("en");
const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const msText = (ms: number) => `${ms.toFixed(1)} ms`;
const pct = (part: number, whole: number) => `${((100 * part) / whole).toFixed(1)} %`;
const verdict = (met: boolean) => (met ? "met" : "**missed**");

export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
}

function callSummary(calls: CallStats): string {
  const parts = Object.entries(calls.byCommand)
    .sort(([, a], [, b]) => b.calls - a.calls)
    .map(([name, c]) => `${name} ${int(c.calls)} (mean ${(c.ms / c.calls).toFixed(1)} ms)`);
  return `${int(calls.calls)}: ${parts.join(", ")}`;
}

const provinceName = (code: string) => PROVINCES.find((p) => p.code === code)?.name ?? code;

export function registrySection(
  result: RegistryResult,
  host: Machine,
  when: string,
  benchMs: number,
): string {
  const imp = result.import;
  const { load, endpoints } = result.list;
  const importMet = imp.totalMs < 30_000 && imp.status === "committed";
  const lines: string[] = [];
  const out = (line = "") => lines.push(line);

  out("## Registry (issue 3)");
  out();
  out(
    `Run ${when} at ${host.code}, on ${host.cpu}, ${host.cores} cores, ${host.memoryGiB.toFixed(1)} GiB RAM, ${host.os}; ` +
      `Node ${host.node}; ${host.java}; DynamoDB Local (${host.dynamoLocal}, in memory). ` +
      `The whole \`npm run bench\` took ${duration(benchMs)}.`,
  );
  out();
  out("| Measure | Result | Goal | |");
  out("|---|---|---|---|");
  out(
    `| Import of ${int(IMPORT_ROWS)} rows: read + preview + commit | ${sec(imp.totalMs)} (${int(imp.rowsPerSecond)} rows/s) | under 30 s | ${verdict(importMet)} |`,
  );
  for (const e of endpoints) {
    out(`| ${e.label}: p95 | ${msText(e.latency.p95)} | under 200 ms | ${verdict(e.latency.p95 < 200)} |`);
  }
  out();

  out(`### Import of ${int(IMPORT_ROWS)} rows`);
  out();
  out(
    `An XLSX of ${int(IMPORT_ROWS)} new \`ecommerce_platform\` rows (${(imp.fileBytes / 1024).toFixed(0)} KiB; columns Tên, ` +
      "Mã số thuế, Tỉnh/thành, Email, Điện thoại; unique valid tax codes, Ninh Bình, Vietnamese names), " +
      "imported by an admin through `platform.deps.imports` on an empty table, as the console and API do " +
      "after the upload: `readTable`, `preview`, then `commit` and waiting for the in-process task queue. " +
      (imp.warmUp.rows > 0
        ? `Before it, a warm-up import of ${int(imp.warmUp.rows)} rows on another table (${sec(imp.warmUp.ms)}, not counted), as the list measurements have warm-up requests: DynamoDB Local is a JVM started for the benchmark, whose first seconds run before its write path is compiled.`
        : "No warm-up import before it (`BENCH_IMPORT_WARM_UP_ROWS=0`): DynamoDB Local's JVM starts cold."),
  );
  out();
  out("| Step | Time | DynamoDB requests (mean time each, queueing included) |");
  out("|---|---|---|");
  out(`| Make the XLSX (not counted) | ${sec(imp.generateMs)} | – |`);
  out(`| Read the file (\`readTable\`) | ${sec(imp.readMs)} | – |`);
  out(
    `| Preview: validate and match every row, store the plan | ${sec(imp.previewMs)} | ${callSummary(imp.previewCalls)} |`,
  );
  out(
    `| Commit: write every row, all or nothing, with undo records | ${sec(imp.commitMs)} | ${callSummary(imp.commitCalls)} |`,
  );
  out(`| **Total** | **${sec(imp.totalMs)}** | ${int(imp.rowsPerSecond)} rows/s |`);
  out();
  out(
    `Peak RSS of the Node process (sampled every 100 ms from the read to the end of the commit): ` +
      `${mb(imp.rssPeak).toFixed(0)} MiB (${mb(imp.rssBaseline).toFixed(0)} MiB before). ` +
      `Job status afterwards: ${imp.status}${imp.failure ? ` (${imp.failure})` : ""}; ` +
      `${int(imp.counts.create)} to create, ${int(imp.counts.update)} to update, ${int(imp.counts.skipped)} skipped, ` +
      `${int(imp.errorCount)} row errors, ${imp.deadLetters} failed tasks; ` +
      `${int(imp.partiesCounted)} parties found by listing CT × Ninh Bình with the group filter.`,
  );
  out();

  out(`### List, search and lookup with ${int(LOADED_PARTIES)} parties`);
  out();
  const top = Object.entries(load.byProvince)
    .sort(([, a], [, b]) => b - a)
    .slice(0, 3)
    .map(([code, n]) => `${provinceName(code)} ${pct(n, load.parties)}`)
    .join(", ");
  out(
    `Loaded ${int(load.parties)} parties of all 12 signer groups over all ${Object.keys(load.byProvince).length} provinces ` +
      `(largest: ${top}; ${int(load.national)} national parties, ${pct(load.national, load.parties)}, in 3 to 34 provinces) ` +
      `in ${sec(load.ms)}: ${int(load.items)} DynamoDB items, **${result.list.itemsPerParty.toFixed(2)} items per party** on average ` +
      "(what `partyWriteItems` produces for a new party created by hand: the party, one list entry per province when " +
      "there are several, one claim per identifier, one search item per indexed suffix of the name (`searchSuffixes`) " +
      "beyond the first (on the party) and those carried by the claims, one history entry), written with BatchWriteItem, " +
      `25 items per request, 8 requests in flight, ${int(load.items / (load.ms / 1000))} items/s. ` +
      `The signed-in admin's own partition, CT × Ninh Bình, holds ${int(load.byAgencyProvince["CT#37"] ?? 0)} parties.`,
  );
  out();
  out(
    `${REQUEST_COUNTS.requests} sequential requests per row after ${REQUEST_COUNTS.warmUp} warm-up requests, through \`app.request\` ` +
      "(the HTTP app in memory) with the session cookie of a real sign-in; each includes the session lookup, " +
      "authorisation, the DynamoDB queries, and rendering or serialising the response, but no network hop.",
  );
  out();
  out("| Request | p50 | p95 | p99 | max | Rows | DynamoDB requests per call | Status |");
  out("|---|---|---|---|---|---|---|---|");
  for (const e of endpoints) {
    const perCall = (e.calls.calls / e.latency.count).toFixed(1);
    const dynamoMs = (e.calls.ms / e.latency.count).toFixed(1);
    const statuses = Object.entries(e.statuses)
      .map(([status, n]) => `${n}× ${status}`)
      .join(", ");
    out(
      `| ${e.label} <br>\`${e.path.length > 70 ? `${e.path.slice(0, 67)}…` : e.path}\` | ${msText(e.latency.p50)} | ${msText(e.latency.p95)} | ${msText(e.latency.p99)} | ${msText(e.latency.max)} | ${e.rows}${e.hasNext ? " + next" : ""} | ${perCall} (${dynamoMs} ms) | ${statuses} |`,
    );
  }
  out();

  out("### What is measured");
  out();
  out(
    "- DynamoDB Local (Java, SQLite in memory) runs on the same 2-core machine as the Node process and competes " +
      "with it for the CPU; each request to it costs about a millisecond of local round trip and Java work. " +
      "Absolute numbers are therefore pessimistic compared with DynamoDB on AWS (and Lambda), but comparable " +
      "between runs on the same machine.",
  );
  const share = (x: number | undefined) => (x === undefined ? "unknown" : `${(100 * x).toFixed(0)} %`);
  out(
    `- Other processes on the machine used ${share(imp.otherCpu)} of its CPU during the import and ` +
      `${share(result.list.otherCpu)} during the requests (busy time from /proc/stat minus that of Node and ` +
      "DynamoDB Local). Above a few per cent, the figures are inflated by that competition; compare runs on a quiet machine.",
  );
  out(
    "- The commit keeps 8 batches in flight (the import service's default); DynamoDB Local carries out writes " +
      "one at a time, so the mean times of the commit's requests include waiting behind the others.",
  );
  out(
    "- The import runs on its own empty table; the list measurements on a second table holding only the " +
      `${int(LOADED_PARTIES)} bulk-loaded parties (and the admin's account and session).`,
  );
  out(
    "- Data is generated from fixed seeds: groups weighted from 2 % (social networks, press) to 25 % (doctors); " +
      "Ninh Bình and Hồ Chí Minh City about 17–18 % each, Hà Nội 8 %, the other 31 provinces the rest, unevenly.",
  );
  out(
    "- “DynamoDB requests per call” are counted by a middleware on the SDK client, with the mean time spent " +
      "waiting on them per call in brackets; no application code is changed for the benchmark.",
  );
  return lines.join("\n");
}

export function coverageSection(
  result: CoverageResult,
  host: Machine,
  when: string,
  benchMs: number,
): string {
  const lines: string[] = [];
  const out = (line = "") => lines.push(line);
  const { rollover: r, report } = result;
  const readP95 = Math.max(...result.reads.map((e) => e.latency.p95));
  out("## Renewal and coverage (issue 5)");
  out();
  out(
    `Run ${when} at ${host.code}, on ${host.cpu}, ${host.cores} cores, ${host.memoryGiB.toFixed(1)} GiB RAM, ${host.os}; Node ${host.node}; ${host.java}; DynamoDB Local (in memory). The section took ${duration(benchMs)}.`,
  );
  out();
  out("| Measure | Result | Goal | |");
  out("|---|---|---|---|");
  for (const e of result.reads) {
    out(`| ${e.label}: p95 | ${msText(e.latency.p95)} | under 200 ms | ${verdict(e.latency.p95 < 200)} |`);
  }
  out(
    `| Quarter rollover: invitations to all ${int(r.invitable)} invitable parties | ${r.finished ? sec(r.ms) : `${int(r.invited)} in ${sec(r.ms)}, projected ${duration(r.projectedMs)}`} (${r.perSecond.toFixed(0)}/s) | under 10 min | ${verdict(r.projectedMs < 600_000)}${r.finished ? "" : " (projected)"} |`,
  );
  out(
    `| Quarterly report (national: PDF + XLSX), requested to done | ${sec(report.ms)} | under 60 s | ${verdict(report.ms < 60_000 && report.status === "done")} |`,
  );
  out();
  out("### What was measured");
  out();
  out(
    `- ${int(result.load.parties)} synthetic parties bulk-loaded (the registry bench's generator, ${int(result.load.national)} in several provinces), written without counters; the nightly reconciliation then recounted them from the registry (agency × province lists) and the pledges and repaired the counters: ${sec(result.reconcile.ms)} for ${int(result.reconcile.parties)} parties, ${int(result.reconcile.driftCells)} cells repaired. ${int(result.obligated)} obligated province entries.`,
  );
  out(
    `- Coverage read: ${REQUESTS_TEXT} sequential requests after ${WARM_UP_TEXT} warm-up, in memory through the app (session check included); each reads only the counters (${result.reads.map((e) => `${e.key} ${e.calls.toFixed(1)} DynamoDB requests`).join(", ")}). p50: ${result.reads.map((e) => `${e.key} ${msText(e.latency.p50)}`).join(", ")}. Worst p95 ${msText(readP95)}.`,
  );
  out(
    `- Report: an admin's national report of the current quarter through the background task: counters, the registry read once for the overdue list, PDF (${int(report.pdfBytes / 1024)} KiB, the overdue table capped at 500 rows) and XLSX (${int(report.xlsxBytes / 1024)} KiB, every overdue party), stored write-once; status ${report.status}.`,
  );
  out(
    `- Report steps (its own progress record, sampled every 100 ms): ${report.steps.map((x) => `${x.step} ${sec(x.ms)}`).join("; ")}.`,
  );
  out(
    `- Rollover: \`renewal.rollover\` fanned out one batch task per agency × province (100 parties each, the next page enqueued by the batch), run by a queue with at most 5 tasks at once like the jobs Lambda on AWS; each invitation is the real one (eligibility reads, the one-open-invitation guard, the audit chain, the e-mail — counted, not sent). ${r.finished ? "It finished." : `Stopped after the ${duration(r.ms)} budget; the projection assumes the same rate for the rest.`} ${r.failedTasks} tasks failed.`,
  );
  const share = (x: number | undefined) => (x === undefined ? "unknown" : `${(100 * x).toFixed(0)} %`);
  out(`- Other processes on the machine used ${share(result.otherCpu)} of its CPU during the run.`);
  return lines.join("\n");
}

const REQUESTS_TEXT = "100";
const WARM_UP_TEXT = "10";
