import type {
  CapturedItem,
  Clock,
  FlaggingService,
  ItemEvaluator,
  MonitoringRepository,
} from "@pledgewatch/core";

/**
 * The capture pipeline's evaluator: each captured listing, post or ad goes through the flagging rules
 * (issue 7), which record it with its decision for the rules console and, when flagged, open or join its
 * review case (issue 8) in the capture's province, with the watched target's party; the captured item is
 * then marked evaluated. Crawled text can be longer than the flagging contract allows: it is cut to
 * the contract's limits rather than refused, so one huge page cannot keep its items from evaluation.
 */
export function createFlaggingEvaluator(
  flagging: Pick<FlaggingService, "evaluateItem">,
  repository: Pick<MonitoringRepository, "setEvaluationState" | "getTarget">,
  clock: Clock,
): ItemEvaluator {
  return {
    async evaluate(item: CapturedItem) {
      await flagging.evaluateItem(
        {
          id: item.id,
          kind: item.kind,
          platform: item.platform.trim().slice(0, 100) || "web",
          title: item.title.slice(0, 2_000),
          text: item.text?.slice(0, 100_000),
          price: item.price,
          seller: item.seller?.slice(0, 500),
          category: item.category?.slice(0, 500),
          url: (item.url ?? item.pageUrl).slice(0, 2_000),
        },
        {
          source: "capture",
          context: {
            province: item.province,
            captureId: item.captureId,
            pageNo: item.pageNo,
            partyId: item.targetId ? (await repository.getTarget(item.targetId))?.partyId : undefined,
          },
        },
      );
      await repository.setEvaluationState(item.id, "evaluated", clock.now());
    },
  };
}
