import type { Reason } from "../flagging/model";
import type { ViolationType } from "./model";

/**
 * The violation type a rule family points to: a rule's id starts with its family ("counterfeit.slang" →
 * "counterfeit"). Families that point to no single type (a low price, a watched seller: signals a reviewer
 * weighs, not a kind of violation) are absent, and so are families of rules staff name otherwise: the
 * reviewer then chooses.
 */
export const RULE_FAMILY_VIOLATION_TYPES: Readonly<Record<string, ViolationType>> = {
  counterfeit: "counterfeit",
  ip: "ip_infringement",
  banned: "prohibited_goods",
  smuggled: "smuggled_unknown_origin",
  origin: "smuggled_unknown_origin",
  drug: "prohibited_goods",
  health: "health_claim",
  ad: "false_advertising",
  quality: "false_quality_claim",
};

/** Exact rule ids whose family says less than the rule itself. */
const RULE_VIOLATION_TYPES: Readonly<Record<string, ViolationType>> = {
  // A listing claiming a brand genuine from a seller the brand has not authorised.
  "watch.brand-authorised-sellers": "counterfeit",
};

export function ruleViolationType(ruleId: string): ViolationType | undefined {
  return RULE_VIOLATION_TYPES[ruleId] ?? RULE_FAMILY_VIOLATION_TYPES[ruleId.split(".")[0] ?? ""];
}

/**
 * The type to preselect on a case's confirmation form: the one the engine's reasons point to, by the
 * sum of their weights (the first reason's type on a tie); none when no reason points to a type.
 */
export function suggestedViolationType(
  reasons: readonly Pick<Reason, "rule" | "weight">[],
): ViolationType | undefined {
  const totals = new Map<ViolationType, number>();
  for (const reason of reasons) {
    const type = ruleViolationType(reason.rule);
    if (type) totals.set(type, (totals.get(type) ?? 0) + reason.weight);
  }
  let best: ViolationType | undefined;
  for (const [type, total] of totals) if (best === undefined || total > (totals.get(best) ?? 0)) best = type;
  return best;
}
