import { createHash, createHmac, randomBytes } from "node:crypto";
import type { AttemptCounter } from "../auth/sign-in";
import { ConflictError, InvalidError, NotFoundError } from "../errors";
import type { Decision, FlagItem } from "../flagging/model";
import type { FlaggingService } from "../flagging/service";
import { fieldIssues } from "../input";
import { canonicalUrl, itemFingerprint, urlKey } from "../monitoring/fingerprint";
import { flagItemOfCaptured } from "../monitoring/flag-item";
import type { Capture, CapturedItem } from "../monitoring/model";
import type { MonitoringRepository } from "../monitoring/ports";
import { platformFromHost } from "../monitoring/service";
import { type CaptureRefusal, captureFailureOf, parseCaptureUrl } from "../monitoring/url-safety";
import type { DocumentStore } from "../pledges/ports";
import type { Clock } from "../ports";
import { privacyConsentAt } from "../privacy/notice";
import type { AgencyCode } from "../reference/agencies";
import type { CaseIntake } from "../review/intake";
import type { Case } from "../review/model";
import type { CaseRepository } from "../review/ports";
import { TipRefusedError } from "./errors";
import { checkFormToken, FORM_TTL_MS, issueFormToken } from "./form-token";
import { TipInputSchema } from "./input";
import type { PublicTipView, Tip, TipUrlRecord } from "./model";
import type { TipRepository } from "./ports";
import { pageKindFor, routeTip } from "./routing";
import { publicTipStatus } from "./status";

export interface TipLimits {
  /** Tips one client address may file per hour. */
  perAddressPerHour: number;
  /** Tips about one URL per day (Asia/Ho_Chi_Minh), duplicates included. */
  perUrlPerDay: number;
}

export const DEFAULT_TIP_LIMITS: TipLimits = { perAddressPerHour: 5, perUrlPerDay: 20 };

export interface TipDeps {
  tips: TipRepository;
  attempts: AttemptCounter;
  /** Capture on demand with origin "tip" (the monitoring service); ConflictError when the URL is busy. */
  capture: {
    requestTipCapture(input: {
      url: string;
      agency: AgencyCode;
      province: string;
      tipId: string;
    }): Promise<{ id: string }>;
  };
  captures: Pick<MonitoringRepository, "getCapture" | "getItems">;
  evidence: DocumentStore;
  flagging: Pick<FlaggingService, "evaluateItem">;
  intake: CaseIntake;
  cases: Pick<CaseRepository, "get" | "getTakedown">;
  clock: Clock;
  newId: () => string;
  limits?: Partial<TipLimits>;
  /**
   * URL safety before anything is written: resolves the host and applies the capture's rules (the
   * same `checkUrlSafety` and allowlist as the crawler). Returns why the address is refused, or
   * null. Absent: every well-formed URL goes on to capture (which still refuses unsafe hops).
   */
  checkUrl?: (url: string) => Promise<CaptureRefusal | null>;
}

/** Crockford's base32 without I, L, O, U: 16 characters ≈ 80 random bits, read aloud without confusion. */
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

export function newTrackingCode(): string {
  const bytes = randomBytes(16);
  let code = "";
  for (const byte of bytes) code += ALPHABET[byte & 31];
  return code.replace(/(.{4})(?!$)/g, "$1-");
}

/** What a tipster types back: case and dashes do not matter. null when it cannot be a code. */
export function normalizeTrackingCode(raw: string): string | null {
  const plain = raw.toUpperCase().replace(/[\s-]/g, "");
  if (!/^[0-9A-HJKMNP-TV-Z]{16}$/.test(plain)) return null;
  return plain.replace(/(.{4})(?!$)/g, "$1-");
}

/** The tip a tracking code names, however the tipster typed it (case, spaces, dashes); null if none. */
export async function findTipByCode(
  tips: Pick<TipRepository, "byCodeHash">,
  raw: string,
): Promise<Tip | null> {
  const code = normalizeTrackingCode(raw);
  return code ? tips.byCodeHash(sha256(code)) : null;
}

/**
 * The tip a tip follows (itself, or for a duplicate merged before its case existed, the first tip of its
 * URL) and the case both share: the status page's reading, and the retention sweep's.
 */
export async function caseOfTip(
  tip: Tip,
  deps: { tips: Pick<TipRepository, "get">; cases: Pick<CaseRepository, "get"> },
): Promise<{ followed: Tip; case: Case | null }> {
  const followed =
    (tip.state === "merged" && !tip.caseId && tip.mergedInto ? await deps.tips.get(tip.mergedInto) : tip) ??
    tip;
  const caseId = tip.caseId ?? followed.caseId;
  return { followed, case: caseId ? await deps.cases.get(caseId) : null };
}

/** The local calendar day (Asia/Ho_Chi_Minh, UTC+7, no daylight saving) of an instant. */
function localDay(at: Date): string {
  return new Date(at.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
}

function retryAfter(now: Date, windowSeconds: number): number {
  const ms = windowSeconds * 1000;
  return Math.max(1, Math.ceil((ms - (now.getTime() % ms)) / 1000));
}

/** The steps the tip service is built from: the form secret, the item a tip's capture yields, case intake, the tip's filing. */
function tipSteps(deps: TipDeps) {
  const limits = { ...DEFAULT_TIP_LIMITS, ...deps.limits };
  let secret: Promise<Uint8Array> | undefined;
  const formSecret = () => {
    secret ??= deps.tips.formSecret().catch((error) => {
      secret = undefined;
      throw error;
    });
    return secret;
  };

  /** The item of the captured page the tip is about: the one at the tip's URL, else the first, else the page. */
  async function itemOf(tip: Tip, capture: Capture | null): Promise<{ item: FlagItem; pageNo?: number }> {
    const items: CapturedItem[] =
      capture && capture.itemIds.length > 0 ? await deps.captures.getItems(capture.itemIds.slice(0, 50)) : [];
    const wanted = canonicalUrl(tip.url);
    const found =
      items.find((i) => (i.url ? canonicalUrl(i.url) === wanted : false)) ??
      items.find((i) => canonicalUrl(i.pageUrl) === wanted) ??
      items[0];
    if (found) {
      return {
        item: flagItemOfCaptured(found),
        pageNo: found.pageNo,
      };
    }
    // No listing, post or ad on the page (or no capture): the page itself is the item, with its text.
    const page = capture?.pages[0];
    const textKey = page?.artefacts.find((a) => a.name === "text.txt")?.key;
    const body = textKey ? await deps.evidence.get(textKey) : null;
    const text = body ? new TextDecoder().decode(body).slice(0, 100_000) : undefined;
    const platform = platformFromHost(tip.host);
    const kind = pageKindFor(tip.category);
    return {
      item: {
        id: itemFingerprint(platform, tip.host, { kind, title: tip.url, url: tip.url, source: "tip" }),
        kind,
        platform,
        title: (page?.finalUrl ?? tip.url).slice(0, 2_000),
        ...(text ? { text } : {}),
        url: tip.url.slice(0, 2_000),
      },
      ...(page ? { pageNo: page.pageNo } : {}),
    };
  }

  async function intakeFor(
    tip: Tip,
    item: FlagItem,
    evaluation: Decision,
    captureId?: string,
    pageNo?: number,
  ) {
    const result = await deps.intake({
      item,
      evaluation,
      source: { kind: "tip", tipId: tip.id },
      province: tip.province,
      ...(captureId ? { captureId } : {}),
      ...(pageNo !== undefined ? { pageNo } : {}),
      route: routeTip(tip.category, item),
    });
    if (!result) throw new Error(`intake refused tip ${tip.id}`);
    return result.case;
  }

  async function setFiled(tip: Tip, change: Partial<Tip>): Promise<Tip> {
    const next: Tip = {
      ...tip,
      ...change,
      updatedAt: deps.clock.now().toISOString(),
      version: tip.version + 1,
    };
    await deps.tips.update(next, tip.version);
    return next;
  }

  async function refuseOverLimit(
    key: string,
    windowSeconds: number,
    limit: number,
    reason: TipRefusedError["reason"],
  ) {
    const now = deps.clock.now();
    const count = await deps.attempts.hit(key, windowSeconds, now);
    if (count > limit) throw new TipRefusedError(reason, retryAfter(now, windowSeconds));
  }

  return { limits, formSecret, itemOf, intakeFor, setFiled, refuseOverLimit };
}

export function createTipService(deps: TipDeps) {
  const { limits, formSecret, itemOf, intakeFor, setFiled, refuseOverLimit } = tipSteps(deps);

  return {
    limits,

    /** A fresh signed token for the form (the page and `GET /api/v1/tips/form-token`). */
    async formToken(): Promise<string> {
      return issueFormToken(await formSecret(), deps.clock.now());
    },

    /**
     * Files a tip. Refusals come before anything is written, in this order: the body's fields, the
     * honeypot, the form token (signature, fill time, expiry, single use), the client address's hourly
     * limit, the URL's shape and where it resolves (`checkUrl`), the URL's daily limit. A second tip about a URL the same day is merged with
     * the first: it gets its own tracking code and follows the first tip's capture and case.
     */
    async submit(raw: unknown, meta: { address: string }): Promise<{ code: string; tip: Tip }> {
      const parsed = TipInputSchema.safeParse(raw);
      if (!parsed.success) {
        throw new InvalidError("Invalid tip", fieldIssues(parsed.error));
      }
      const input = parsed.data;
      if (input.website && input.website.trim() !== "") throw new TipRefusedError("honeypot");
      const now = deps.clock.now();
      const token = checkFormToken(await formSecret(), input.formToken, now);
      if (!token.ok) throw new TipRefusedError(token.reason);
      // Single use: the nonce is counted in the window its issue time falls in (the same window every time).
      const ttlSeconds = FORM_TTL_MS / 1000;
      if ((await deps.attempts.hit(`tipform:${token.nonce}`, ttlSeconds * 2, token.issuedAt)) > 1) {
        throw new TipRefusedError("form_used");
      }
      // Keyed with the server's secret: an unkeyed hash of an IPv4 address is undone by trying all 2^32.
      const addressHash = createHmac("sha256", await formSecret())
        .update(`tip-address|${meta.address}`)
        .digest("hex");
      await refuseOverLimit(
        `tip:addr:${addressHash}`,
        3_600,
        limits.perAddressPerHour,
        "too_many_from_address",
      );
      const { url, host } = parseCaptureUrl(input.url);
      // After the address limit, so the check cannot be used to probe names without a bound.
      if (deps.checkUrl && (await deps.checkUrl(url)) !== null)
        throw new TipRefusedError("url_not_checkable");
      const key = urlKey(url);
      await refuseOverLimit(`tip:url:${key}`, 86_400, limits.perUrlPerDay, "too_many_for_url");

      const code = newTrackingCode();
      const at = now.toISOString();
      const day = localDay(now);
      const id = deps.newId();
      const route = routeTip(input.category, { kind: pageKindFor(input.category) });
      const base: Tip = {
        id,
        codeHash: sha256(code),
        url,
        host,
        urlKey: key,
        category: input.category,
        details: input.details,
        ...(input.contact ? { contact: input.contact, privacyConsent: privacyConsentAt(now) } : {}),
        province: input.province,
        agency: route.agency,
        state: "received",
        addressHash,
        createdAt: at,
        updatedAt: at,
        version: 1,
      };
      const record = await deps.tips.urlRecord(key, day);
      if (record) {
        const tip: Tip = { ...base, state: "merged", mergedInto: record.primaryTipId };
        await deps.tips.create(
          tip,
          { ...record, duplicateTipIds: [...record.duplicateTipIds, id], version: record.version + 1 },
          record.version,
        );
        // The first tip's case exists already: this one is merged into it at once (logged on the case).
        const primary = await deps.tips.get(record.primaryTipId);
        if (primary?.caseId) await this.mergeDuplicate(tip, primary);
        return { code, tip };
      }
      let jobId: string;
      try {
        jobId = (
          await deps.capture.requestTipCapture({
            url,
            agency: route.agency,
            province: input.province,
            tipId: id,
          })
        ).id;
      } catch (error) {
        if (error instanceof ConflictError) throw new TipRefusedError("capture_busy", 60);
        throw error;
      }
      const tip: Tip = { ...base, jobId };
      const fresh: TipUrlRecord = {
        urlKey: key,
        primaryTipId: id,
        duplicateTipIds: [],
        firstAt: at,
        version: 1,
      };
      // Keyed by day: a concurrent first tip of the same URL loses here (ConflictError), nothing is half-written.
      await deps.tips.create(tip, { ...fresh, urlKey: key }, null);
      return { code, tip };
    },

    /** A duplicate joins its first tip's case (a "merged" entry with its own tip id on the case log). */
    async mergeDuplicate(tip: Tip, primary: Tip): Promise<void> {
      if (!primary.caseId || tip.caseId) return;
      const current = await deps.cases.get(primary.caseId);
      if (!current) return;
      const merged = await intakeFor(tip, current.item, current.evaluation, primary.captureId);
      const fresh = await deps.tips.get(tip.id);
      if (fresh && !fresh.caseId)
        await setFiled(fresh, {
          caseId: merged.id,
          ...(primary.captureId ? { captureId: primary.captureId } : {}),
          captureOutcome: primary.captureOutcome,
        });
    },

    /**
     * The `tips.intake` task, after the tip's capture finished (succeeded or failed): the page's item is
     * evaluated by the flagging rules and goes to case intake with source `{ kind: "tip", tipId }` —
     * flagged or not, since a person reported it. Then the day's duplicates join the same case. Safe to
     * run twice: a tip with a case is left alone.
     */
    async afterCapture(captureId: string): Promise<void> {
      const capture = await deps.captures.getCapture(captureId);
      if (!capture) throw new Error(`capture ${captureId} not stored yet`);
      const tipId = capture.requestedBy.startsWith("tip:") ? capture.requestedBy.slice(4) : null;
      if (!tipId) return;
      // The capture is requested before the tip is written (a busy URL refuses the tip with nothing
      // written), so a fast capture can end first: wait briefly for the write, then let the queue retry.
      let tip = await deps.tips.get(tipId);
      for (let wait = 1; !tip && wait <= 10; wait++) {
        await new Promise((r) => setTimeout(r, 100 * wait));
        tip = await deps.tips.get(tipId);
      }
      if (!tip) throw new Error(`tip ${tipId} not stored yet`);
      let filed = tip;
      if (!tip.caseId && tip.state === "not_checkable") return;
      if (
        !tip.caseId &&
        capture.outcome === "failed" &&
        captureFailureOf(capture.error).failure === "refused"
      ) {
        // URL safety refused the page (a redirect inward, or a name that now resolves inward): there is
        // no evidence and nothing a reviewer could open, so no case. The tipster's status says why; the
        // day's duplicates follow it (their status is this tip's).
        await setFiled(tip, { state: "not_checkable", captureId: capture.id, captureOutcome: "failed" });
        return;
      }
      if (!tip.caseId) {
        const succeeded = capture.outcome === "succeeded";
        const { item, pageNo } = await itemOf(tip, succeeded ? capture : null);
        const evaluation = await deps.flagging.evaluateItem(item, { source: "tip" });
        const opened = await intakeFor(tip, item, evaluation, succeeded ? capture.id : undefined, pageNo);
        filed = await setFiled(tip, {
          state: "filed",
          caseId: opened.id,
          captureId: capture.id,
          captureOutcome: capture.outcome,
        });
      }
      const record = await deps.tips.urlRecord(tip.urlKey, localDay(new Date(tip.createdAt)));
      for (const dupId of record?.primaryTipId === tip.id ? record.duplicateTipIds : []) {
        const dup = await deps.tips.get(dupId);
        if (dup) await this.mergeDuplicate(dup, filed);
      }
    },

    /** The public status page and `GET /api/v1/tips/{code}`: NotFoundError for an unknown code. */
    async status(rawCode: string): Promise<PublicTipView> {
      const code = normalizeTrackingCode(rawCode);
      const tip = await findTipByCode(deps.tips, rawCode);
      if (!code || !tip) throw new NotFoundError("No such tip");
      const { followed, case: current } = await caseOfTip(tip, deps);
      const takedown = current?.takedownId ? await deps.cases.getTakedown(current.takedownId) : null;
      const status = publicTipStatus(followed, current, takedown);
      return {
        code,
        status,
        category: tip.category,
        url: tip.url,
        province: tip.province,
        receivedAt: tip.createdAt,
        updatedAt: current && current.updatedAt > tip.updatedAt ? current.updatedAt : tip.updatedAt,
      };
    },
  };
}

export type TipService = ReturnType<typeof createTipService>;
