import type { FlagItem } from "../flagging/model";
import type { CapturedItem } from "./model";

/**
 * A captured item as the flagging contract takes it. Crawled text can be longer than the contract allows:
 * it is cut to the contract's limits rather than refused, so one huge page cannot keep its items from
 * evaluation. Used by the capture pipeline and by public tips.
 */
export function flagItemOfCaptured(item: CapturedItem): FlagItem {
  return {
    id: item.id,
    kind: item.kind,
    platform: item.platform.trim().slice(0, 100) || "web",
    title: item.title.slice(0, 2_000),
    text: item.text?.slice(0, 100_000),
    price: item.price,
    seller: item.seller?.slice(0, 500),
    category: item.category?.slice(0, 500),
    url: (item.url ?? item.pageUrl).slice(0, 2_000),
  };
}
