/**
 * `npm run rules:quality -- [file.jsonl]`: precision, recall and agency accuracy of the seed rules on a
 * labelled file (default: ../shared/data/dev-listings.jsonl next to the repository). The seed rules were
 * tuned on the first half of that file only; the second half is reported apart as held-out data.
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { compileRuleSet } from "../engine";
import { readLabelled } from "../labelled";
import { measure, type Quality } from "../quality";
import { seedRuleSet } from "../seed/index";

const ROOT = join(import.meta.dirname, "..", "..", "..", "..");
const DEFAULT_FILE = join(ROOT, "..", "shared", "data", "dev-listings.jsonl");

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
function line(name: string, q: Quality): string {
  return `${name.padEnd(28)} ${String(q.items).padStart(5)} items ${String(q.positives).padStart(4)} violations  precision ${pct(q.precision).padStart(7)}  recall ${pct(q.recall).padStart(7)}  agency ${pct(q.agencyAccuracy).padStart(7)} (usual owner ${pct(q.agencyOwnerAccuracy)})`;
}

const file = resolve(process.argv[2] ?? DEFAULT_FILE);
if (!existsSync(file)) {
  console.error(
    `rules:quality: no labelled file at ${file}.\n` +
      "Pass one: npm run rules:quality -- path/to/labelled.jsonl (one item per line with label: { violation, types, agencies }),\n" +
      "or use the project's own set: npm run rules:quality -- test/fixtures/flagging/labelled.jsonl",
  );
  process.exit(2);
}
const items = readLabelled(file);
const rules = compileRuleSet(seedRuleSet());
const decided = items.map(({ item, label }) => ({ decision: rules.evaluate(item), label }));
const half = Math.ceil(decided.length / 2);
const whole = measure(decided);
console.log(
  `${file} — seed rule set v${rules.version}, ${rules.ruleCount} rules, ${rules.phraseCount} phrases`,
);
console.log(line("first half (tuned on)", measure(decided.slice(0, half))));
console.log(line("second half (held out)", measure(decided.slice(half))));
console.log(line("whole file", whole));
const list = (ids: string[]) => (ids.length === 0 ? "none" : ids.join(", "));
console.log(`false positives: ${list(whole.falsePositiveIds)}`);
console.log(`missed: ${list(whole.falseNegativeIds)}`);
console.log(`agency not among the labelled ones: ${list(whole.wrongAgencyIds)}`);
