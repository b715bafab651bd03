import type { Decision, FlagItem } from "../flagging/model";
import type { AgencyCode } from "../reference/agencies";
import type { RoutingRule } from "./model";

export interface Route {
  agency: AgencyCode;
  rule: RoutingRule;
}

/**
 * Which agency's queue a flagged item goes to, first rule that applies:
 * 1. any reason from a health rule (the Sở Y tế owns it) — health claims go to Y tế whatever the medium;
 * 2. an ad or a post (advertising, KOLs, press) — Văn hóa, Thể thao và Du lịch;
 * 3. a goods listing — Công Thương (market surveillance).
 * Referral moves a case afterwards, with a reason, and is logged.
 */
export function routeCase(item: Pick<FlagItem, "kind">, decision: Pick<Decision, "reasons">): Route {
  if (decision.reasons.some((r) => r.agency === "YT")) return { agency: "YT", rule: "health_claim" };
  if (item.kind === "ad" || item.kind === "post") return { agency: "VHTT", rule: "ad_or_post" };
  return { agency: "CT", rule: "listing" };
}
