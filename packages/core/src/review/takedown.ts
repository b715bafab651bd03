import { hashToken, randomToken } from "../auth/sessions";
import type { EmailTexts } from "../emails";
import { ConflictError, InvalidError, NotFoundError } from "../errors";
import { fieldIssues } from "../input";
import type { ActorRef } from "../parties/model";
import type { Mailer } from "../pledges/ports";
import type { Clock } from "../ports";
import { agencyByCode } from "../reference/agencies";
import { addWorkingDays } from "../working-days";
import { type TakedownAnswerInput, TakedownAnswerSchema } from "./input";
import { applySteps, type Step } from "./log";
import { type Case, SYSTEM_ACTOR, type TakedownRequest, type Violation } from "./model";
import type { CaseRepository, PledgeBreacher, Recapture, TakedownContactLookup } from "./ports";

/** The task the hourly tick puts on the queue (EventBridge Scheduler on AWS, a timer in npm start). */
export const REVIEW_TICK_TASK = "review.tick";
/** Default answer time: two working days (Asia/Ho_Chi_Minh, weekends and public holidays skipped). */
export const TAKEDOWN_WORKING_DAYS = 2;
/** The answer link stays usable this long after the due time, for a late "removed". */
const TOKEN_GRACE_MS = 7 * 86_400_000;
/** After an overdue re-capture, the next one is a day later. */
const RECHECK_MS = 86_400_000;
const TICK_BATCH = 100;
/** How long past the due time a pending re-capture may take before the request counts as overdue. */
const OVERDUE_AFTER_MS = 3_600_000;
const ATTEMPTS = 5;

export interface TakedownDeps {
  cases: CaseRepository;
  /** Marks a pledged party's pledge breached (idempotent), before its takedown request is sent. */
  pledges: PledgeBreacher;
  contacts: TakedownContactLookup;
  recapture: Recapture;
  mailer: Mailer;
  clock: Clock;
  newId: () => string;
  publicBaseUrl: string | (() => string);
  /** The words of the takedown request (the web catalogue's). */
  emails: Pick<EmailTexts, "takedownRequest">;
}

export type TakedownView =
  | { state: "open"; request: TakedownRequest }
  | { state: "answered"; request: TakedownRequest }
  | { state: "expired"; request: TakedownRequest };

/**
 * Takedown requests: drafted with the confirmation (same transaction as the case), e-mailed with a
 * single-use answer link, answered by the platform on the token page, checked by a re-capture of the URL
 * at the due time (or at once after a "removed"), escalated when overdue.
 */
/** The steps the takedown service is built from: sending a request, finding one by its token, checking a removal by a re-capture. */
function takedownSteps(deps: TakedownDeps) {
  const now = () => deps.clock.now();
  const baseUrl = () =>
    (typeof deps.publicBaseUrl === "function" ? deps.publicBaseUrl() : deps.publicBaseUrl).replace(/\/$/, "");

  /** Writes a takedown change together with the case's log entries, retrying when the case moved. */
  async function withCase(
    request: TakedownRequest,
    by: ActorRef,
    change: (request: TakedownRequest, target: Case) => { next: TakedownRequest; steps: Step[] },
  ): Promise<TakedownRequest> {
    for (let attempt = 1; ; attempt++) {
      const target = await deps.cases.get(request.caseId);
      if (!target) throw new NotFoundError("The takedown's case is missing");
      const latest = attempt === 1 ? request : await deps.cases.getTakedown(request.id);
      if (!latest) throw new NotFoundError("No such takedown request");
      const { next, steps } = change(latest, target);
      const at = now().toISOString();
      const written = applySteps(target, by, at, steps);
      try {
        await deps.cases.update(written.next, target.version, written.entries, {
          next: { ...next, version: latest.version + 1 },
          expectedVersion: latest.version,
        });
        return { ...next, version: latest.version + 1 };
      } catch (error) {
        if (!(error instanceof ConflictError) || attempt >= ATTEMPTS) throw error;
      }
    }
  }

  async function send(id: string): Promise<void> {
    const request = await deps.cases.getTakedown(id);
    if (!request || request.sentAt) return;
    const at = now();
    // The breach first: if it fails, nothing is sent and the tick tries both again.
    if (request.breach && !request.breach.markedAt)
      await deps.pledges.markBreached(request.breach.documentCode, request.breach.reason, request.breach.by);
    const token = randomToken();
    const next: TakedownRequest = {
      ...request,
      ...(request.breach
        ? { breach: { ...request.breach, markedAt: request.breach.markedAt ?? at.toISOString() } }
        : {}),
      tokenHash: hashToken(token),
      // Still due (`nextCheckAt` unchanged) until the mail is out: a failed send is retried next hour.
      version: request.version + 1,
    };
    if (request.contact.email === "") {
      // Nobody to write to: the request stands (the console says so) and the due-time re-capture runs.
      const { tokenHash: _t, ...unsent } = next;
      await deps.cases.updateTakedown(
        { ...unsent, sentAt: at.toISOString(), nextCheckAt: request.dueAt },
        request.version,
      );
      return;
    }
    await deps.cases.updateTakedown(next, request.version);
    const agency = agencyByCode(request.agency);
    await deps.mailer.send({
      to: request.contact.email,
      kind: "takedown_request",
      ...deps.emails.takedownRequest({
        contactName: request.contact.name,
        agencyName: agency.nameVi,
        platform: request.platform,
        url: request.url,
        legalBasis: request.legalBasis,
        statement: request.statement,
        platformNote: request.platformNote,
        dueAt: new Date(request.dueAt),
        answerUrl: `${baseUrl()}/takedown/${token}`,
      }),
    });
    await deps.cases.updateTakedown(
      { ...next, sentAt: now().toISOString(), nextCheckAt: request.dueAt, version: next.version + 1 },
      next.version,
    );
  }

  async function byToken(token: string): Promise<TakedownRequest> {
    if (typeof token !== "string" || token.length < 20 || token.length > 100)
      throw new NotFoundError("No such takedown request");
    const request = await deps.cases.takedownByTokenHash(hashToken(token));
    if (!request) throw new NotFoundError("No such takedown request");
    return request;
  }

  /** The due-time check of one request: re-capture, then read its outcome on a later tick. */
  async function check(request: TakedownRequest): Promise<string> {
    const at = now();
    const target = await deps.cases.get(request.caseId);
    if (!target || (target.state !== "takedown" && target.state !== "escalated")) {
      const { nextCheckAt: _n, ...done } = request;
      await deps.cases.updateTakedown({ ...done, version: request.version + 1 }, request.version);
      return "settled";
    }
    if (!request.recaptureJobId) {
      const jobId = await deps.recapture.request({
        url: request.url,
        agency: request.agency,
        province: request.province,
        platform: request.platform,
      });
      await deps.cases.updateTakedown(
        { ...request, recaptureJobId: jobId, version: request.version + 1 },
        request.version,
      );
      return "recapturing";
    }
    const outcome = await deps.recapture.outcome(request.recaptureJobId, {
      id: target.id,
      title: target.item.title,
    });
    if (!outcome) {
      // No proof of removal an hour past the due time (the page cannot be read, the capture is slow):
      // overdue is escalated now; the re-capture's result is still read when it comes.
      const late = at.getTime() >= Date.parse(request.dueAt) + OVERDUE_AFTER_MS;
      if (!late || target.state !== "takedown") return "waiting";
      await withCase(request, SYSTEM_ACTOR, (latest) => ({
        next: { ...latest, state: "overdue" },
        steps: [{ event: { type: "takedown_overdue", takedownId: latest.id, dueAt: latest.dueAt } }],
      }));
      return "overdue";
    }
    const recapture = {
      at: at.toISOString(),
      removed: outcome.removed,
      ...(outcome.captureId ? { captureId: outcome.captureId } : {}),
    };
    const captureId = outcome.captureId ? { captureId: outcome.captureId } : {};
    await withCase(request, SYSTEM_ACTOR, (latest, current) => {
      const { recaptureJobId: _j, nextCheckAt: _n, ...rest } = latest;
      if (outcome.removed) {
        return {
          next: { ...rest, state: "confirmed_removed", recapture },
          steps: [{ event: { type: "takedown_removal_confirmed", takedownId: latest.id, ...captureId } }],
        };
      }
      const overdue = at.toISOString() >= latest.dueAt && current.state === "takedown";
      return {
        next: {
          ...rest,
          state: overdue || latest.state === "overdue" ? "overdue" : latest.state,
          recapture,
          nextCheckAt:
            at.toISOString() >= latest.dueAt
              ? new Date(at.getTime() + RECHECK_MS).toISOString()
              : latest.dueAt,
        },
        steps: [
          { event: { type: "takedown_not_removed", takedownId: latest.id, ...captureId } },
          ...(overdue
            ? [{ event: { type: "takedown_overdue" as const, takedownId: latest.id, dueAt: latest.dueAt } }]
            : []),
        ],
      };
    });
    return outcome.removed ? "removed" : "not_removed";
  }

  return { now, withCase, send, byToken, check };
}

export function createTakedownService(deps: TakedownDeps) {
  const { now, withCase, send, byToken, check } = takedownSteps(deps);

  return {
    /** The request a confirmation creates, written by the caller in the case's transaction. */
    async draft(
      target: Case,
      violation: Violation,
      at: string,
      platformNote?: string,
      breachBy?: ActorRef,
    ): Promise<TakedownRequest> {
      const contact = (await deps.contacts.find(target)) ?? { name: target.item.platform, email: "" };
      const dueAt = addWorkingDays(new Date(at), TAKEDOWN_WORKING_DAYS).toISOString();
      return {
        id: `td-${deps.newId()}`,
        caseId: target.id,
        agency: target.agency,
        province: target.province,
        platform: target.item.platform,
        url: target.item.url ?? "",
        contact,
        legalBasis: violation.legalBasis,
        statement: violation.statement,
        ...(platformNote ? { platformNote } : {}),
        ...(target.party?.pledge && breachBy
          ? {
              breach: {
                documentCode: target.party.pledge.documentCode,
                reason: `Vi phạm được xác nhận trong hồ sơ ${target.id}`,
                by: { staffId: breachBy.staffId, name: breachBy.name },
              },
            }
          : {}),
        requestedAt: at,
        dueAt,
        tokenExpiresAt: new Date(Date.parse(dueAt) + TOKEN_GRACE_MS).toISOString(),
        state: "requested",
        // Checked at once by the tick if the e-mail could not go out now.
        nextCheckAt: at,
        version: 1,
      };
    },

    send,

    /** The token page: what was asked, and whether it can still be answered. */
    async open(token: string): Promise<TakedownView> {
      const request = await byToken(token);
      if (request.answer) return { state: "answered", request };
      if (request.tokenExpiresAt <= now().toISOString()) return { state: "expired", request };
      return { state: "open", request };
    },

    /** The platform's answer: once, before the link expires. */
    async answer(token: string, raw: unknown): Promise<TakedownRequest> {
      const parsed = TakedownAnswerSchema.safeParse(raw);
      if (!parsed.success) {
        throw new InvalidError("Invalid answer", fieldIssues(parsed.error));
      }
      const input: TakedownAnswerInput = parsed.data;
      const request = await byToken(token);
      const at = now().toISOString();
      if (request.answer) throw new ConflictError("This takedown request has already been answered");
      if (request.tokenExpiresAt <= at)
        throw new InvalidError("Link expired", [{ field: "token", message: "Đường dẫn trả lời đã hết hạn" }]);
      const platform = { staffId: `platform:${request.platform}`, name: request.contact.name };
      return withCase(request, platform, (latest) => {
        if (latest.answer || latest.tokenHash !== request.tokenHash)
          throw new ConflictError("This takedown request has already been answered");
        // The token stays on the request so the link shows "answered"; a second answer is refused.
        return {
          next: {
            ...latest,
            state: input.answer === "removed" ? "answered_removed" : "answered_disputed",
            answer: { kind: input.answer, at, ...(input.reason ? { reason: input.reason } : {}) },
            // "Removed" is checked at the next tick rather than at the due time.
            nextCheckAt: input.answer === "removed" ? at : latest.dueAt,
          },
          steps: [
            {
              event: {
                type: "takedown_answered",
                takedownId: latest.id,
                answer: input.answer,
                ...(input.reason ? { reason: input.reason } : {}),
              },
            },
          ],
        };
      });
    },

    /** The hourly tick: unsent requests are sent, due ones re-captured, finished re-captures read. */
    async tick(): Promise<Record<string, number>> {
      const counts: Record<string, number> = {};
      for (const request of await deps.cases.takedownsDue(now().toISOString(), TICK_BATCH)) {
        let outcome: string;
        try {
          if (!request.sentAt) {
            await send(request.id);
            outcome = "sent";
          } else {
            outcome = await check(request);
          }
        } catch (error) {
          // Another tick or an answer moved it meanwhile, or the breach, the mail or the re-capture
          // failed: it is looked at again next hour, and one request's failure does not hold up the
          // others (the counts are logged).
          outcome = error instanceof ConflictError ? "conflict" : "failed";
        }
        counts[outcome] = (counts[outcome] ?? 0) + 1;
      }
      return counts;
    },
  };
}

export type TakedownService = ReturnType<typeof createTakedownService>;
