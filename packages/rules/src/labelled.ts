import { readFileSync } from "node:fs";
import { type FlagItem, FlagItemSchema } from "@pledgewatch/core";
import type { CompiledRuleSet } from "./engine";
import { type Label, LabelSchema, measure, type Quality } from "./quality";

export interface LabelledItem {
  item: FlagItem;
  label: Label;
}

/** Reads a labelled JSON Lines file: each line an item plus `label: { violation, types, agencies }`. */
export function readLabelled(file: string): LabelledItem[] {
  const lines = readFileSync(file, "utf8").split(/\r?\n/);
  const out: LabelledItem[] = [];
  lines.forEach((line, index) => {
    if (line.trim() === "") return;
    let raw: { label?: unknown };
    try {
      raw = JSON.parse(line);
    } catch (error) {
      throw new Error(`${file}:${index + 1}: not JSON (${(error as Error).message})`);
    }
    const item = FlagItemSchema.safeParse(raw);
    const label = LabelSchema.safeParse(raw.label);
    if (!item.success || !label.success) {
      throw new Error(
        `${file}:${index + 1}: not a labelled item (${(item.error ?? label.error)?.issues[0]?.message})`,
      );
    }
    out.push({ item: item.data, label: label.data });
  });
  return out;
}

export function measureOn(rules: CompiledRuleSet, items: readonly LabelledItem[]): Quality {
  return measure(items.map(({ item, label }) => ({ decision: rules.evaluate(item), label })));
}
