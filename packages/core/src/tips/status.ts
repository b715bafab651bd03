import type { Case, TakedownRequest } from "../review/model";
import type { PublicTipStatus, Tip } from "./model";

/**
 * The only status a tipster sees, derived from the case: nothing of its notes, reviewers or reasons.
 * A case whose item was gone before review ("void") shows as taken down: the content is no longer online.
 */
export function publicTipStatus(
  tip: Pick<Tip, "captureOutcome"> & Partial<Pick<Tip, "state">>,
  current: Pick<Case, "state" | "decision"> | null,
  takedown: Pick<TakedownRequest, "state"> | null,
): PublicTipStatus {
  if (!current) return tip.state === "not_checkable" ? "not_checkable" : "received";
  switch (current.state) {
    case "open":
      return tip.captureOutcome === "succeeded" ? "evidence_captured" : "received";
    case "assigned":
    case "escalated":
    case "awaiting_approval":
      return "under_review";
    case "takedown":
      return "violation_confirmed";
    case "void":
      return "taken_down";
    case "closed":
      if (current.decision?.kind !== "confirmed") return "no_violation";
      return takedown?.state === "confirmed_removed" ? "taken_down" : "violation_confirmed";
  }
}
