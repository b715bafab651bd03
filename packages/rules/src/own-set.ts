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
    "own/tuning-8.jsonl",
    "own/tuning-9.jsonl",
    "own/tuning-10.jsonl",
    "own/tuning-11.jsonl",
    "own/tuning-12.jsonl",
    "own/tuning-13.jsonl",
    "own/tuning-14.jsonl",
    "own/tuning-15.jsonl",
    "own/tuning-16.jsonl",
    "own/tuning-17.jsonl",
    "own/tuning-18.jsonl",
    "own/tuning-19.jsonl",
    "own/tuning-20.jsonl",
    "own/tuning-21.jsonl",
    "own/tuning-22.jsonl",
    "own/tuning-23.jsonl",
    "own/tuning-24.jsonl",
    "own/tuning-25.jsonl",
    "own/tuning-26.jsonl",
    "own/tuning-27.jsonl",
    "own/tuning-28.jsonl",
    "own/tuning-29.jsonl",
    "own/tuning-30.jsonl",
    "own/tuning-31.jsonl",
    "own/tuning-32.jsonl",
    "own/tuning-33.jsonl",
    "own/tuning-34.jsonl",
    "own/tuning-35.jsonl",
    "own/tuning-36.jsonl",
    "own/tuning-37.jsonl",
    "own/tuning-38.jsonl",
    "own/tuning-39.jsonl",
    "own/tuning-40.jsonl",
    "own/tuning-41.jsonl",
  ],
  heldOut: [
    "own/held-out-io.jsonl",
    "own/held-out-iq.jsonl",
    "own/held-out-ir.jsonl",
    "own/held-out-is.jsonl",
  ],
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
