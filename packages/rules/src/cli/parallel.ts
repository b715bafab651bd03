import { availableParallelism } from "node:os";
import type { Readable, Writable } from "node:stream";
import { Worker } from "node:worker_threads";
import type { RuleSet } from "@pledgewatch/core/flagging";
import { type CompiledRuleSet, compileRuleSet } from "../engine";
import { type FlagStreamResult, flagLine, writeChunk } from "./flag-stream";

/**
 * Bytes of whole lines per batch a worker evaluates (about 1,500 listings of the bench): large enough that
 * messaging costs little, small enough that the workers interleave and the first output comes soon.
 */
export const BATCH_BYTES = 1 << 20;

export interface ParallelOptions {
  /** Worker threads. @default the machine's available parallelism */
  threads?: number;
  /** Bytes per batch. @default BATCH_BYTES */
  batchBytes?: number;
  /** The worker's entry (a .mjs that loads TypeScript through tsx). @default ../../bin/flag-worker.mjs */
  workerUrl?: URL;
  /**
   * Workers started early, before the rule set was read (bin/pledgewatch.mjs starts them when its input
   * is a file over one batch, so that their start-up overlaps this thread's). They are sent the rule set
   * first, used instead of new ones, and stopped at the end either way.
   */
  workers?: Worker[];
}

/** Whole lines of the input: `bytes` is UTF-8 and ends at a line break (or at the end of the input). */
export interface Batch {
  seq: number;
  firstLine: number;
  bytes: Uint8Array;
}

export interface BatchResult {
  seq: number;
  /** The output lines, each followed by "\n", as UTF-8. */
  bytes: Uint8Array;
  lines: number;
  flagged: number;
  errors: number;
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/**
 * What a worker does with one batch: the lines as readline reads them (a CRLF is one break, the break at
 * the very end adds no empty line, a BOM opens the first line only), each through the same flagLine as
 * the single-threaded path, so the output is byte for byte the same.
 */
export function flagBatch(rules: CompiledRuleSet, batch: Batch): BatchResult {
  const text = decoder.decode(batch.bytes);
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  let flagged = 0;
  let errors = 0;
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i] as string;
    if (line.endsWith("\r")) line = line.slice(0, -1);
    const n = batch.firstLine + i;
    if (n === 1) line = line.replace(/^\uFEFF/, "");
    const result = flagLine(rules, line, n);
    if (result.flagged === null) errors++;
    else if (result.flagged) flagged++;
    out.push(result.output);
  }
  const bytes = encoder.encode(out.length > 0 ? `${out.join("\n")}\n` : "");
  return { seq: batch.seq, bytes, lines: lines.length, flagged, errors };
}

/** Lines in `bytes` the way flagBatch splits them. */
function countLines(bytes: Uint8Array): number {
  let count = 0;
  for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) count++;
  return bytes.length > 0 && bytes[bytes.length - 1] !== 10 ? count + 1 : count;
}

/** Cuts the input into batches of whole lines, about `size` bytes each; the last one ends with the input. */
async function* batchesOf(input: Readable, size: number): AsyncGenerator<Uint8Array> {
  let parts: Buffer[] = [];
  let length = 0;
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    parts.push(buffer);
    length += buffer.length;
    if (length < size) continue;
    const joined = Buffer.concat(parts, length);
    const cut = joined.lastIndexOf(10);
    if (cut === -1) {
      // One line longer than a batch: keep reading until it ends.
      parts = [joined];
      continue;
    }
    // A copy of its own, so that the batch's memory can be moved to a worker.
    yield new Uint8Array(joined.subarray(0, cut + 1));
    const rest = joined.subarray(cut + 1);
    parts = rest.length > 0 ? [rest] : [];
    length = rest.length;
  }
  if (length > 0) yield new Uint8Array(Buffer.concat(parts, length));
}

/**
 * JSON Lines in, JSON Lines out, like flagStream, on worker threads when the input is large. The input is
 * cut into batches of whole lines; an input that fits in the first batch is evaluated here (no thread
 * start-up for a small file). Otherwise each batch's bytes are moved (not copied) to the least busy of a
 * pool of workers, each with the rule set compiled once; their outputs come back as bytes, in any order,
 * and are written in input order. At most two batches per worker are in flight, so a slow reader of the
 * output holds back the input and memory stays flat.
 */
export async function flagParallel(
  ruleSet: RuleSet,
  input: Readable,
  output: Writable,
  options: ParallelOptions = {},
): Promise<FlagStreamResult & { threads: number }> {
  const result = { lines: 0, flagged: 0, errors: 0, threads: 0 };
  const account = (r: BatchResult) => {
    result.lines += r.lines;
    result.flagged += r.flagged;
    result.errors += r.errors;
  };
  const source = batchesOf(input, options.batchBytes ?? BATCH_BYTES);
  let seq = 0;
  let nextLine = 1;
  const nextBatch = async (): Promise<Batch | null> => {
    const next = await source.next();
    if (next.done) return null;
    const batch = { seq: seq++, firstLine: nextLine, bytes: next.value };
    nextLine += countLines(next.value);
    return batch;
  };

  const early = options.workers ?? [];
  for (const worker of early) {
    worker.ref();
    worker.postMessage({ ruleSet });
  }
  const stopEarly = () => Promise.all(early.map((w) => w.terminate()));
  const first = await nextBatch();
  if (!first) {
    await stopEarly();
    return result;
  }
  let pending: Batch | null = await nextBatch();
  if (!pending) {
    await stopEarly();
    const done = flagBatch(compileRuleSet(ruleSet), first);
    account(done);
    await writeChunk(output, done.bytes);
    return result;
  }

  const threads = early.length > 0 ? early.length : Math.max(1, options.threads ?? availableParallelism());
  result.threads = threads;
  const workerUrl = options.workerUrl ?? new URL("../../bin/flag-worker.mjs", import.meta.url);
  const workers =
    early.length > 0
      ? early
      : Array.from({ length: threads }, () => new Worker(workerUrl, { workerData: { ruleSet } }));
  const inFlight = new Map<Worker, number>(workers.map((w) => [w, 0]));
  const done = new Map<number, BatchResult>();
  let nextToWrite = 0;
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const notify = () => {
    const resume = wake;
    wake = null;
    resume?.();
  };
  for (const worker of workers) {
    worker.on("message", (r: BatchResult) => {
      inFlight.set(worker, (inFlight.get(worker) ?? 1) - 1);
      done.set(r.seq, r);
      notify();
    });
    worker.on("error", (error) => {
      failure ??= error;
      notify();
    });
    worker.on("exit", (code) => {
      if (code !== 0) failure ??= new Error(`a flagging worker stopped with code ${code}`);
      notify();
    });
  }
  const send = (batch: Batch) => {
    const [idle, busy] = [...inFlight.entries()].sort((a, b) => a[1] - b[1])[0] as [Worker, number];
    if (busy >= 2) return false;
    inFlight.set(idle, busy + 1);
    idle.postMessage(batch, [batch.bytes.buffer as ArrayBuffer]);
    return true;
  };
  try {
    let queued: Batch | null = first;
    for (;;) {
      if (failure) throw failure;
      for (let ready = done.get(nextToWrite); ready; ready = done.get(nextToWrite)) {
        done.delete(nextToWrite);
        nextToWrite++;
        account(ready);
        await writeChunk(output, ready.bytes);
      }
      if (queued && send(queued)) {
        queued = pending;
        pending = queued ? await nextBatch() : null;
        continue;
      }
      if (!queued && nextToWrite === seq) break;
      if (!done.has(nextToWrite)) await new Promise<void>((resolve) => (wake = resolve));
    }
    return result;
  } finally {
    for (const worker of workers) worker.removeAllListeners("exit");
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
