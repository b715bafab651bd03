import { join } from "node:path";
import type { AgencyCode, FlagType } from "@pledgewatch/core";
import type { CompiledRuleSet } from "./engine";
import { type LabelledItem, readLabelled } from "./labelled";
import { type Label, measure, measureByType, type Quality, type Share } from "./quality";

/**
 * The project's own labelled set (test/fixtures/flagging/, provenance in its PROVENANCE.md): the parts the
 * seed rules were tuned on, and the held-out parts nobody tuned on (written by people who never saw the
 * rules, measured once the rules were done).
 */
export const OWN_SET_PARTS = {
  tuning: [
    "labelled.jsonl",
    "own/tuning.jsonl",
    "own/tuning-2.jsonl",
    "own/tuning-3.jsonl",
    "own/tuning-4.jsonl",
    "own/tuning-5.jsonl",
    "own/tuning-6.jsonl",
    "own/tuning-7.jsonl",
  ],
  heldOut: ["own/held-out-g.jsonl", "own/held-out-h.jsonl"],
} as const;

export function ownSetFolder(root: string): string {
  return join(root, "test", "fixtures", "flagging");
}

export function readOwnSet(root: string): { tuning: LabelledItem[]; heldOut: LabelledItem[] } {
  const folder = ownSetFolder(root);
  const read = (files: readonly string[]) => files.flatMap((f) => readLabelled(join(folder, f)));
  return { tuning: read(OWN_SET_PARTS.tuning), heldOut: read(OWN_SET_PARTS.heldOut) };
}

export interface PartQuality {
  quality: Quality;
  types: Record<FlagType, Share>;
  agencies: Record<AgencyCode, Share>;
}

export function measurePart(rules: CompiledRuleSet, items: readonly LabelledItem[]): PartQuality {
  const pairs: { decision: ReturnType<CompiledRuleSet["evaluate"]>; label: Label }[] = items.map(
    ({ item, label }) => ({ decision: rules.evaluate(item), label }),
  );
  return { quality: measure(pairs), ...measureByType(pairs) };
}
