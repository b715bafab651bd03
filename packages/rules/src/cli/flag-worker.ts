import { parentPort, workerData } from "node:worker_threads";
import type { RuleSet } from "@pledgewatch/core/flagging";
import { type CompiledRuleSet, compileRuleSet } from "../engine";
import { flagBatch } from "./parallel";

/**
 * One thread of `pledgewatch flag` on a large input: the rule set compiled once, then batch after batch.
 * The rule set comes with the worker, or, for a worker started before the rule set was read (see
 * bin/pledgewatch.mjs), as its first message.
 */
const given = (workerData as { ruleSet?: RuleSet } | null)?.ruleSet;
let rules: CompiledRuleSet | null = given ? compileRuleSet(given) : null;
parentPort?.on("message", (message: Parameters<typeof flagBatch>[1] | { ruleSet: RuleSet }) => {
  if ("ruleSet" in message) {
    rules = compileRuleSet(message.ruleSet);
    return;
  }
  if (!rules) throw new Error("a flagging worker was sent a batch before its rule set");
  const result = flagBatch(rules, message);
  parentPort?.postMessage(result, [result.bytes.buffer as ArrayBuffer]);
});
