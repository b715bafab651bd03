import type { FlagItem, ItemKind } from "../flagging/model";
import type { AgencyCode } from "../reference/agencies";
import type { RoutingRule } from "../review/model";
import { routeCase } from "../review/routing";
import type { TipCategory } from "./model";

/**
 * The queue of a tip the rules do not flag, by what the tipster chose (a flagged item is routed by the
 * rules, like any flag): a false health claim → Y tế; false advertising → VHTT; counterfeit or smuggled
 * goods → Công Thương (market surveillance); "other" → by the kind of item the page turned out to be.
 */
export function routeTip(
  category: TipCategory,
  item: Pick<FlagItem, "kind">,
): { agency: AgencyCode; rule: RoutingRule } {
  switch (category) {
    case "health_claim":
      return { agency: "YT", rule: "health_claim" };
    case "false_advertising":
      return { agency: "VHTT", rule: "ad_or_post" };
    case "counterfeit":
    case "smuggled":
      return { agency: "CT", rule: "listing" };
    case "other":
      return routeCase(item, { reasons: [] });
  }
}

/** The kind of item a page is taken for when the capture found no listing, post or ad on it. */
export function pageKindFor(category: TipCategory): ItemKind {
  return category === "false_advertising" || category === "health_claim" ? "ad" : "listing";
}
