import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
// The flagging contract alone, not the whole domain: the CLI and its worker threads start faster.
import { FlagItemSchema, type LineError, plainFlagItem } from "@pledgewatch/core/flagging";
import type { CompiledRuleSet } from "../engine";

export interface FlagStreamResult {
  lines: number;
  flagged: number;
  errors: number;
}

/**
 * Writes a chunk, waiting for the output to drain when it is full, so a slow reader holds back the input
 * instead of memory.
 */
export async function writeChunk(out: Writable, chunk: string | Uint8Array): Promise<void> {
  if (chunk.length === 0 || out.write(chunk)) return;
  await new Promise<void>((resolve, reject) => {
    const done = () => {
      out.off("error", fail);
      resolve();
    };
    const fail = (error: Error) => {
      out.off("drain", done);
      reject(error);
    };
    out.once("drain", done);
    out.once("error", fail);
  });
}

export function lineError(line: number, raw: unknown, error: LineError["error"]): LineError {
  const id =
    raw !== null && typeof raw === "object" && typeof (raw as { id?: unknown }).id === "string"
      ? (raw as { id: string }).id
      : undefined;
  return id === undefined ? { line, error } : { line, id, error };
}

/** Evaluates one input line; never throws. */
export function flagLine(
  rules: CompiledRuleSet,
  text: string,
  line: number,
): { output: string; flagged: boolean | null } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const message = text.trim() === "" ? "empty line" : `not JSON: ${(error as Error).message}`;
    return {
      output: JSON.stringify(lineError(line, undefined, { code: "invalid_json", message })),
      flagged: null,
    };
  }
  const plain = plainFlagItem(raw);
  if (plain !== undefined) {
    const decision = rules.evaluate(plain);
    return { output: JSON.stringify(decision), flagged: decision.flagged };
  }
  const parsed = FlagItemSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({
      field: issue.path.join("."),
      message: issue.message,
    }));
    const message = `invalid item: ${issues.map((i) => `${i.field || "(line)"}: ${i.message}`).join("; ")}`;
    return {
      output: JSON.stringify(lineError(line, raw, { code: "invalid_item", message, issues })),
      flagged: null,
    };
  }
  const decision = rules.evaluate(parsed.data);
  return { output: JSON.stringify(decision), flagged: decision.flagged };
}

/**
 * JSON Lines in, JSON Lines out: one output line per input line, in order. A line that is not JSON or not
 * an item becomes `{ "line", "id"?, "error" }` and the run goes on. Lines are read one at a time and
 * written in chunks of about 64 KB, so memory stays flat however long the input.
 */
export async function flagStream(
  rules: CompiledRuleSet,
  input: Readable,
  output: Writable,
): Promise<FlagStreamResult> {
  const reader = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  const result: FlagStreamResult = { lines: 0, flagged: 0, errors: 0 };
  // Output lines go out in chunks of about 64 KB: one write per line costs more than the evaluation.
  let pending = "";
  for await (const rawLine of reader) {
    result.lines++;
    const text = result.lines === 1 ? rawLine.replace(/^\uFEFF/, "") : rawLine;
    const { output: line, flagged } = flagLine(rules, text, result.lines);
    if (flagged === null) result.errors++;
    else if (flagged) result.flagged++;
    pending += `${line}\n`;
    if (pending.length >= 65_536) {
      await writeChunk(output, pending);
      pending = "";
    }
  }
  await writeChunk(output, pending);
  return result;
}
