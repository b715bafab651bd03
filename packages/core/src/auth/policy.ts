import { ForbiddenError } from "../errors";
import type { AgencyCode } from "../reference/agencies";
import { type Principal, roleRank, type StaffRole } from "./roles";

/**
 * The one authorization policy. Every route names one of these actions (or is explicitly public), and
 * every use case that touches agency- or province-owned data passes the resource's scope.
 * Later capabilities add their actions here and their routes to the route × role test table.
 */
export const ACTIONS = {
  "console.view": { minRole: "viewer", description: "Open the staff console" },
  "me.read": { minRole: "viewer", description: "Read one's own account" },
  "reference.read": { minRole: "viewer", description: "Read provinces, agencies, signer groups" },
  "parties.read": { minRole: "viewer", description: "Read obligated parties of one's agency and province" },
  "parties.write": { minRole: "reviewer", description: "Create, change, cease or import obligated parties" },
  "parties.reassign": { minRole: "admin", description: "Move a party to another owning agency" },
  "pledges.read": { minRole: "viewer", description: "See invitations, pledges and signed documents" },
  "pledges.invite": {
    minRole: "reviewer",
    description: "Invite parties to sign, resend or revoke invitations",
  },
  "pledges.revoke": { minRole: "lead", description: "Revoke a signed pledge" },
  "coverage.read": {
    minRole: "viewer",
    description: "See coverage, its trend, unsigned parties and reports",
  },
  "coverage.report": { minRole: "reviewer", description: "Generate a quarterly coverage report" },
  "coverage.reconcile": { minRole: "admin", description: "See the nightly coverage reconciliations" },
  "renewal.settings": {
    minRole: "lead",
    description: "Change a province's renewal cycle (due day, reminders, grace)",
  },
  "clock.travel": { minRole: "admin", description: "Move the clock (local runs and tests only)" },
  "monitoring.read": {
    minRole: "viewer",
    description:
      "See crawl targets, captures with their evidence, and captured items of one's agency and province",
  },
  "monitoring.targets.write": {
    minRole: "reviewer",
    description: "Create, change, pause or import crawl targets",
  },
  "monitoring.capture": { minRole: "reviewer", description: "Capture a URL on demand or a target now" },
  "monitoring.deadletters": {
    minRole: "admin",
    description: "Inspect and re-drive background tasks that failed every attempt",
  },
  "audit.verify": { minRole: "admin", description: "Verify the pledge audit chains" },
  "outbox.read": { minRole: "admin", description: "Read the local e-mail outbox (local runs only)" },
  "rules.read": {
    minRole: "viewer",
    description: "Read flagging rules, their history, and try them on recent captures",
  },
  "rules.write": { minRole: "lead", description: "Create or change flagging rules of one's agency" },
  "evaluations.submit": { minRole: "reviewer", description: "Submit an item to be evaluated and recorded" },
  "evaluations.read": {
    minRole: "viewer",
    description: "Read recently evaluated captures and their decisions",
  },
  "cases.read": {
    minRole: "viewer",
    description: "See the review queue, cases, their evidence, logs and takedown requests of one's agency",
  },
  "cases.work": {
    minRole: "reviewer",
    description: "Claim, decide (confirm, dismiss, bulk dismiss), escalate or refer cases of one's agency",
  },
  "cases.assign": { minRole: "reviewer", description: "Assign a case of one's agency to a colleague" },
  "cases.approve": {
    minRole: "lead",
    description: "Approve or reject a confirmed violation by a pledged party; reopen or close a case",
  },
  "review.metrics.read": {
    minRole: "viewer",
    description:
      "See review metrics (time to first review, queue age, confirmation share per rule, takedown compliance) of one's agency and province",
  },
  "review.reports.read": {
    minRole: "viewer",
    description:
      "See and download the review reports (quarterly advertising, monthly quality claims, weekly campaign, quick case reports) of one's agency and province",
  },
  "review.reports.create": {
    minRole: "reviewer",
    description:
      "Generate a review report of one's agency and province, or a quick report on one of its cases",
  },
  "privacy.requests.read": {
    minRole: "reviewer",
    description: "See the data subject requests of one's agency and province, with their legal clocks",
  },
  "privacy.requests.write": {
    minRole: "reviewer",
    description: "Record a data subject's request and its first response (one's agency and province)",
  },
  "privacy.requests.answer": {
    minRole: "lead",
    description:
      "Answer a data subject's request: fulfil it (erasing a tipster's data), or refuse it with the legal reason",
  },
  "staff.read": { minRole: "lead", description: "List staff accounts of one's agency and province" },
  "staff.manage": { minRole: "admin", description: "Create, change or disable staff accounts" },
} as const satisfies Record<string, { minRole: StaffRole; description: string }>;

export type Action = keyof typeof ACTIONS;

/** Where a resource lives. Omitted fields are not checked. */
export interface Scope {
  agency?: AgencyCode | undefined;
  /** A resource may belong to several provinces (a national platform); any one of them grants access. */
  provinces?: readonly string[] | undefined;
}

export function can(principal: Principal, action: Action, scope: Scope = {}): boolean {
  if (roleRank(principal.role) < roleRank(ACTIONS[action].minRole)) return false;
  // Admins see every agency and province; everyone else works inside their own.
  if (principal.role === "admin") return true;
  if (scope.agency !== undefined && scope.agency !== principal.agency) return false;
  if (scope.provinces !== undefined && !scope.provinces.includes(principal.province)) return false;
  return true;
}

export function authorize(principal: Principal, action: Action, scope: Scope = {}): void {
  if (!can(principal, action, scope)) {
    throw new ForbiddenError(
      `Role ${principal.role} of ${principal.agency}/${principal.province} may not ${action}`,
    );
  }
}
