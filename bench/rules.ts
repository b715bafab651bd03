/**
 * Issue 7, flagging rules: listings per second per core over generated listings with the full seed rule
 * set (one compiled matcher), and in the same run the naive baseline (one RegExp per phrase); plus
 * precision and recall on the shared development set (read at bench time if present — benches are not
 * tests) and on the project's own labelled set.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { type Decision, FLAG_TYPES, type FlagItem } from "@pledgewatch/core";
import {
  compileRuleSet,
  measure,
  measurePart,
  OWN_SET_PARTS,
  type PartQuality,
  type Quality,
  readLabelled,
  readOwnSet,
  seedRuleSet,
} from "@pledgewatch/rules";
import { pick, type Random, seededRandom } from "./data";
import type { Machine } from "./machine";
import { otherCpuMeter } from "./stats";

/** Smaller sizes can be given while working on the bench itself; such runs do not write docs/benchmarks.md. */
export const RULES_LISTINGS = Number(process.env.BENCH_RULES_LISTINGS || 100_000);
export const RULES_FULL_SIZE = RULES_LISTINGS === 100_000;
/** The naive baseline is slow (every phrase is a scan of the text): it runs on the first listings only. */
const NAIVE_LISTINGS = Math.min(RULES_LISTINGS, 5_000);
const ROOT = join(import.meta.dirname, "..");
export const DEV_SET = join(ROOT, "..", "shared", "data", "dev-listings.jsonl");

const PRODUCTS = [
  ["Điện thoại Samsung Galaxy A55 5G 8GB/256GB", "Điện thoại", 8_990_000],
  ["iPhone 15 128GB chính hãng VN/A", "Điện thoại", 17_490_000],
  ["Tai nghe AirPods Pro 2", "Tai nghe", 5_490_000],
  ["Bàn làm việc gỗ thông chân sắt", "Nội thất", 1_290_000],
  ["Ghế xoay văn phòng lưới", "Nội thất", 890_000],
  ["Áo thun nam cotton cổ tròn", "Thời trang", 149_000],
  ["Giày Nike Air Force 1 trắng", "Giày dép", 2_690_000],
  ["Túi xách nữ da bò", "Túi xách", 650_000],
  ["Sữa Ensure Gold 850g", "Sữa", 815_000],
  ["Nồi cơm điện 1.8L chống dính", "Gia dụng", 690_000],
  ["Máy lọc không khí Xiaomi 4 Lite", "Gia dụng", 2_990_000],
  ["Son kem lì Hàn Quốc", "Mỹ phẩm", 189_000],
  ["Kem chống nắng La Roche-Posay 50ml", "Mỹ phẩm", 435_000],
  ["Đồng hồ Casio G-Shock GA-2100", "Đồng hồ", 3_200_000],
  ["Sách Nhà Giả Kim - NXB Hội Nhà Văn", "Sách", 79_000],
  ["Viên uống vitamin C 500mg", "Thực phẩm chức năng", 250_000],
] as const;

const FILLER = [
  "Sản phẩm được thiết kế hiện đại, chất liệu bền đẹp, phù hợp sử dụng hằng ngày.",
  "Giao hàng toàn quốc, kiểm tra hàng trước khi thanh toán, đổi trả trong 7 ngày nếu lỗi do nhà sản xuất.",
  "Màn hình sắc nét, pin dung lượng lớn, sạc nhanh, camera chụp đêm rõ nét.",
  "Bảo hành 12 tháng tại các trung tâm bảo hành trên toàn quốc, lỗi 1 đổi 1 trong 30 ngày đầu.",
  "Shop cam kết hàng đúng mô tả, đóng gói cẩn thận, hỗ trợ tư vấn nhiệt tình qua tin nhắn.",
  "Kích thước gọn gàng, dễ lắp đặt, màu sắc trang nhã hợp với nhiều không gian.",
  "Thành phần lành tính, không gây kích ứng, phù hợp với mọi loại da kể cả da nhạy cảm.",
  "Giá đã bao gồm thuế VAT, hỗ trợ xuất hóa đơn cho doanh nghiệp.",
  "Hàng có sẵn tại kho Hà Nội và TP. Hồ Chí Minh, giao nhanh trong ngày nội thành.",
  "Chất vải mềm mại, thấm hút mồ hôi tốt, không phai màu sau nhiều lần giặt.",
];

const SIGNALS = [
  "Hàng rep 1:1 như auth, bao check.",
  "Hàng f4ke loại 1 giá sỉ.",
  "Không có hóa đơn, hàng xách tay Nhật.",
  "Chữa khỏi tiểu đường sau 1 liệu trình.",
  "Bác sĩ bệnh viện tỉnh khuyên dùng.",
  "Hàng không rõ nguồn gốc, giá rẻ.",
  "Thuốc lá điện tử nhiều vị.",
  "Không cần đơn, giao tận nơi.",
  "Nói không với hàng fake, hoàn tiền nếu phát hiện hàng giả.",
  "Thực phẩm này không phải là thuốc và không có tác dụng thay thế thuốc chữa bệnh.",
];

/** Generated listings: 88 % ordinary goods with long descriptions, the rest with a suspicious phrase. */
export function generateListings(count: number, random: Random = seededRandom(7)): FlagItem[] {
  const items: FlagItem[] = [];
  for (let i = 0; i < count; i++) {
    const [title, category, price] = pick(random, PRODUCTS);
    const sentences: string[] = [];
    const length = 2 + Math.floor(random() * 7);
    for (let s = 0; s < length; s++) sentences.push(pick(random, FILLER));
    if (random() < 0.12) sentences.splice(Math.floor(random() * sentences.length), 0, pick(random, SIGNALS));
    const cheap = random() < 0.03;
    items.push({
      id: `bench-${i}`,
      kind: random() < 0.85 ? "listing" : random() < 0.5 ? "ad" : "post",
      platform: pick(random, ["shopee", "lazada", "tiki", "tiktok", "facebook"]),
      title,
      text: sentences.join(" "),
      price: cheap ? Math.round(price * 0.2) : price,
      seller: `Shop ${Math.floor(random() * 5000)}`,
      category,
    });
  }
  return items;
}

export interface ThroughputRun {
  listings: number;
  wallMs: number;
  cpuMs: number;
  perSecondWall: number;
  perSecondPerCore: number;
  flagged: number;
}

function run(evaluate: (item: FlagItem) => Decision, items: readonly FlagItem[]): ThroughputRun {
  // Warm-up: JIT and inline caches, not counted.
  for (let i = 0; i < Math.min(5_000, items.length); i++) evaluate(items[i] as FlagItem);
  let flagged = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < items.length; i++) if (evaluate(items[i] as FlagItem).flagged) flagged++;
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  return {
    listings: items.length,
    wallMs,
    cpuMs,
    perSecondWall: items.length / (wallMs / 1000),
    perSecondPerCore: items.length / (cpuMs / 1000),
    flagged,
  };
}

/** One run of the CLI as a user runs it, start-up included: `pledgewatch flag < file > /dev/null`. */
export interface ProcessRun {
  threads: number;
  listings: number;
  wallMs: number;
  perSecond: number;
}

async function runCli(file: string, listings: number, args: string[]): Promise<number> {
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(ROOT, "packages/rules/bin/pledgewatch.mjs"), "flag", ...args],
      {
        stdio: [openSync(file, "r"), "ignore", "pipe"],
      },
    );
    let stderr = "";
    child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 && stderr.includes(`${listings} lines`)
        ? resolve()
        : reject(new Error(`flag: ${code} ${stderr}`)),
    );
  });
  return performance.now() - started;
}

/** The whole process on one thread and on one per core, the median of three runs each. */
async function processRuns(items: readonly FlagItem[]): Promise<{ one: ProcessRun; all: ProcessRun }> {
  const dir = mkdtempSync(join(tmpdir(), "pw-bench-flag-"));
  try {
    const file = join(dir, "listings.jsonl");
    writeFileSync(file, `${items.map((i) => JSON.stringify(i)).join("\n")}\n`);
    const median = async (args: string[]) => {
      const times: number[] = [];
      for (let i = 0; i < 3; i++) times.push(await runCli(file, items.length, args));
      return times.sort((a, b) => a - b)[1] as number;
    };
    const oneMs = await median(["--threads", "1"]);
    const threads = availableParallelism();
    const allMs = await median([]);
    const of = (t: number, ms: number): ProcessRun => ({
      threads: t,
      listings: items.length,
      wallMs: ms,
      perSecond: items.length / (ms / 1000),
    });
    return { one: of(1, oneMs), all: of(threads, allMs) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface RulesBenchResult {
  rules: number;
  phrases: number;
  compileMs: number;
  textChars: number;
  compiled: ThroughputRun;
  naive: ThroughputRun;
  sameDecisions: boolean;
  process: { one: ProcessRun; all: ProcessRun };
  otherCpu: number | undefined;
  dev: { tuned: Quality; heldOut: Quality; whole: Quality } | null;
  own: { tuning: PartQuality; heldOut: PartQuality };
}

export async function benchRules(log: (line: string) => void): Promise<RulesBenchResult> {
  const items = generateListings(RULES_LISTINGS);
  const textChars = items.reduce((n, i) => n + i.title.length + (i.text?.length ?? 0), 0);
  log(
    `rules: ${items.length.toLocaleString("en")} listings generated, ${Math.round(textChars / items.length)} characters each on average`,
  );
  const t0 = performance.now();
  const compiledSet = compileRuleSet(seedRuleSet());
  const compileMs = performance.now() - t0;
  const naiveSet = compileRuleSet(seedRuleSet(), { matcher: "naive" });
  const other = otherCpuMeter([process.pid]);
  const compiled = run(compiledSet.evaluate, items);
  log(
    `rules: compiled matcher ${Math.round(compiled.perSecondPerCore).toLocaleString("en")} listings/s per core`,
  );
  const subset = items.slice(0, NAIVE_LISTINGS);
  const naive = run(naiveSet.evaluate, subset);
  log(`rules: naive baseline ${Math.round(naive.perSecondPerCore).toLocaleString("en")} listings/s per core`);
  const otherCpu = other.stop();
  // After the in-process runs and their noise meter: the CLI's own processes would count as other load.
  const processes = await processRuns(items);
  log(
    `rules: the CLI, start-up included: ${int(processes.one.perSecond)} listings/s on 1 thread, ${int(processes.all.perSecond)} on ${processes.all.threads}`,
  );
  // Outside the timed runs: both matchers must decide every listing of the subset the same way.
  const sameDecisions = subset.every(
    (item) => JSON.stringify(compiledSet.evaluate(item)) === JSON.stringify(naiveSet.evaluate(item)),
  );
  let dev: RulesBenchResult["dev"] = null;
  if (existsSync(DEV_SET)) {
    const labelled = readLabelled(DEV_SET);
    const decided = labelled.map(({ item, label }) => ({ decision: compiledSet.evaluate(item), label }));
    const half = Math.ceil(decided.length / 2);
    dev = {
      tuned: measure(decided.slice(0, half)),
      heldOut: measure(decided.slice(half)),
      whole: measure(decided),
    };
  } else {
    log(`rules: ${DEV_SET} not found; precision and recall on the development set not measured`);
  }
  const ownSet = readOwnSet(ROOT);
  const own = {
    tuning: measurePart(compiledSet, ownSet.tuning),
    heldOut: measurePart(compiledSet, ownSet.heldOut),
  };
  return {
    rules: compiledSet.ruleCount,
    phrases: compiledSet.phraseCount,
    compileMs,
    textChars,
    compiled,
    naive,
    sameDecisions,
    process: processes,
    otherCpu,
    dev,
    own,
  };
}

const GOAL_PER_CORE = 20_000;
/** Issue 23, item 4: the whole process on 2 cores, start-up included, and its lead on the naive baseline. */
const GOAL_PROCESS = 30_000;
const GOAL_PROCESS_VS_NAIVE = 8;
const GOAL_PRECISION = 0.9;
const GOAL_RECALL = 0.85;
/** Issue 23: per violation type, on the held-out part of the project's own set. */
const GOAL_TYPE_PRECISION = 0.95;
const GOAL_TYPE_RECALL = 0.9;
const int = (n: number) => Math.round(n).toLocaleString("en");
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const verdict = (met: boolean) => (met ? "met" : "**missed**");

export function rulesSection(r: RulesBenchResult, host: Machine, when: string): string {
  const lines: string[] = [];
  const out = (line = "") => lines.push(line);
  out("## Flagging rules (issue 7)");
  out();
  out(
    `Run ${when} at ${host.code}, on ${host.cpu}, ${host.cores} cores, ${host.memoryGiB.toFixed(1)} GiB RAM, ${host.os}; ` +
      `Node ${host.node}. \`BENCH_ONLY=rules npm run bench\` runs this benchmark alone (about a minute, no Java).`,
  );
  out();
  out("| Measure | Result | Goal | |");
  out("|---|---|---|---|");
  out(
    `| Listings per second per core, full seed rule set (compiled matcher) | ${int(r.compiled.perSecondPerCore)} | at least ${int(GOAL_PER_CORE)} | ${verdict(r.compiled.perSecondPerCore >= GOAL_PER_CORE)} |`,
  );
  const lead = r.process.all.perSecond / r.naive.perSecondWall;
  out(
    `| Listings per second, the whole \`pledgewatch flag\` process on ${r.process.all.threads} threads, start-up included | ${int(r.process.all.perSecond)} | at least ${int(GOAL_PROCESS)} | ${verdict(r.process.all.perSecond >= GOAL_PROCESS)} |`,
  );
  out(
    `| The same, as a multiple of the naive baseline's listings per second in this run | ${lead.toFixed(1)}× | at least ${GOAL_PROCESS_VS_NAIVE}× | ${verdict(lead >= GOAL_PROCESS_VS_NAIVE)} |`,
  );
  if (r.dev) {
    out(
      `| Precision, held-out half of the development set | ${pct(r.dev.heldOut.precision)} | at least ${pct(GOAL_PRECISION)} | ${verdict(r.dev.heldOut.precision >= GOAL_PRECISION)} |`,
    );
    out(
      `| Recall, held-out half of the development set | ${pct(r.dev.heldOut.recall)} | at least ${pct(GOAL_RECALL)} | ${verdict(r.dev.heldOut.recall >= GOAL_RECALL)} |`,
    );
  } else {
    out(
      "| Precision and recall on the development set | not measured: `../shared/data/dev-listings.jsonl` absent | – | – |",
    );
  }
  out();
  out(
    `${int(r.compiled.listings)} generated listings (${int(r.textChars / r.compiled.listings)} characters of title and text on average; 88 % ordinary goods, 12 % with a suspicious phrase, 3 % priced far below the reference), evaluated one after another in one Node process with the seed rule set: ${r.rules} rules, ${int(r.phrases)} distinct phrases (including context exceptions and the ${"reference catalogue's"} words). Per core = listings ÷ CPU time of the process (user + system) during the run; 5,000 warm-up evaluations not counted. Compiling the rule set took ${r.compileMs.toFixed(1)} ms.`,
  );
  out();
  out("| Matcher | Listings | Listings/s per core | Listings/s (wall clock) | CPU time | Flagged |");
  out("|---|---|---|---|---|---|");
  for (const [label, run] of [
    ["Compiled: one trie over all phrases", r.compiled],
    ["Naive baseline: one RegExp per phrase", r.naive],
  ] as const) {
    out(
      `| ${label} | ${int(run.listings)} | ${int(run.perSecondPerCore)} | ${int(run.perSecondWall)} | ${(run.cpuMs / 1000).toFixed(2)} s | ${int(run.flagged)} |`,
    );
  }
  out();
  out(
    `The compiled matcher is **${(r.compiled.perSecondPerCore / r.naive.perSecondPerCore).toFixed(1)}×** the baseline. Both share the tokenisation (NFC, case and diacritics folding, obfuscations) and the rules' checks; ` +
      `the baseline runs on the first ${int(r.naive.listings)} listings only (it would take minutes over all of them), and on those the two matchers' decisions were ${r.sameDecisions ? "identical" : "**not identical** (a bug)"}.`,
  );
  out();
  out("### The whole process (issue 23, item 4)");
  out();
  out(
    `\`node packages/rules/bin/pledgewatch.mjs flag [--threads 1] < listings.jsonl > /dev/null\` over the same ${int(r.process.all.listings)} listings (one JSON line each), timed from spawn to exit: start-up (Node, tsx, the flagging contract, compiling the rules), reading, evaluating and writing every decision. Median of three runs each.`,
  );
  out();
  out("| Run | Threads | Wall clock | Listings/s |");
  out("|---|---|---|---|");
  for (const [label, p] of [
    ["One thread (`--threads 1`)", r.process.one],
    ["Default (one worker thread per core)", r.process.all],
  ] as const) {
    out(`| ${label} | ${p.threads} | ${(p.wallMs / 1000).toFixed(2)} s | ${int(p.perSecond)} |`);
  }
  out();
  out(
    "On a large input (over 1 MB) the main thread cuts the input into batches of whole lines and moves each batch's bytes to the least busy worker (no copy); each worker has the rule set compiled once and sends its output back as bytes, which the main thread writes in input order. The output is byte for byte the single thread's (packages/rules/src/cli/parallel.test.ts).",
  );
  out();
  out("### Quality");
  out();
  const row = (label: string, q: Quality) =>
    `| ${label} | ${q.items} | ${q.positives} | ${pct(q.precision)} | ${pct(q.recall)} | ${pct(q.agencyAccuracy)} | ${pct(q.agencyOwnerAccuracy)} |`;
  out(
    "| Labelled set | Items | Violations | Precision | Recall | Agency among labelled | Agency = usual owner |",
  );
  out("|---|---|---|---|---|---|---|");
  if (r.dev) {
    out(row("Development set, first half (rules tuned on it)", r.dev.tuned));
    out(row("Development set, second half (held out)", r.dev.heldOut));
    out(row("Development set, whole", r.dev.whole));
  }
  out(row("The project's own set, tuning part (rules tuned on it)", r.own.tuning.quality));
  out(row("The project's own set, held-out part (never tuned on)", r.own.heldOut.quality));
  out();
  out(
    `The project's own set is in \`test/fixtures/flagging/\` (its PROVENANCE.md says who wrote each part and how it was kept out of tuning): tuning part ${OWN_SET_PARTS.tuning.map((f) => `\`${f}\``).join(", ")}; held-out part ${OWN_SET_PARTS.heldOut.map((f) => `\`${f}\``).join(", ")}.`,
  );
  out();
  out("#### Per violation type and per agency (issue 23)");
  out();
  out(
    `Recall: of the items labelled with the type, the share flagged. Precision: of the flagged items with a reason of the type, the share that are violations. Goal on the held-out part, per type: precision at least ${pct(GOAL_TYPE_PRECISION)}, recall at least ${pct(GOAL_TYPE_RECALL)}.`,
  );
  out();
  out("| Type | Held out: precision | Held out: recall | | Tuning: precision | Tuning: recall |");
  out("|---|---|---|---|---|---|");
  const frac = (a: number, b: number, x: number) => `${pct(x)} (${a}/${b})`;
  for (const type of FLAG_TYPES) {
    const h = r.own.heldOut.types[type];
    const t = r.own.tuning.types[type];
    const met = h.precision >= GOAL_TYPE_PRECISION && h.recall >= GOAL_TYPE_RECALL;
    out(
      `| ${type} | ${frac(h.right, h.flagged, h.precision)} | ${frac(h.caught, h.labelled, h.recall)} | ${verdict(met)} | ${frac(t.right, t.flagged, t.precision)} | ${frac(t.caught, t.labelled, t.recall)} |`,
    );
  }
  out();
  out(
    "| Agency (usual owner) | Held out: precision | Held out: recall | Tuning: precision | Tuning: recall |",
  );
  out("|---|---|---|---|---|");
  for (const agency of ["CT", "VHTT", "YT"] as const) {
    const h = r.own.heldOut.agencies[agency];
    const t = r.own.tuning.agencies[agency];
    out(
      `| ${agency} | ${frac(h.right, h.flagged, h.precision)} | ${frac(h.caught, h.labelled, h.recall)} | ${frac(t.right, t.flagged, t.precision)} | ${frac(t.caught, t.labelled, t.recall)} |`,
    );
  }
  out();
  out(
    "The development set is `../shared/data/dev-listings.jsonl`, read at bench time when present (it is not part of the project). " +
      "How far the held-out figures can be trusted is written in docs/decisions.md (Flagging rules): the seed rules were tuned against the first half only, " +
      "but the whole file had been read once while learning its format, so the second half is held out from tuning, not unseen.",
  );
  out();
  out(
    `Other processes used ${r.otherCpu === undefined ? "an unknown share" : pct(r.otherCpu)} of the machine's CPU during the throughput runs; per-core figures count only this process's CPU time, so they are less sensitive to that than wall-clock ones.`,
  );
  return lines.join("\n");
}
