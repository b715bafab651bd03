import { describe, expect, it } from "vitest";
import type { PendingSignInStore } from "../auth/challenges";
import type { AttemptCounter } from "../auth/sign-in";
import type { CoverageRepository } from "../coverage/ports";
import { ConflictError } from "../errors";
import type { Decision } from "../flagging/model";
import { TaxCodeSchema } from "../parties/identifiers";
import { newParty, PartyInputSchema } from "../parties/input";
import type { Party } from "../parties/model";
import type { PartyRepository, PartyWrite } from "../parties/ports";
import { verifyChain } from "../pledges/audit";
import type { Invitation } from "../pledges/model";
import type { SigningRepository } from "../pledges/ports";
import { createCaseIntake } from "../review/intake";
import type { CaseRepository } from "../review/ports";
import type { StaffRepository } from "../staff/staff";

/**
 * One contract per repository port: what every implementation must do, run against the in-memory one
 * (packages/core/src/testing/memory.test.ts, unit) and the DynamoDB adapter (test/integration/
 * contracts.test.ts). A behaviour the use cases rely on belongs here, so their unit tests on the fakes
 * mean what they say. Each `make` returns a fresh, empty store.
 */
const by = { staffId: "contract", name: "Hợp đồng" };
const at = new Date("2026-02-10T03:00:00Z");
let serial = 0;
const unique = () => `${Date.now().toString(36)}${(serial++).toString(36)}`;

/** Tax codes that pass the checksum, handed out once each (a shared table keeps what earlier tests wrote). */
let taxSeed = 100_000_000 + Math.floor(Math.random() * 800_000_000);
function nextTaxCode(): string {
  for (;;) {
    const candidate = `0${taxSeed++}`;
    if (TaxCodeSchema.safeParse(candidate).success) return candidate;
  }
}

function party(name: string, taxCode = nextTaxCode(), province = "37"): Party {
  return newParty(
    PartyInputSchema.parse({ name, group: "ecommerce_platform", provinces: [province], taxCode }),
    `p-${unique()}`,
    by,
    at,
  );
}
const created = (p: Party): PartyWrite => ({
  before: null,
  after: p,
  change: { partyId: p.id, at: at.toISOString(), by, action: "created", before: null, after: p },
});
const updated = (before: Party, after: Party): PartyWrite => ({
  before,
  after,
  // A minute after the creation: the history is ordered by time.
  change: {
    partyId: after.id,
    at: new Date(at.getTime() + 60_000).toISOString(),
    by,
    action: "updated",
    before,
    after,
  },
});

export function partyRepositoryContract(name: string, make: () => Promise<PartyRepository>) {
  describe(`PartyRepository contract: ${name}`, () => {
    it("stores a party and finds it by id and by identifier", async () => {
      const repo = await make();
      const tax = nextTaxCode();
      const p = party("Sàn Hợp Đồng", tax);
      await repo.write([created(p)]);
      expect((await repo.get(p.id))?.name).toBe("Sàn Hợp Đồng");
      expect(await repo.findIdByKey(`tax:${p.identifiers.taxCode}`)).toBe(p.id);
      expect((await repo.getMany([p.id, "absent"])).size).toBe(1);
    });

    it("refuses a stale write and an identifier held by another party, writing nothing of the batch", async () => {
      const repo = await make();
      const a = party("Sàn A");
      await repo.write([created(a)]);
      const renamed = { ...a, name: "Sàn A mới", version: 2 };
      await repo.write([updated(a, renamed)]);
      await expect(repo.write([updated(a, { ...a, name: "cũ", version: 2 })])).rejects.toBeInstanceOf(
        ConflictError,
      );
      const b = party("Sàn B", a.identifiers.taxCode);
      const c = party("Sàn C");
      await expect(repo.write([created(c), created(b)])).rejects.toBeInstanceOf(ConflictError);
      expect(await repo.get(c.id)).toBeNull();
      expect((await repo.get(a.id))?.name).toBe("Sàn A mới");
    });

    it("lists an agency's parties in a province page by page, and keeps each party's history newest first", async () => {
      const repo = await make();
      // A province of its own, so that what other tests wrote to a shared table is not listed.
      const province = ["01", "79", "48", "31"][Math.floor(Math.random() * 4)] as string;
      const parties = [0, 1, 2].map((i) => party(`Sàn Danh Sách ${i}`, nextTaxCode(), province));
      for (const p of parties) await repo.write([created(p)]);
      const first = await repo.list({ agency: "CT", province, limit: 2 });
      expect(first.items).toHaveLength(2);
      expect(first.next).toBeTruthy();
      const second = await repo.list({ agency: "CT", province, limit: 2, cursor: first.next });
      const seen = [...first.items, ...second.items].map((p) => p.id).sort();
      expect(seen).toEqual(parties.map((p) => p.id).sort());
      expect((await repo.list({ agency: "VHTT", province, limit: 10 })).items).toEqual([]);
      const p0 = parties[0] as Party;
      await repo.write([updated(p0, { ...p0, name: "Sàn Đổi Tên", version: 2 })]);
      expect((await repo.history(p0.id)).map((h) => h.action)).toEqual(["updated", "created"]);
    });
  });
}

function invitation(partyId: string, overrides: Partial<Invitation> = {}): Invitation {
  return {
    id: `inv-${unique()}`,
    partyId,
    partyName: "Sàn Hợp Đồng",
    agency: "CT",
    provinces: ["37"],
    family: "platform",
    quarter: "2026-Q1",
    email: "phapche@example.vn",
    tokenHash: `hash-${unique()}`,
    status: "active",
    createdAt: at.toISOString(),
    createdBy: by,
    expiresAt: "2026-03-12T03:00:00.000Z",
    sentCount: 1,
    lastSentAt: at.toISOString(),
    version: 1,
    ...overrides,
  };
}
const event = (type: "invitation_created" | "invitation_sent", invitationId: string) => ({
  at: at.toISOString(),
  type,
  actor: "staff:contract",
  invitationId,
  quarter: "2026-Q1",
});

export function signingRepositoryContract(name: string, make: () => Promise<SigningRepository>) {
  describe(`SigningRepository contract: ${name}`, () => {
    it("keeps one open invitation per party and quarter, found by its token's hash", async () => {
      const repo = await make();
      const partyId = `p-${unique()}`;
      const first = invitation(partyId);
      await repo.createInvitation(first, [event("invitation_created", first.id)]);
      await expect(repo.createInvitation(invitation(partyId), [])).rejects.toBeInstanceOf(ConflictError);
      expect((await repo.findInvitationByTokenHash(first.tokenHash))?.id).toBe(first.id);
      expect((await repo.invitationsOfParty(partyId)).map((i) => i.id)).toEqual([first.id]);
    });

    it("refuses a change made from a stale version", async () => {
      const repo = await make();
      const first = invitation(`p-${unique()}`);
      await repo.createInvitation(first, []);
      const resent = { ...first, sentCount: 2, version: 2 };
      await repo.updateInvitation(first, resent, []);
      await expect(repo.updateInvitation(first, { ...first, version: 2 }, [])).rejects.toBeInstanceOf(
        ConflictError,
      );
      expect((await repo.getInvitation(first.id))?.sentCount).toBe(2);
    });

    it("chains a party's audit events so the chain verifies", async () => {
      const repo = await make();
      const first = invitation(`p-${unique()}`);
      await repo.createInvitation(first, [event("invitation_created", first.id)]);
      await repo.appendAudit(first.partyId, [event("invitation_sent", first.id)]);
      const events = await repo.auditOf(first.partyId);
      expect(events.map((e) => [e.seq, e.type])).toEqual([
        [1, "invitation_created"],
        [2, "invitation_sent"],
      ]);
      expect(verifyChain(first.partyId, events)).toBeNull();
    });
  });
}

const decision = (id: string): Decision => ({
  id,
  flagged: true,
  score: 0.8,
  agency: "CT",
  ruleSetVersion: 1,
  reasons: [
    {
      rule: "contract-rule",
      evidence: "rep 1:1",
      legalBasis: "Nghị định 98/2020/NĐ-CP",
      field: "title",
      start: 0,
      end: 7,
      version: 1,
      agency: "CT",
      weight: 0.8,
      explanation: "Từ lóng chỉ hàng giả",
    },
  ],
});

export function caseRepositoryContract(name: string, make: () => Promise<CaseRepository>) {
  describe(`CaseRepository contract: ${name}`, () => {
    async function opened(repo: CaseRepository, n: number) {
      // The intake writes the case and its first log entry through the port under test.
      const intake = createCaseIntake({
        cases: repo,
        parties: { find: async () => null },
        clock: { now: () => at },
      });
      const id = `item-${unique()}-${n}`;
      const result = await intake({
        item: {
          id,
          kind: "listing",
          platform: "shopee",
          title: `rep 1:1 mẫu ${n}`,
          url: `https://shopee.vn/${id}`,
        },
        evaluation: decision(id),
        source: { kind: "seed" },
        province: "37",
      });
      if (!result) throw new Error("no case");
      return result.case;
    }

    it("writes a case once, with its log, and refuses a second creation", async () => {
      const repo = await make();
      const c = await opened(repo, 1);
      expect((await repo.get(c.id))?.state).toBe("open");
      expect((await repo.log(c.id)).length).toBeGreaterThan(0);
      await expect(repo.create(c, [])).rejects.toBeInstanceOf(ConflictError);
    });

    it("replaces a case only from the version it was read at", async () => {
      const repo = await make();
      const c = await opened(repo, 2);
      await repo.update({ ...c, state: "assigned", version: c.version + 1 }, c.version, []);
      await expect(
        repo.update({ ...c, state: "closed", version: c.version + 1 }, c.version, []),
      ).rejects.toBeInstanceOf(ConflictError);
      expect((await repo.get(c.id))?.state).toBe("assigned");
    });

    it("serves a queue by agency, province and state, highest priority first", async () => {
      const repo = await make();
      const a = await opened(repo, 3);
      const b = await opened(repo, 4);
      const urgent = { ...b, priorityKey: "2000-01-01T00:00:00.000Z", version: b.version + 1 };
      await repo.update(urgent, b.version, []);
      const queue = await repo.queue({ agency: "CT", province: "37", state: "open", limit: 10 });
      const mine = queue.cases.filter((c) => c.id === a.id || c.id === b.id).map((c) => c.id);
      expect(mine).toEqual([b.id, a.id]);
      expect((await repo.queue({ agency: "CT", province: "37", state: "closed", limit: 10 })).cases).toEqual(
        [],
      );
    });
  });
}

export function coverageRepositoryContract(name: string, make: () => Promise<CoverageRepository>) {
  describe(`CoverageRepository contract: ${name}`, () => {
    it("adds deltas to the live and the quarter's counters, and freezes a quarter once", async () => {
      const repo = await make();
      const cell = { agency: "CT" as const, family: "platform" as const, province: "37" };
      await repo.adjust("2026-Q1", [{ ...cell, obligated: 3, signed: 1 }]);
      await repo.adjust("2026-Q1", [{ ...cell, obligated: -1, signed: 1 }]);
      expect((await repo.liveCells()).find((c) => c.province === "37")?.obligated).toBe(2);
      expect((await repo.quarterCounters("2026-Q1")).cells.find((c) => c.province === "37")?.signed).toBe(2);
      expect(
        await repo.closeQuarter("2026-Q1", [{ ...cell, obligated: 2, signed: 0 }], at.toISOString()),
      ).toBe(true);
      expect(
        await repo.closeQuarter("2026-Q1", [{ ...cell, obligated: 9, signed: 0 }], at.toISOString()),
      ).toBe(false);
      const frozen = await repo.quarterCounters("2026-Q1");
      expect(frozen.closedAt).toBeTruthy();
      expect(frozen.cells.find((c) => c.province === "37")).toMatchObject({ obligated: 2, signed: 2 });
    });

    it("marks a thing done once", async () => {
      const repo = await make();
      const key = `rollover#${unique()}`;
      expect(await repo.markOnce(key, at.toISOString())).toBe(true);
      expect(await repo.markOnce(key, at.toISOString())).toBe(false);
      expect(await repo.markedAt(key)).toBe(at.toISOString());
    });
  });
}

export function staffRepositoryContract(name: string, make: () => Promise<StaffRepository>) {
  describe(`StaffRepository contract: ${name}`, () => {
    it("keeps one account per e-mail (the service stores it in lower case), found whatever its case", async () => {
      const repo = await make();
      const email = `nv-${unique()}@camket.example.vn`;
      const account = {
        id: `s-${unique()}`,
        email,
        name: "Nhân Viên",
        agency: "CT" as const,
        province: "37",
        role: "reviewer" as const,
        status: "active" as const,
        passwordHash: "scrypt$x",
        createdAt: at.toISOString(),
        updatedAt: at.toISOString(),
      };
      await repo.create(account);
      await expect(repo.create({ ...account, id: `s-${unique()}` })).rejects.toBeInstanceOf(ConflictError);
      expect((await repo.findByEmail(email.toUpperCase()))?.id).toBe(account.id);
      expect((await repo.listByScope("CT", "37")).map((s) => s.id)).toContain(account.id);
    });
  });
}

export function attemptCounterContract(name: string, make: () => Promise<AttemptCounter>) {
  describe(`AttemptCounter contract: ${name}`, () => {
    it("counts hits in a window and forgets them when cleared", async () => {
      const counter = await make();
      const key = `signin#${unique()}`;
      expect(await counter.hit(key, 900, at)).toBe(1);
      expect(await counter.hit(key, 900, at)).toBe(2);
      expect(await counter.count(key, 900, at)).toBe(2);
      expect(await counter.hit(key, 900, at, -1)).toBe(1);
      const burst = await Promise.all(Array.from({ length: 10 }, () => counter.hit(key, 900, at)));
      expect(burst.sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
      await counter.clear(key, 900, at);
      expect(await counter.count(key, 900, at)).toBe(0);
    });
  });
}

export function pendingSignInStoreContract(name: string, make: () => Promise<PendingSignInStore>) {
  describe(`PendingSignInStore contract: ${name}`, () => {
    const record = () => ({
      tokenHash: `h-${unique()}`,
      email: "lan.nguyen@soct.ninhbinh.gov.vn",
      kind: "totp" as const,
      sealed: "c2VhbGVk",
      wrongAnswers: 1,
      expiresAt: new Date(at.getTime() + 300_000).toISOString(),
    });

    it("gives a pending sign-in back once, then never again", async () => {
      const store = await make();
      const pending = record();
      await store.put(pending);
      expect(await store.take(pending.tokenHash)).toEqual(pending);
      expect(await store.take(pending.tokenHash)).toBeNull();
      expect(await store.take(`h-${unique()}`)).toBeNull();
    });

    it("gives one of two simultaneous takes the record, the other nothing", async () => {
      const store = await make();
      const pending = record();
      await store.put(pending);
      const both = await Promise.all([store.take(pending.tokenHash), store.take(pending.tokenHash)]);
      expect(both.filter(Boolean)).toEqual([pending]);
    });
  });
}
