import { parentPort, workerData } from "node:worker_threads";
import type { RuleSet } from "@pledgewatch/core/flagging";
import { compileRuleSet } from "../engine";
import { flagBatch } from "./parallel";

/** One thread of `pledgewatch flag` on a large input: the rule set compiled once, then batch after batch. */
const rules = compileRuleSet((workerData as { ruleSet: RuleSet }).ruleSet);
parentPort?.on("message", (batch: Parameters<typeof flagBatch>[1]) => {
  const result = flagBatch(rules, batch);
  parentPort?.postMessage(result, [result.bytes.buffer as ArrayBuffer]);
});
