import { authorize } from "../auth/policy";
import type { Principal } from "../auth/roles";
import type { EmailTexts } from "../emails";
import { ConflictError, InvalidError } from "../errors";
import { fieldIssues } from "../input";
import type { Party } from "../parties/model";
import type { PartyRepository } from "../parties/ports";
import { actorRef } from "../parties/service";
import { GROUP_LABELS_VI } from "../pledges/labels";
import type { Invitation } from "../pledges/model";
import type { Mailer, SigningRepository } from "../pledges/ports";
import { previousQuarterId, quarterId, quarterLabel } from "../pledges/quarters";
import type { SigningService } from "../pledges/service";
import type { Clock, TaskQueue } from "../ports";
import { type AgencyCode, AgencyCodeSchema, agencyByCode } from "../reference/agencies";
import { provinceByCode } from "../reference/provinces";
import type { StaffRepository } from "../staff/staff";
import { hasSigned } from "./model";
import type { CoverageRepository } from "./ports";
import { COVERAGE_RECONCILE_TASK, type CoverageService, SYSTEM_PRINCIPAL } from "./service";
import {
  addDays,
  DEFAULT_RENEWAL_SETTINGS,
  daysBetween,
  partyDueDate,
  type RenewalSettings,
  RenewalSettingsSchema,
  type StoredRenewalSettings,
  vietnamDate,
  vietnamHour,
} from "./settings";

export const RENEWAL_TICK_TASK = "renewal.tick";
/** The office that sets a province's renewal cycle (the standing office of the Steering Committee 389). */
export const RENEWAL_SETTINGS_OFFICE = "CT" as const;
export const RENEWAL_INVITE_BATCH_TASK = "renewal.invite-batch";
export const RENEWAL_DAILY_TASK = "renewal.daily";
export const RENEWAL_INVITE_PARTY_TASK = "renewal.invite-party";
/**
 * What a quarter's rollover mark holds when its invitations are sent by hand (the demo data's first
 * quarter): the automatic rollover is skipped and nothing is invited automatically until the next one.
 */
export const MANUAL_ROLLOVER = "manual";

/** Parties handled by one batch task (one SQS message). */
export const RENEWAL_BATCH_SIZE = 100;
/** Parties invited at once inside a batch. */
const CONCURRENCY = 16;
/** Overdue digests go out on the first overdue day, then every this many days. */
const DIGEST_EVERY_DAYS = 7;
/** The hour (Vietnam) after which the nightly reconciliation runs. */
const RECONCILE_HOUR = 2;

export interface RenewalDeps {
  coverage: CoverageRepository;
  coverageService: CoverageService;
  parties: PartyRepository;
  signing: SigningRepository;
  signingService: SigningService;
  staff: StaffRepository;
  mailer: Mailer;
  tasks: TaskQueue;
  clock: Clock;
  /** The words of the overdue digest (the web catalogue's). */
  emails: Pick<EmailTexts, "overdueDigest">;
}

export interface DailyOutcome {
  invited: number;
  reminded: number;
  overdue: number;
  digests: number;
}

async function inBatches<T>(items: readonly T[], size: number, run: (item: T) => Promise<void>) {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(run));
}

/**
 * The renewal cycle: a tick (hourly, from EventBridge Scheduler on AWS or a timer in `npm start`) opens a
 * new quarter once (freezes the last one's counters, orders its report, fans the invitations out as batch
 * tasks per agency × province), runs the day's reminders and digests once per day, and the nightly
 * reconciliation. Every step is guarded by a mark written once, so a repeated tick or a redelivered
 * message sends nothing twice; the invitations themselves are guarded by one open invitation per party
 * and quarter.
 */
/** The steps the renewal cycle is built from: a province's settings, the active cells, one invitation, the overdue digest. */
function renewalSteps(deps: RenewalDeps) {
  const { coverage, parties, signing, clock, tasks } = deps;

  async function settingsOf(province: string): Promise<RenewalSettings> {
    return (await coverage.getSettings(province)) ?? DEFAULT_RENEWAL_SETTINGS;
  }

  /** Agency × province pairs with obligated parties, from the live counters (no registry read). */
  async function activeCells(): Promise<{ agency: AgencyCode; province: string }[]> {
    const pairs = new Map<string, { agency: AgencyCode; province: string }>();
    for (const cell of await coverage.liveCells()) {
      if (cell.obligated > 0)
        pairs.set(`${cell.agency}#${cell.province}`, { agency: cell.agency, province: cell.province });
    }
    return [...pairs.values()];
  }

  /** Invites a party for the current quarter unless it signed or has an invitation; true when invited. */
  async function inviteIfNone(party: Party, quarter: string, existing?: Invitation[]): Promise<boolean> {
    if (party.status !== "active" || hasSigned(party, quarter)) return false;
    if (!party.contacts.some((c) => c.email)) return false;
    const invitations = existing ?? (await signing.invitationsOfParty(party.id));
    // Revoked by staff on purpose, or invited already: either way, not again automatically.
    if (invitations.some((i) => i.quarter === quarter)) return false;
    try {
      await deps.signingService.inviteChecked(SYSTEM_PRINCIPAL, party);
      return true;
    } catch (error) {
      // Invited meanwhile (another batch, a national party listed in several provinces), or signed.
      if (error instanceof ConflictError || error instanceof InvalidError) return false;
      throw error;
    }
  }

  async function digest(
    agency: AgencyCode,
    province: string,
    quarter: string,
    overdue: { party: Party; due: string }[],
    today: string,
  ) {
    const leads = (await deps.staff.listByScope(agency, province)).filter(
      (s) => s.role === "lead" && s.status === "active",
    );
    const provinceName = provinceByCode(province)?.name ?? province;
    const listed = overdue
      .sort((a, b) => a.due.localeCompare(b.due) || a.party.name.localeCompare(b.party.name, "vi"))
      .map(({ party, due }) => ({
        name: party.name,
        groupLabel: GROUP_LABELS_VI[party.group],
        due,
        daysOverdue: daysBetween(due, today),
      }));
    for (const lead of leads) {
      await deps.mailer.send({
        to: lead.email,
        kind: "overdue_digest",
        ...deps.emails.overdueDigest({
          leadName: lead.name,
          agencyName: agencyByCode(agency).nameVi,
          provinceName,
          quarterLabel: quarterLabel(quarter),
          today,
          overdue: listed,
        }),
      });
    }
    return leads.length;
  }

  return { coverage, parties, signing, clock, tasks, settingsOf, activeCells, inviteIfNone, digest };
}

export function createRenewalService(deps: RenewalDeps) {
  const { coverage, parties, signing, clock, tasks, settingsOf, activeCells, inviteIfNone, digest } =
    renewalSteps(deps);

  return {
    settingsOf,

    async getSettings(
      actor: Principal,
      province: string,
    ): Promise<RenewalSettings & { province: string; updatedAt?: string }> {
      authorize(actor, "coverage.read", { provinces: [province] });
      const stored = await coverage.getSettings(province);
      return stored ?? { ...DEFAULT_RENEWAL_SETTINGS, province };
    },

    async updateSettings(actor: Principal, province: string, raw: unknown): Promise<StoredRenewalSettings> {
      // One cycle per province, for every agency's groups: set by the standing office of the provincial
      // Steering Committee 389, Sở Công Thương (and admins), not by any agency's lead.
      authorize(actor, "renewal.settings", { agency: RENEWAL_SETTINGS_OFFICE, provinces: [province] });
      if (!provinceByCode(province))
        throw new InvalidError("Unknown province", [
          { field: "province", message: "Tỉnh/thành không hợp lệ" },
        ]);
      const parsed = RenewalSettingsSchema.safeParse(raw);
      if (!parsed.success) {
        throw new InvalidError("Invalid renewal settings", fieldIssues(parsed.error));
      }
      const settings = parsed.data;
      const offsets = [...new Set(settings.reminderOffsets)].sort((a, b) => b - a);
      if (offsets.some((o) => o >= settings.dueDay)) {
        throw new InvalidError("Reminder before the quarter", [
          {
            field: "reminderOffsets",
            message: `Ngày nhắc phải sau ngày đầu quý: mỗi giá trị nhỏ hơn hạn ký (${settings.dueDay})`,
          },
        ]);
      }
      const stored: StoredRenewalSettings = {
        ...settings,
        reminderOffsets: offsets,
        province,
        updatedAt: clock.now().toISOString(),
        updatedBy: actorRef(actor),
      };
      await coverage.putSettings(stored);
      return stored;
    },

    /** Asks for a tick now (after the clock moved), through the queue like the scheduler's. */
    async requestTick() {
      await tasks.enqueue({ type: RENEWAL_TICK_TASK, payload: {} });
    },

    /** What the scheduler fires. Cheap when there is nothing to do: a few mark reads. */
    async tick(): Promise<{ rollover: boolean; daily: boolean; reconcile: boolean }> {
      const now = clock.now();
      const quarter = quarterId(now);
      const today = vietnamDate(now);
      const outcome = { rollover: false, daily: false, reconcile: false };
      if (await coverage.markOnce(`ROLLOVER#${quarter}`, now.toISOString())) {
        outcome.rollover = true;
        await this.rollover(quarter);
      }
      if (await coverage.markOnce(`DAILY#${today}`, now.toISOString())) {
        outcome.daily = true;
        for (const { agency, province } of await activeCells()) {
          await tasks.enqueue({
            type: RENEWAL_DAILY_TASK,
            payload: { agency, province, date: today, quarter },
          });
        }
      }
      if (
        vietnamHour(now) >= RECONCILE_HOUR &&
        (await coverage.markOnce(`RECONCILE#${today}`, now.toISOString()))
      ) {
        outcome.reconcile = true;
        await tasks.enqueue({ type: COVERAGE_RECONCILE_TASK, payload: {} });
      }
      return outcome;
    },

    /** Opens a quarter: freezes the last one, orders its report, fans out the invitations. */
    async rollover(quarter: string) {
      const previous = previousQuarterId(quarter);
      if (await deps.coverageService.closeQuarter(previous)) {
        await deps.coverageService.requestReport(SYSTEM_PRINCIPAL, { quarter: previous }, true);
      }
      for (const { agency, province } of await activeCells()) {
        await tasks.enqueue({ type: RENEWAL_INVITE_BATCH_TASK, payload: { agency, province, quarter } });
      }
    },

    /** One batch of the rollover: a page of an agency × province list; enqueues the next page. */
    async inviteBatch(payload: {
      agency: string;
      province: string;
      quarter: string;
      cursor?: string | undefined;
      /** Only parties registered since (an import after the rollover), not everyone. */
      registeredSince?: string | undefined;
    }) {
      const agency = AgencyCodeSchema.parse(payload.agency);
      // A batch delivered after its quarter ended would invite for the wrong quarter: drop it.
      if (quarterId(clock.now()) !== payload.quarter) return { invited: 0, next: undefined };
      const page = await parties.list({
        agency,
        province: payload.province,
        status: "active",
        limit: RENEWAL_BATCH_SIZE,
        cursor: payload.cursor,
      });
      let invited = 0;
      const since = payload.registeredSince;
      const due = since ? page.items.filter((p) => p.createdAt >= since) : page.items;
      await inBatches(due, CONCURRENCY, async (party) => {
        if (await inviteIfNone(party, payload.quarter)) invited++;
      });
      if (page.next) {
        await tasks.enqueue({
          type: RENEWAL_INVITE_BATCH_TASK,
          payload: { ...payload, agency, cursor: page.next },
        });
      }
      return { invited, next: page.next };
    },

    /**
     * A party registered after this quarter's rollover is invited at once (the same day). Before the
     * cycle has ever run for the quarter, nothing is automatic: staff invite, or the rollover will.
     */
    async invitePartyNow(partyId: string): Promise<boolean> {
      const quarter = quarterId(clock.now());
      const rolledOver = await coverage.markedAt(`ROLLOVER#${quarter}`);
      if (!rolledOver || rolledOver === MANUAL_ROLLOVER) return false;
      const party = await parties.get(partyId);
      if (!party) return false;
      return inviteIfNone(party, quarter);
    },

    /** After an import: the parties it registered since the rollover, invited the same day in batches. */
    async inviteImported(agency: AgencyCode, provinces: readonly string[], since: string) {
      const quarter = quarterId(clock.now());
      const rolledOver = await coverage.markedAt(`ROLLOVER#${quarter}`);
      if (!rolledOver || rolledOver === MANUAL_ROLLOVER) return;
      const registeredSince = since > rolledOver ? since : rolledOver;
      for (const province of provinces) {
        await tasks.enqueue({
          type: RENEWAL_INVITE_BATCH_TASK,
          payload: { agency, province, quarter, registeredSince },
        });
      }
    },

    /**
     * The day's work in one agency × province: anyone active without an invitation gets one (parties
     * imported or reactivated since the rollover), reminders go out on the configured days before each
     * party's due date (once per party, quarter and offset), and the overdue go to the agency's leads as
     * one digest (first overdue day, then weekly).
     */
    async daily(payload: {
      agency: string;
      province: string;
      date: string;
      quarter: string;
    }): Promise<DailyOutcome> {
      const agency = AgencyCodeSchema.parse(payload.agency);
      const { province, date: today, quarter } = payload;
      const outcome: DailyOutcome = { invited: 0, reminded: 0, overdue: 0, digests: 0 };
      if (quarterId(clock.now()) !== quarter || vietnamDate(clock.now()) !== today) return outcome;
      const settings = await settingsOf(province);
      // Registered after the rollover without an invitation yet (a missed same-day task): invited now.
      const mark = await coverage.markedAt(`ROLLOVER#${quarter}`);
      const rolledOver = mark === MANUAL_ROLLOVER ? null : mark;
      const overdue: { party: Party; due: string }[] = [];
      let cursor: string | undefined;
      do {
        const page = await parties.list({ agency, province, status: "active", limit: 200, cursor });
        // A party in several provinces is handled by its first province's run only.
        const unsigned = page.items.filter((p) => !hasSigned(p, quarter) && p.provinces[0] === province);
        await inBatches(unsigned, CONCURRENCY, async (party) => {
          const due = partyDueDate(party, quarter, settings);
          const invitations = (await signing.invitationsOfParty(party.id)).filter(
            (i) => i.quarter === quarter,
          );
          if (invitations.length === 0) {
            if (
              rolledOver &&
              party.createdAt >= rolledOver &&
              (await inviteIfNone(party, quarter, invitations))
            )
              outcome.invited++;
            if (today > due) overdue.push({ party, due });
            return;
          }
          const open = invitations.find((i) => i.status === "active");
          const offset = settings.reminderOffsets.find((o) => addDays(due, -o) === today);
          if (
            open &&
            offset !== undefined &&
            (await coverage.markOnce(`REMIND#${quarter}#${party.id}#${offset}`, clock.now().toISOString()))
          ) {
            await deps.signingService.resend(SYSTEM_PRINCIPAL, open.id);
            outcome.reminded++;
          }
          if (today > due) overdue.push({ party, due });
        });
        cursor = page.next;
      } while (cursor);
      outcome.overdue = overdue.length;
      if (overdue.length > 0) {
        const first = overdue.map((o) => o.due).sort()[0] ?? today;
        const sinceFirst = daysBetween(addDays(first, 1), today);
        if (
          sinceFirst % DIGEST_EVERY_DAYS === 0 &&
          (await coverage.markOnce(
            `DIGEST#${quarter}#${agency}#${province}#${today}`,
            clock.now().toISOString(),
          ))
        ) {
          outcome.digests = await digest(agency, province, quarter, overdue, today);
        }
      }
      return outcome;
    },
  };
}

export type RenewalService = ReturnType<typeof createRenewalService>;
