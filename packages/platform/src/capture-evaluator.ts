import type {
  CapturedItem,
  Clock,
  FlaggingService,
  ItemEvaluator,
  MonitoringRepository,
} from "@pledgewatch/core";
import { flagItemOfCaptured } from "@pledgewatch/core";

/**
 * The capture pipeline's evaluator: each captured listing, post or ad goes through the flagging rules
 * (issue 7), which record it with its decision for the rules console and, when flagged, open or join its
 * review case (issue 8) in the capture's province, with the watched target's party; the captured item is
 * then marked evaluated. Crawled text is cut to the contract's limits (`flagItemOfCaptured`).
 */
export function createFlaggingEvaluator(
  flagging: Pick<FlaggingService, "evaluateItem">,
  repository: Pick<MonitoringRepository, "setEvaluationState" | "getTarget">,
  clock: Clock,
): ItemEvaluator {
  return {
    async evaluate(item: CapturedItem) {
      await flagging.evaluateItem(flagItemOfCaptured(item), {
        source: "capture",
        context: {
          province: item.province,
          captureId: item.captureId,
          pageNo: item.pageNo,
          partyId: item.targetId ? (await repository.getTarget(item.targetId))?.partyId : undefined,
        },
      });
      await repository.setEvaluationState(item.id, "evaluated", clock.now());
    },
  };
}
