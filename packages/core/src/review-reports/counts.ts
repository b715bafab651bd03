import { vietnamDateTime } from "../coverage/settings";
import type { AgencyCode } from "../reference/agencies";
import {
  type CaseLogEntry,
  DISMISS_REASONS,
  type DismissReason,
  SYSTEM_ACTOR,
  VIOLATION_TYPES,
  type ViolationType,
} from "../review/model";
import type { ReportedViolation, ReviewReportCounts } from "./model";
import { OPENING_SOURCES, type OpeningSource } from "./model";

/**
 * The numbers of a periodic review report, recounted from case log entries only: what the office
 * received, reviewed, found and did in `[from, to)`. `entries` are the log entries filed under one
 * agency × province (the log index), read from before the period so that decisions in it can be told
 * apart per case; only entries inside the period are counted, and a case's standing at the end (a
 * takedown's outcome) is read from its entries up to `to`.
 */

/** Entries that show a person at work on a case. */
const WORK_EVENTS = new Set<CaseLogEntry["event"]["type"]>([
  "claimed",
  "assigned",
  "confirmation_proposed",
  "confirmed",
  "dismissed",
  "escalated",
  "referred",
  "reopened",
  "closed",
]);

const zeros = <K extends string>(keys: readonly K[]) =>
  Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

export function groupByCase(entries: readonly CaseLogEntry[], to: string): Map<string, CaseLogEntry[]> {
  const cases = new Map<string, CaseLogEntry[]>();
  for (const e of entries) {
    if (e.at >= to) continue;
    const list = cases.get(e.caseId) ?? [];
    list.push(e);
    cases.set(e.caseId, list);
  }
  for (const list of cases.values()) list.sort((a, b) => a.version - b.version || a.seq - b.seq);
  return cases;
}

interface Request {
  at: string;
  dueAt: string;
  answeredRemovedAt?: string;
  disputed?: boolean;
  overdue?: boolean;
  removedAt?: string;
}

/** How a case's latest takedown request stood at the end of its log: the "handling" of a violation. */
export function handlingOf(log: readonly CaseLogEntry[]): string {
  let text = "Đã kết luận vi phạm";
  for (const e of log) {
    const ev = e.event;
    if (ev.type === "takedown_requested")
      text = `Đã yêu cầu gỡ bỏ, hạn ${vietnamDateTime(new Date(ev.dueAt))}`;
    else if (ev.type === "takedown_answered")
      text =
        ev.answer === "removed"
          ? "Nền tảng báo đã gỡ bỏ, chờ kiểm tra lại"
          : "Nền tảng phản đối yêu cầu gỡ bỏ";
    else if (ev.type === "takedown_removal_confirmed") text = "Đã xác nhận gỡ bỏ";
    else if (ev.type === "takedown_overdue") text = "Quá hạn gỡ bỏ, đã chuyển lãnh đạo";
    else if (ev.type === "closed") text = `Đã đóng: ${ev.reason}`;
    else if (ev.type === "reopened") text = "Mở lại hồ sơ";
  }
  return text;
}

export function countReviewReport(
  entries: readonly CaseLogEntry[],
  scope: { agency: AgencyCode },
  from: string,
  to: string,
  focus: readonly ViolationType[],
): { counts: ReviewReportCounts; violations: ReportedViolation[] } {
  const inPeriod = (at: string) => at >= from && at < to;
  const openedBy = zeros<OpeningSource>(OPENING_SOURCES);
  const confirmedBy = zeros<ViolationType>(VIOLATION_TYPES);
  const dismissedBy = zeros<DismissReason>(DISMISS_REASONS);
  const takedowns = {
    requested: 0,
    removedInTime: 0,
    removedLate: 0,
    disputed: 0,
    overdue: 0,
    pendingAtEnd: 0,
  };
  let opened = 0;
  let flags = 0;
  let tips = 0;
  let referredIn = 0;
  let referredOut = 0;
  let reviewed = 0;
  let escalated = 0;
  let voided = 0;
  let pledgesBreached = 0;
  let undecidedAtEnd = 0;
  const violations: ReportedViolation[] = [];

  for (const [caseId, log] of groupByCase(entries, to)) {
    let worked = false;
    let wasEscalated = false;
    let openedHere = false;
    let decided = false;
    let lastDecision: CaseLogEntry | undefined;
    const requests = new Map<string, Request>();
    for (const e of log) {
      const ev = e.event;
      const here = inPeriod(e.at);
      if (ev.type === "confirmed" || ev.type === "dismissed") decided = true;
      if (ev.type === "reopened") decided = false;
      if (ev.type === "voided") decided = true;
      if (ev.type === "takedown_requested") {
        requests.set(ev.takedownId, { at: e.at, dueAt: ev.dueAt });
        if (here) takedowns.requested++;
      } else if (ev.type === "takedown_answered") {
        const r = requests.get(ev.takedownId);
        if (r && ev.answer === "removed") r.answeredRemovedAt ??= e.at;
        if (r && ev.answer === "disputed") r.disputed = true;
      } else if (ev.type === "takedown_overdue") {
        const r = requests.get(ev.takedownId);
        if (r) r.overdue = true;
      } else if (ev.type === "takedown_removal_confirmed") {
        const r = requests.get(ev.takedownId);
        if (r) r.removedAt = r.answeredRemovedAt ?? e.at;
      }
      if (!here) continue;
      if (WORK_EVENTS.has(ev.type) && e.by.staffId !== SYSTEM_ACTOR.staffId) worked = true;
      switch (ev.type) {
        case "opened":
          opened++;
          openedHere = true;
          openedBy[ev.source.kind]++;
          flags++;
          if (ev.source.kind === "tip") tips++;
          break;
        case "merged":
          flags++;
          if (ev.source.kind === "tip") tips++;
          break;
        case "referred":
          if (ev.toAgency === scope.agency) referredIn++;
          if (ev.fromAgency === scope.agency) referredOut++;
          break;
        case "confirmed":
        case "dismissed":
          lastDecision = e;
          break;
        case "reopened":
          lastDecision = undefined;
          break;
        case "escalated":
          wasEscalated = true;
          break;
        case "voided":
          voided++;
          break;
        case "pledge_breached":
          pledgesBreached++;
          break;
      }
    }
    if (worked) reviewed++;
    if (wasEscalated) escalated++;
    const last = log.at(-1);
    const referredAway = last !== undefined && last.agency !== scope.agency;
    if (openedHere && !decided && !referredAway) undecidedAtEnd++;
    const decision = lastDecision?.event;
    if (decision?.type === "confirmed") {
      confirmedBy[decision.violation.type]++;
      if (focus.includes(decision.violation.type) && lastDecision) {
        violations.push({
          caseId,
          confirmedAt: lastDecision.at,
          type: decision.violation.type,
          legalBasis: decision.violation.legalBasis,
          statement: decision.violation.statement,
          handling: handlingOf(log),
        });
      }
    } else if (decision?.type === "dismissed") {
      dismissedBy[decision.reason]++;
    }
    for (const r of requests.values()) {
      if (!inPeriod(r.at)) continue;
      if (r.removedAt !== undefined) {
        if (r.removedAt <= r.dueAt) takedowns.removedInTime++;
        else takedowns.removedLate++;
      } else if (r.overdue) takedowns.overdue++;
      else if (r.disputed) takedowns.disputed++;
      else takedowns.pendingAtEnd++;
    }
  }

  const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
  violations.sort((a, b) => a.confirmedAt.localeCompare(b.confirmedAt) || a.caseId.localeCompare(b.caseId));
  return {
    counts: {
      opened,
      openedBy,
      flags,
      tips,
      referredIn,
      referredOut,
      reviewed,
      confirmed: sum(confirmedBy),
      confirmedBy,
      focusConfirmed: violations.length,
      dismissed: sum(dismissedBy),
      dismissedBy,
      escalated,
      voided,
      pledgesBreached,
      undecidedAtEnd,
      takedowns,
    },
    violations,
  };
}
