/**
 * `npm run rules:quality [-- file.jsonl]`: precision, recall and agency of the seed rules, per violation
 * type and per agency. Without a file: the project's own labelled set, its tuning part and its held-out
 * part apart (test/fixtures/flagging/PROVENANCE.md). With a file: that file (one item per line with
 * `label: { violation, types, agencies }`, docs/labelling-guide.md).
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { FLAG_TYPES } from "@pledgewatch/core";
import { compileRuleSet } from "../engine";
import { readLabelled } from "../labelled";
import { measurePart, type PartQuality, readOwnSet } from "../own-set";
import { seedRuleSet } from "../seed/index";

const ROOT = join(import.meta.dirname, "..", "..", "..", "..");
const pct = (x: number) => `${(x * 100).toFixed(1)} %`.padStart(7);

function print(name: string, part: PartQuality): void {
  const q = part.quality;
  console.log(`\n${name}: ${q.items} items, ${q.positives} violations`);
  console.log(
    `  overall              precision ${pct(q.precision)}  recall ${pct(q.recall)}  agency ${pct(q.agencyAccuracy)} (usual owner ${pct(q.agencyOwnerAccuracy).trim()})`,
  );
  for (const type of FLAG_TYPES) {
    const s = part.types[type];
    console.log(
      `  ${type.padEnd(20)} precision ${pct(s.precision)} (${s.right}/${s.flagged})  recall ${pct(s.recall)} (${s.caught}/${s.labelled})`,
    );
  }
  for (const [agency, s] of Object.entries(part.agencies)) {
    console.log(
      `  agency ${agency.padEnd(13)} precision ${pct(s.precision)} (${s.right}/${s.flagged})  recall ${pct(s.recall)} (${s.caught}/${s.labelled})`,
    );
  }
  const list = (ids: string[]) => (ids.length === 0 ? "none" : ids.join(", "));
  console.log(`  false positives: ${list(q.falsePositiveIds)}`);
  console.log(`  missed: ${list(q.falseNegativeIds)}`);
  console.log(`  agency not among the labelled ones: ${list(q.wrongAgencyIds)}`);
}

const rules = compileRuleSet(seedRuleSet());
console.log(`Seed rule set v${rules.version}, ${rules.ruleCount} rules, ${rules.phraseCount} phrases`);
const arg = process.argv[2];
if (arg === undefined) {
  const own = readOwnSet(ROOT);
  print("The project's own set, tuning part (rules tuned on it)", measurePart(rules, own.tuning));
  print("The project's own set, held-out part (never tuned on)", measurePart(rules, own.heldOut));
} else {
  const file = resolve(arg);
  if (!existsSync(file)) {
    console.error(
      `rules:quality: no labelled file at ${file}.\n` +
        "Pass one: npm run rules:quality -- path/to/labelled.jsonl (format: docs/labelling-guide.md),\n" +
        "or run without a file for the project's own set.",
    );
    process.exit(2);
  }
  print(file, measurePart(rules, readLabelled(file)));
}
