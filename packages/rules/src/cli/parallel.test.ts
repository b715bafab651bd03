import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable, Writable } from "node:stream";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { compileRuleSet } from "../engine";
import { seedRuleSet } from "../seed/index";
import { flagStream } from "./flag-stream";
import { flagParallel } from "./parallel";

/** A sink that takes its time with every write, as a slow pipe does: backpressure reaches the input. */
function collector(delayMs = 0) {
  const parts: Buffer[] = [];
  const sink = new Writable({
    highWaterMark: 256,
    write(chunk: Buffer, _encoding, callback) {
      parts.push(Buffer.from(chunk));
      if (delayMs > 0) setTimeout(callback, delayMs);
      else callback();
    },
  });
  return { sink, text: () => Buffer.concat(parts).toString("utf8") };
}

const item = (n: number) =>
  JSON.stringify({
    id: `p-${n}`,
    kind: n % 7 === 0 ? "ad" : "listing",
    platform: "shopee",
    title:
      n % 5 === 0 ? `Giày Nike hàng rep 1:1 mẫu ${n}` : `Nồi cơm điện Sunhouse ${n} — bảo hành chính hãng`,
    price: 350_000 + n,
  });

/** Every shape of line readline knows: CRLF, an empty line, a bad one, a BOM first, no final break, a huge line. */
function awkwardInput(count: number): string {
  const lines: string[] = [];
  for (let n = 0; n < count; n++) {
    if (n === 10) lines.push("");
    else if (n === 11) lines.push("{not json");
    else if (n === 12) lines.push(JSON.stringify({ id: "bad", kind: "bogus", platform: "x", title: "?" }));
    else if (n === 13)
      lines.push(JSON.stringify({ id: "long", kind: "post", platform: "x", title: "Áo ".repeat(3000) }));
    else lines.push(item(n));
  }
  return `\uFEFF${lines.map((l, i) => (i % 3 === 0 ? `${l}\r` : l)).join("\n")}`;
}

async function single(input: string) {
  const out = collector();
  const result = await flagStream(compileRuleSet(seedRuleSet()), Readable.from([input]), out.sink);
  return { result, text: out.text() };
}

describe("pledgewatch flag on worker threads", () => {
  it("writes byte for byte what the single thread writes, in input order, over many small batches", async () => {
    const input = awkwardInput(3_000);
    const expected = await single(input);
    // Input in odd-sized chunks, batches of ~4 KB (hundreds of them), a slow consumer.
    const chunks = input.match(/[\s\S]{1,777}/g) ?? [];
    const out = collector(1);
    const result = await flagParallel(seedRuleSet(), Readable.from(chunks), out.sink, {
      threads: 2,
      batchBytes: 4_096,
    });
    expect(result.threads).toBe(2);
    expect(out.text()).toBe(expected.text);
    expect({ lines: result.lines, flagged: result.flagged, errors: result.errors }).toEqual(expected.result);
    expect(result.lines).toBe(3_000);
    // The empty line, the line that is not JSON, the bogus kind, and the title over the item's length limit.
    const errorLines = expected.text
      .trimEnd()
      .split("\n")
      .flatMap((l) => ("error" in JSON.parse(l) ? [JSON.parse(l).line] : []));
    expect(errorLines).toEqual([11, 12, 13, 14]);
    expect(result.errors).toBe(4);
    expect(expected.result.flagged).toBeGreaterThan(500);
  }, 60_000);

  it("evaluates an input that fits in one batch without starting a thread", async () => {
    const input = `${item(1)}\n${item(5)}\n`;
    const out = collector();
    const result = await flagParallel(seedRuleSet(), Readable.from([input]), out.sink, { threads: 2 });
    expect(result.threads).toBe(0);
    expect(out.text()).toBe((await single(input)).text);
    const empty = collector();
    expect(await flagParallel(seedRuleSet(), Readable.from([]), empty.sink)).toMatchObject({ lines: 0 });
    expect(empty.text()).toBe("");
  });

  it("fails, without hanging, when a worker dies", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pw-flag-worker-"));
    const broken = join(dir, "broken-worker.mjs");
    writeFileSync(broken, 'throw new Error("worker broke on start");\n');
    const out = collector();
    await expect(
      flagParallel(seedRuleSet(), Readable.from([awkwardInput(200)]), out.sink, {
        threads: 2,
        batchBytes: 1_024,
        workerUrl: pathToFileURL(broken),
      }),
    ).rejects.toThrow(/worker broke on start/);
  });
});
