import type { PendingSignIn, PendingSignInStore } from "../auth/challenges";
import type { AttemptCounter } from "../auth/sign-in";
import type { CoverageCell } from "../coverage/model";
import { cellId, coverageDelta } from "../coverage/model";
import type { CoverageRepository, ReconciliationRecord } from "../coverage/ports";
import type { CoverageReport } from "../coverage/report-model";
import type { StoredRenewalSettings } from "../coverage/settings";
import { ConflictError } from "../errors";
import type { Party, PartyChange } from "../parties/model";
import { identifierKeys } from "../parties/model";
import type { PartyRepository, PartyWrite } from "../parties/ports";
import { chainEvent } from "../pledges/audit";
import type { AuditEvent, AuditEventDraft, Invitation, Pledge } from "../pledges/model";
import type { DocumentStore, SigningRepository } from "../pledges/ports";
import { quarterId } from "../pledges/quarters";
import type { Case, CaseLogEntry, TakedownRequest } from "../review/model";
import type { CaseRepository } from "../review/ports";
import type { StaffAccount, StaffRepository } from "../staff/staff";
import { foldVietnamese } from "../text/fold";

/**
 * In-memory implementations of the repository ports, for unit tests of the use cases without DynamoDB.
 * They keep the ports' promises — all-or-nothing writes, version conditions, one identifier per party,
 * one open invitation per party and quarter, coverage counters moved by the same writes — and each is
 * held to them by the same contract suite as its DynamoDB adapter (test/integration/contracts/).
 * Values are copied in and out (structuredClone), so a caller cannot change what is stored by accident.
 */
const copy = <T>(value: T): T => structuredClone(value);

/** A page of a sorted list: the cursor is the position of the next item. */
function page<T>(all: T[], limit: number, cursor: string | undefined): { items: T[]; next?: string } {
  const start = cursor ? Number(cursor) : 0;
  const items = all.slice(start, start + limit);
  return start + limit < all.length ? { items, next: String(start + limit) } : { items };
}

/** The coverage counters the party and signing writes move, and the coverage repository reads. */
export interface MemoryCounters {
  live: Map<string, CoverageCell>;
  quarters: Map<string, Map<string, CoverageCell>>;
  closed: Map<string, string>;
}

export function createMemoryCounters(): MemoryCounters {
  return { live: new Map(), quarters: new Map(), closed: new Map() };
}

function addCells(
  target: Map<string, CoverageCell>,
  cells: readonly CoverageCell[],
  which: "obligated" | "signed",
) {
  for (const cell of cells) {
    if (cell[which] === 0) continue;
    const sum = target.get(cellId(cell)) ?? { ...cell, obligated: 0, signed: 0 };
    sum[which] += cell[which];
    target.set(cellId(cell), sum);
  }
}

function quarterCells(counters: MemoryCounters, quarter: string) {
  const cells = counters.quarters.get(quarter) ?? new Map<string, CoverageCell>();
  counters.quarters.set(quarter, cells);
  return cells;
}

/** Moves the counters as the DynamoDB adapter's transactions do: obligated live, signed in the write's quarter. */
function countWrites(counters: MemoryCounters, writes: readonly PartyWrite[]) {
  for (const write of writes) {
    const quarter = quarterId(new Date(write.change.at));
    const delta = coverageDelta([write], quarter);
    addCells(counters.live, delta, "obligated");
    addCells(quarterCells(counters, quarter), delta, "signed");
  }
}

export function createMemoryPartyRepository(counters: MemoryCounters = createMemoryCounters()) {
  const parties = new Map<string, Party>();
  const keys = new Map<string, string>();
  const history = new Map<string, PartyChange[]>();

  /** Checks every write before any is applied: all or nothing. */
  function check(writes: readonly PartyWrite[]) {
    const claimed = new Map<string, string>();
    for (const { before, after } of writes) {
      const stored = parties.get(after.id);
      if (before === null ? stored : stored?.version !== before.version) {
        throw new ConflictError(`party ${after.id} changed meanwhile`);
      }
      for (const key of identifierKeys(after)) {
        const owner = claimed.get(key) ?? keys.get(key);
        if (owner && owner !== after.id) throw new ConflictError(`identifier ${key} belongs to ${owner}`);
        claimed.set(key, after.id);
      }
    }
  }

  function apply({ before, after, change }: PartyWrite, keepHistory: boolean) {
    if (before) for (const key of identifierKeys(before)) keys.delete(key);
    for (const key of identifierKeys(after)) keys.set(key, after.id);
    parties.set(after.id, copy(after));
    if (keepHistory) history.set(after.id, [copy(change), ...(history.get(after.id) ?? [])]);
  }

  function listed(agency: string, province: string, group?: string, status?: string) {
    return [...parties.values()]
      .filter(
        (p) =>
          p.agency === agency &&
          p.provinces.includes(province) &&
          (!group || p.group === group) &&
          (!status || p.status === status),
      )
      .sort(
        (a, b) => foldVietnamese(a.name).localeCompare(foldVietnamese(b.name)) || a.id.localeCompare(b.id),
      );
  }

  const repository: PartyRepository = {
    async get(id) {
      const party = parties.get(id);
      return party ? copy(party) : null;
    },
    async findIdByKey(key) {
      return keys.get(key) ?? null;
    },
    async findIdsByKeys(wanted) {
      return new Map(wanted.flatMap((k) => (keys.has(k) ? [[k, keys.get(k) as string] as const] : [])));
    },
    async getMany(ids) {
      return new Map(
        ids.flatMap((id) => (parties.has(id) ? [[id, copy(parties.get(id) as Party)] as const] : [])),
      );
    },
    async write(writes) {
      check(writes);
      for (const write of writes) apply(write, true);
      countWrites(counters, writes);
    },
    async bulkCreate(writes) {
      check(writes);
      // As in DynamoDB, the creations' history is derived, not stored: an imported party's first change.
      for (const write of writes) apply(write, !write.after.createdByImport);
      countWrites(counters, writes);
    },
    async remove(party) {
      const stored = parties.get(party.id);
      if (!stored) return;
      for (const key of identifierKeys(stored)) keys.delete(key);
      parties.delete(party.id);
      history.delete(party.id);
      // The party's counters go with it, as if it had ceased.
      countWrites(counters, [
        {
          before: stored,
          after: { ...stored, status: "ceased" },
          change: {
            partyId: stored.id,
            at: stored.updatedAt,
            by: stored.createdBy,
            action: "import_rolled_back",
            before: stored,
            after: stored,
          },
        },
      ]);
    },
    async list({ agency, province, group, status, limit, cursor }) {
      return page(listed(agency, province, group, status).map(copy), limit, cursor);
    },
    async search({ agency, text, province, group, status, limit, cursor }) {
      const all = province
        ? listed(agency, province, group, status)
        : [...new Set([...parties.values()].flatMap((p) => p.provinces))].flatMap((pr) =>
            listed(agency, pr, group, status),
          );
      const unique = [...new Map(all.map((p) => [p.id, p])).values()];
      return page(unique.filter((p) => foldVietnamese(p.name).includes(text)).map(copy), limit, cursor);
    },
    async history(id) {
      return copy(history.get(id) ?? []);
    },
  };
  return repository;
}

export function createMemorySigningRepository(
  parties: PartyRepository = createMemoryPartyRepository(),
): SigningRepository {
  const invitations = new Map<string, Invitation>();
  const pledges = new Map<string, Pledge>();
  const audit = new Map<string, AuditEvent[]>();
  const pledgeKey = (partyId: string, quarter: string) => `${partyId}#${quarter}`;

  function append(stream: string, events: readonly AuditEventDraft[]) {
    const chain = audit.get(stream) ?? [];
    for (const draft of events) chain.push(chainEvent(stream, chain.at(-1) ?? null, draft));
    audit.set(stream, chain);
  }

  function checkInvitation(before: Invitation) {
    if (invitations.get(before.id)?.version !== before.version) {
      throw new ConflictError(`invitation ${before.id} changed meanwhile`);
    }
  }

  return {
    async getInvitation(id) {
      const found = invitations.get(id);
      return found ? copy(found) : null;
    },
    async findInvitationByTokenHash(tokenHash) {
      const found = [...invitations.values()].find((i) => i.tokenHash === tokenHash);
      return found ? copy(found) : null;
    },
    async invitationsOfParty(partyId) {
      return [...invitations.values()]
        .filter((i) => i.partyId === partyId)
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id))
        .map(copy);
    },
    async createInvitation(invitation, events) {
      const open = [...invitations.values()].find(
        (i) =>
          i.partyId === invitation.partyId &&
          i.quarter === invitation.quarter &&
          (i.status === "active" || i.status === "signing"),
      );
      if (open || invitations.has(invitation.id)) throw new ConflictError("An open invitation exists");
      invitations.set(invitation.id, copy(invitation));
      append(invitation.partyId, events);
    },
    async updateInvitation(before, after, events) {
      checkInvitation(before);
      invitations.set(after.id, copy(after));
      append(after.partyId, events);
    },
    async commitSigning({ invitationBefore, invitationAfter, pledge, party, events }) {
      if (pledges.has(pledgeKey(pledge.partyId, pledge.quarter))) throw new ConflictError("Already signed");
      checkInvitation(invitationBefore);
      await parties.write([party]);
      invitations.set(invitationAfter.id, copy(invitationAfter));
      pledges.set(pledgeKey(pledge.partyId, pledge.quarter), copy(pledge));
      append(pledge.partyId, events);
    },
    async updatePledge(_before, after, party, events) {
      if (party) await parties.write([party]);
      pledges.set(pledgeKey(after.partyId, after.quarter), copy(after));
      append(after.partyId, events);
    },
    async getPledge(partyId, quarter) {
      const found = pledges.get(pledgeKey(partyId, quarter));
      return found ? copy(found) : null;
    },
    async findPledgeByCode(documentCode) {
      const found = [...pledges.values()].find((p) => p.documentCode === documentCode);
      return found ? copy(found) : null;
    },
    async findPledgeByFileHash(sha256) {
      const found = [...pledges.values()].find((p) => p.fileSha256 === sha256);
      return found ? copy(found) : null;
    },
    async pledgesOfParty(partyId) {
      return [...pledges.values()]
        .filter((p) => p.partyId === partyId)
        .sort((a, b) => b.quarter.localeCompare(a.quarter))
        .map(copy);
    },
    async publicPledges({ quarter, province, family, limit, cursor }) {
      const all = [...pledges.values()]
        .filter(
          (p) =>
            p.quarter === quarter &&
            (!province || p.provinces.includes(province)) &&
            (!family || p.family === family),
        )
        .sort(
          (a, b) =>
            a.family.localeCompare(b.family) ||
            a.partyName.localeCompare(b.partyName) ||
            a.partyId.localeCompare(b.partyId),
        );
      return page(all.map(copy), limit, cursor);
    },
    async appendAudit(stream, events) {
      append(stream, events);
    },
    async auditOf(stream) {
      return copy(audit.get(stream) ?? []);
    },
    async auditStreams(cursor) {
      const { items, next } = page([...audit.keys()].sort(), 100, cursor);
      return { streams: items, next };
    },
  };
}

export function createMemoryCoverageRepository(
  counters: MemoryCounters = createMemoryCounters(),
): CoverageRepository {
  const reconciliations: ReconciliationRecord[] = [];
  const settings = new Map<string, StoredRenewalSettings>();
  const marks = new Map<string, string>();
  const reports = new Map<string, CoverageReport>();
  return {
    async liveCells() {
      return [...counters.live.values()].map((c) => ({ ...c, signed: 0 }));
    },
    async quarterCounters(quarter) {
      const closedAt = counters.closed.get(quarter);
      return {
        cells: [...quarterCells(counters, quarter).values()].map(copy),
        ...(closedAt ? { closedAt } : {}),
      };
    },
    async closeQuarter(quarter, obligated, at) {
      if (counters.closed.has(quarter)) return false;
      const cells = quarterCells(counters, quarter);
      for (const cell of obligated) {
        const current = cells.get(cellId(cell)) ?? { ...cell, signed: 0 };
        cells.set(cellId(cell), { ...current, obligated: cell.obligated });
      }
      counters.closed.set(quarter, at);
      return true;
    },
    async adjust(quarter, deltas) {
      addCells(counters.live, deltas, "obligated");
      addCells(quarterCells(counters, quarter), deltas, "signed");
    },
    async saveReconciliation(record) {
      reconciliations.unshift(copy(record));
    },
    async reconciliations(limit) {
      return reconciliations.slice(0, limit).map(copy);
    },
    async getSettings(province) {
      const found = settings.get(province);
      return found ? copy(found) : null;
    },
    async putSettings(value) {
      settings.set(value.province, copy(value));
    },
    async markOnce(key, at) {
      if (marks.has(key)) return false;
      marks.set(key, at);
      return true;
    },
    async markedAt(key) {
      return marks.get(key) ?? null;
    },
    async createReport(report) {
      if (reports.has(report.id)) throw new ConflictError(`report ${report.id} exists`);
      reports.set(report.id, copy(report));
    },
    async updateReport(report) {
      reports.set(report.id, copy(report));
    },
    async getReport(id) {
      const found = reports.get(id);
      return found ? copy(found) : null;
    },
    async listReports(limit) {
      return [...reports.values()]
        .sort((a, b) => b.requestedAt.localeCompare(a.requestedAt))
        .slice(0, limit)
        .map(copy);
    },
  };
}

export function createMemoryCaseRepository(): CaseRepository {
  const cases = new Map<string, Case>();
  const logs = new Map<string, CaseLogEntry[]>();
  const takedowns = new Map<string, TakedownRequest>();

  function writeTakedown(next: TakedownRequest, expectedVersion: number | null) {
    const stored = takedowns.get(next.id);
    if (expectedVersion === null ? stored : stored?.version !== expectedVersion) {
      throw new ConflictError(`takedown ${next.id} changed meanwhile`);
    }
    takedowns.set(next.id, copy(next));
  }

  return {
    async create(next, entries) {
      if (cases.has(next.id)) throw new ConflictError(`case ${next.id} exists`);
      cases.set(next.id, copy(next));
      logs.set(next.id, copy(entries));
    },
    async get(id) {
      const found = cases.get(id);
      return found ? copy(found) : null;
    },
    async update(next, expectedVersion, entries, takedown) {
      if (cases.get(next.id)?.version !== expectedVersion) throw new ConflictError(`case ${next.id} changed`);
      if (takedown) {
        const stored = takedowns.get(takedown.next.id);
        const expected = takedown.expectedVersion;
        if (expected === null ? stored : stored?.version !== expected)
          throw new ConflictError("takedown changed");
      }
      cases.set(next.id, copy(next));
      logs.set(next.id, [...(logs.get(next.id) ?? []), ...copy(entries)]);
      if (takedown) takedowns.set(takedown.next.id, copy(takedown.next));
    },
    async queue(query) {
      const all = [...cases.values()]
        .filter(
          (c) =>
            c.agency === query.agency &&
            c.province === query.province &&
            c.state === query.state &&
            (!query.platform || c.item.platform.toLowerCase() === query.platform.toLowerCase()) &&
            (!query.rule || c.ruleIds.includes(query.rule)) &&
            (!query.openedFrom || c.openedAt >= query.openedFrom) &&
            (!query.openedTo || c.openedAt <= query.openedTo),
        )
        .sort((a, b) => `${a.priorityKey}#${a.id}`.localeCompare(`${b.priorityKey}#${b.id}`));
      const { items, next } = page(all.map(copy), query.limit, query.cursor);
      return next ? { cases: items, cursor: next } : { cases: items };
    },
    async log(caseId) {
      return copy(logs.get(caseId) ?? []);
    },
    async byParty(partyId, limit) {
      return [...cases.values()]
        .filter((c) => c.party?.partyId === partyId)
        .sort((a, b) => `${b.openedAt}#${b.id}`.localeCompare(`${a.openedAt}#${a.id}`))
        .slice(0, limit)
        .map(copy);
    },
    async getTakedown(id) {
      const found = takedowns.get(id);
      return found ? copy(found) : null;
    },
    async updateTakedown(next, expectedVersion) {
      writeTakedown(next, expectedVersion);
    },
    async takedownByTokenHash(tokenHash) {
      const found = [...takedowns.values()].find((t) => t.tokenHash === tokenHash);
      return found ? copy(found) : null;
    },
    async takedownsDue(at, limit) {
      return [...takedowns.values()]
        .filter((t) => t.nextCheckAt && t.nextCheckAt <= at)
        .sort((a, b) => `${a.nextCheckAt}#${a.id}`.localeCompare(`${b.nextCheckAt}#${b.id}`))
        .slice(0, limit)
        .map(copy);
    },
  };
}

export function createMemoryStaffRepository(): StaffRepository {
  const staff = new Map<string, StaffAccount>();
  return {
    async create(account) {
      // The e-mail is claimed as given (the staff service lower-cases it); a lookup lower-cases the query.
      if ([...staff.values()].some((s) => s.email === account.email)) {
        throw new ConflictError("E-mail already registered");
      }
      staff.set(account.id, copy(account));
    },
    async get(id) {
      const found = staff.get(id);
      return found ? copy(found) : null;
    },
    async findByEmail(email) {
      const found = [...staff.values()].find((s) => s.email === email.toLowerCase());
      return found ? copy(found) : null;
    },
    async listByScope(agency, province) {
      return [...staff.values()].filter((s) => s.agency === agency && s.province === province).map(copy);
    },
  };
}

/** Attempts per key in fixed windows, as the DynamoDB counter keeps them. */
export function createMemoryAttemptCounter(): AttemptCounter {
  const hits = new Map<string, number>();
  const bucket = (key: string, windowSeconds: number, now: Date) =>
    `${key}#${Math.floor(now.getTime() / (windowSeconds * 1000))}`;
  return {
    async hit(key, windowSeconds, now, by = 1) {
      const id = bucket(key, windowSeconds, now);
      hits.set(id, (hits.get(id) ?? 0) + by);
      return hits.get(id) as number;
    },
    async count(key, windowSeconds, now) {
      return hits.get(bucket(key, windowSeconds, now)) ?? 0;
    },
    async clear(key, windowSeconds, now) {
      hits.delete(bucket(key, windowSeconds, now));
    },
  };
}

/** Pending sign-ins by token hash; `take` removes what it returns, as the DynamoDB store does atomically. */
export function createMemoryPendingSignInStore(): PendingSignInStore & { size(): number } {
  const pending = new Map<string, PendingSignIn>();
  return {
    async put(record) {
      pending.set(record.tokenHash, { ...record });
    },
    async take(tokenHash) {
      const found = pending.get(tokenHash);
      pending.delete(tokenHash);
      return found ?? null;
    },
    size: () => pending.size,
  };
}

/** Documents by key, write-once like the S3 bucket with Object Lock (a second put of a key is refused). */
export function createMemoryDocumentStore(): DocumentStore & { keys(): string[] } {
  const files = new Map<string, { body: Uint8Array; contentType: string }>();
  return {
    async put(key, body, contentType) {
      if (files.has(key)) throw new ConflictError(`document ${key} exists`);
      files.set(key, { body: new Uint8Array(body), contentType });
    },
    async get(key) {
      const found = files.get(key);
      return found ? new Uint8Array(found.body) : null;
    },
    keys: () => [...files.keys()],
  };
}
