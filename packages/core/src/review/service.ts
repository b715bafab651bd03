import { createCaseReading } from "./case-reading";
import { createCaseWork } from "./case-work";
import { createDecisions } from "./decisions";
import { type ReviewDeps, reviewContext } from "./review-context";

export * from "./review-context";

/**
 * The review queues and every action on a case. Each action reads the case, checks the caller's role and
 * the case's agency and province, moves it through the transition table, and writes it conditionally on
 * the version read: of simultaneous decisions exactly one is written; the others get a CaseConflictError
 * saying who did what. Reading (case-reading.ts), working a case (case-work.ts) and deciding (decisions.ts)
 * share one context (review-context.ts).
 */
export function createReviewService(deps: ReviewDeps) {
  const ctx = reviewContext(deps);
  return { ...createCaseReading(ctx), ...createCaseWork(ctx), ...createDecisions(ctx) };
}

export type ReviewService = ReturnType<typeof createReviewService>;
