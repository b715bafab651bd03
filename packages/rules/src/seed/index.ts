import type { RuleSet } from "@pledgewatch/core";
import { SEED_CATALOGUE } from "./catalogue";
import { SEED_RULES } from "./rules";

export { SEED_CATALOGUE } from "./catalogue";
export { LEGAL } from "./legal";
export { SEED_RULES } from "./rules";

/** Version 1 of every installation: what DynamoDB is seeded with on first use, and what the CLI runs. */
export function seedRuleSet(): RuleSet {
  return structuredClone({ version: 1, threshold: 0.5, rules: SEED_RULES, catalogue: SEED_CATALOGUE });
}
