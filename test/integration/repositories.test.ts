import {
  createDynamoAttemptCounter,
  createDynamoPartyRepository,
  createDynamoSessionStore,
  createDynamoSigningRepository,
  createDynamoStaffRepository,
} from "@pledgewatch/aws";
import {
  type AuditEventDraft,
  ConflictError,
  newParty,
  type Party,
  PartyInputSchema,
  type PartyWrite,
  type StaffAccount,
  verifyChain,
} from "@pledgewatch/core";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestTables } from "../support/platform";

let tables: Awaited<ReturnType<typeof createTestTables>>;
beforeAll(async () => {
  tables = await createTestTables();
});

const account = (id: string, email: string, province = "37"): StaffAccount => ({
  id,
  email,
  name: "Nguyễn Thị Mai",
  agency: "YT",
  province,
  role: "reviewer",
  status: "active",
  passwordHash: "scrypt$x",
  createdAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-01T00:00:00.000Z",
});

describe("staff repository on DynamoDB Local", () => {
  it("finds an account by id and by email, and lists it in its agency and province", async () => {
    const repo = createDynamoStaffRepository(tables.clients.doc, tables.tableName);
    await repo.create(account("s-1", "mai@example.vn"));
    expect((await repo.get("s-1"))?.email).toBe("mai@example.vn");
    expect((await repo.findByEmail("MAI@example.vn"))?.id).toBe("s-1");
    expect((await repo.listByScope("YT", "37")).map((a) => a.id)).toContain("s-1");
    expect(await repo.listByScope("YT", "01")).toEqual([]);
  });

  it("lets exactly one of 20 simultaneous creations with the same email succeed", async () => {
    const repo = createDynamoStaffRepository(tables.clients.doc, tables.tableName);
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => repo.create(account(`race-${i}`, "race@example.vn", "01"))),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(rejected.every((r) => r.reason instanceof ConflictError)).toBe(true);
    expect(await repo.listByScope("YT", "01")).toHaveLength(1);
  });
});

describe("session store and attempt counter on DynamoDB Local", () => {
  it("stores, reads and deletes a session with a TTL", async () => {
    const store = createDynamoSessionStore(tables.clients.doc, tables.tableName);
    const session = {
      tokenHash: "h1",
      principal: {
        staffId: "s-1",
        email: "mai@example.vn",
        name: "Mai",
        agency: "YT" as const,
        province: "37",
        role: "viewer" as const,
      },
      csrfToken: "c",
      createdAt: "2026-01-01T00:00:00.000Z",
      expiresAt: "2026-01-01T08:00:00.000Z",
    };
    await store.put(session);
    expect(await store.get("h1")).toEqual(session);
    await store.delete("h1");
    expect(await store.get("h1")).toBeNull();
  });

  it("counts concurrent attempts atomically within a window", async () => {
    const counter = createDynamoAttemptCounter(tables.clients.doc, tables.tableName);
    const now = new Date("2026-02-01T00:05:00Z");
    await Promise.all(Array.from({ length: 25 }, () => counter.hit("account:x", 900, now)));
    expect(await counter.count("account:x", 900, now)).toBe(25);
    expect(await counter.count("account:x", 900, new Date("2026-02-01T00:20:00Z"))).toBe(0);
    await counter.clear("account:x", 900, now);
    expect(await counter.count("account:x", 900, now)).toBe(0);
  });
});

const seeder = { staffId: "test", name: "Test" };
const at = new Date("2026-01-05T00:00:00Z");
function party(id: string, input: Record<string, unknown>): Party {
  return newParty(PartyInputSchema.parse(input), id, seeder, at);
}
const created = (p: Party): PartyWrite => ({
  before: null,
  after: p,
  change: { partyId: p.id, at: p.createdAt, by: seeder, action: "created", before: null, after: p },
});

describe("party repository on DynamoDB Local", () => {
  it("lists a national party in each of its provinces, by group, in pages", async () => {
    const repo = createDynamoPartyRepository(tables.clients.doc, tables.tableName);
    await repo.write([
      created(
        party("p-nat", {
          name: "Sàn Ví Dụ",
          group: "ecommerce_platform",
          provinces: ["01", "37"],
          taxCode: "0106773786",
        }),
      ),
    ]);
    for (let i = 0; i < 5; i++) {
      await repo.write([
        created(
          party(`p-doc-${i}`, {
            name: `Bác sĩ ${i}`,
            group: "doctor",
            provinces: ["37"],
            practisingCertificate: `00012${i}/NBI-CCHN`,
          }),
        ),
      ]);
    }
    const inHanoi = await repo.list({ agency: "CT", province: "01", limit: 10 });
    const inNinhBinh = await repo.list({ agency: "CT", province: "37", limit: 10 });
    expect(inHanoi.items.map((p) => p.id)).toEqual(["p-nat"]);
    expect(inNinhBinh.items.map((p) => p.id)).toEqual(["p-nat"]);

    const first = await repo.list({ agency: "YT", province: "37", group: "doctor", limit: 3 });
    expect(first.items).toHaveLength(3);
    expect(first.next).toBeDefined();
    const second = await repo.list({
      agency: "YT",
      province: "37",
      group: "doctor",
      limit: 3,
      cursor: first.next,
    });
    expect([...first.items, ...second.items].map((p) => p.id).sort()).toEqual(
      [0, 1, 2, 3, 4].map((i) => `p-doc-${i}`),
    );
  });

  it("finds parties by any word of the name, without case or diacritics, and by identifier", async () => {
    const repo = createDynamoPartyRepository(tables.clients.doc, tables.tableName);
    await repo.write([
      created(
        party("p-shopee", {
          name: "Công ty TNHH Shopee",
          group: "ecommerce_platform",
          provinces: ["37"],
          taxCode: "0303490096",
        }),
      ),
      created(
        party("p-an", {
          name: "Nguyễn Văn An",
          group: "kol",
          provinces: ["37"],
          profiles: ["tiktok.com/@nguyenvanan"],
        }),
      ),
    ]);
    const ids = async (text: string) =>
      (
        await repo.search({ agency: text === "shopee" ? "CT" : "VHTT", text, province: "37", limit: 10 })
      ).items.map((p) => p.id);
    expect(await ids("shopee")).toEqual(["p-shopee"]);
    expect(await ids("nguyen van a")).toEqual(["p-an"]);
    expect(await ids("van an")).toEqual(["p-an"]);
    expect(await ids("nguyen van b")).toEqual([]);
    expect(await repo.findIdByKey("tax:0303490096")).toBe("p-shopee");
    expect(await repo.findIdByKey("profile:https://tiktok.com/@nguyenvanan")).toBe("p-an");
  });

  it("keeps every search entry right when the entries carried by identifier claims move", async () => {
    const repo = createDynamoPartyRepository(tables.clients.doc, tables.tableName);
    const v1 = party("p-carry", {
      name: "Công ty TNHH Thương mại Điện tử Minh Phát",
      group: "ecommerce_platform",
      provinces: ["37"],
      taxCode: "0100109106",
    });
    await repo.write([created(v1)]);
    const found = async (text: string) =>
      (await repo.search({ agency: "CT", text, limit: 10 })).items.filter((p) => p.id === "p-carry").length;
    const entries = ["thuong mai dien tu minh phat", "minh phat", "phat"];
    // The first entry is on the party item, "minh phat" on the tax code's claim, "phat" an item of its own.
    expect(await Promise.all(entries.map(found))).toEqual([1, 1, 1]);
    expect(await found("cong ty tnhh")).toBe(0);

    const write = async (before: Party, after: Party) =>
      repo.write([
        {
          before,
          after,
          change: {
            partyId: after.id,
            at: `2026-04-0${after.version}T00:00:00.000Z`,
            by: seeder,
            action: "updated",
            before,
            after,
          },
        },
      ]);
    // A new tax code: the old claim goes, and its entry with it; the new claim carries it.
    const v2: Party = { ...v1, version: 2, identifiers: { ...v1.identifiers, taxCode: "0101248141" } };
    await write(v1, v2);
    expect(await repo.findIdByKey("tax:0100109106")).toBeNull();
    expect(await repo.findIdByKey("tax:0101248141")).toBe("p-carry");
    expect(await Promise.all(entries.map(found))).toEqual([1, 1, 1]);

    // A second identifier carries the next entry: no search item of its own is left.
    const v3: Party = { ...v2, version: 3, identifiers: { ...v2.identifiers, refCode: "CT-001" } };
    await write(v2, v3);
    expect(await Promise.all(entries.map(found))).toEqual([1, 1, 1]);

    // Renamed and back to one identifier: only the new name's entries remain.
    const v4: Party = {
      ...v3,
      version: 4,
      name: "Công ty Cổ phần Sao Mai Hà Nội",
      identifiers: { ...v3.identifiers, refCode: undefined },
    };
    await write(v3, v4);
    expect(await Promise.all(entries.map(found))).toEqual([0, 0, 0]);
    expect(await Promise.all(["sao mai ha noi", "mai ha noi", "ha noi", "noi"].map(found))).toEqual([
      1, 1, 1, 1,
    ]);
    const history = await repo.history("p-carry");
    expect(history.map((h) => h.after.version)).toEqual([4, 3, 2, 1]);
  });

  it("refuses a second party with a taken identifier, and a write from a stale version", async () => {
    const repo = createDynamoPartyRepository(tables.clients.doc, tables.tableName);
    const a = party("p-a", {
      name: "Báo Mẫu",
      group: "press",
      provinces: ["37"],
      pressLicence: "77/GP-BTTTT",
    });
    await repo.write([created(a)]);
    const b = party("p-b", {
      name: "Báo Khác",
      group: "press",
      provinces: ["37"],
      pressLicence: "77/GP-BTTTT",
    });
    await expect(repo.write([created(b)])).rejects.toBeInstanceOf(ConflictError);
    expect(await repo.get("p-b")).toBeNull();

    const renamed = { ...a, name: "Báo Mẫu Mới", version: 2 };
    const change = {
      partyId: a.id,
      at: "2026-02-01T00:00:00.000Z",
      by: seeder,
      action: "updated" as const,
      before: a,
      after: renamed,
    };
    await repo.write([{ before: a, after: renamed, change }]);
    await expect(
      repo.write([{ before: a, after: { ...renamed, name: "Lỗi" }, change }]),
    ).rejects.toBeInstanceOf(ConflictError);
    expect((await repo.get("p-a"))?.name).toBe("Báo Mẫu Mới");
    expect(
      (await repo.search({ agency: "VHTT", text: "bao mau moi", limit: 5 })).items.map((p) => p.id),
    ).toEqual(["p-a"]);
    expect((await repo.history("p-a")).map((h) => h.action)).toEqual(["updated", "created"]);
  });

  it("removes a party with its index entries and frees its identifiers", async () => {
    const repo = createDynamoPartyRepository(tables.clients.doc, tables.tableName);
    const p = party("p-gone", {
      name: "Tạm Thời",
      group: "advertiser",
      provinces: ["37"],
      taxCode: "0309532909",
    });
    await repo.write([created(p)]);
    await repo.remove(p);
    expect(await repo.get("p-gone")).toBeNull();
    expect(await repo.findIdByKey("tax:0309532909")).toBeNull();
    expect((await repo.search({ agency: "VHTT", text: "tam thoi", limit: 5 })).items).toEqual([]);
  });
});

describe("filtered pages", () => {
  it("page through a filtered search without skipping or repeating a match", async () => {
    const repo = createDynamoPartyRepository(tables.clients.doc, tables.tableName);
    // 30 matches in Ninh Bình interleaved with 60 non-matches elsewhere, all under the same search prefix.
    for (let i = 0; i < 90; i++) {
      const province = i % 3 === 0 ? "37" : "79";
      await repo.write([
        created(
          party(`p-page-${String(i).padStart(2, "0")}`, {
            name: `Trang Phân Trang ${String(i).padStart(2, "0")}`,
            group: "kol",
            provinces: [province],
            profiles: [`tiktok.com/@phantrang${i}`],
          }),
        ),
      ]);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const result = await repo.search({
        agency: "VHTT",
        text: "trang phan trang",
        province: "37",
        limit: 7,
        cursor,
      });
      seen.push(...result.items.map((p) => p.id));
      cursor = result.next;
      if (!cursor) break;
    }
    expect(seen).toEqual(Array.from({ length: 30 }, (_, k) => `p-page-${String(k * 3).padStart(2, "0")}`));
  });
});

describe("list entries as provinces change", () => {
  it("list a party exactly once in each of its provinces as it moves from one to two and back", async () => {
    const repo = createDynamoPartyRepository(tables.clients.doc, tables.tableName);
    const one = party("p-move", {
      name: "Sàn Di Chuyển",
      group: "ecommerce_platform",
      provinces: ["96"],
      taxCode: "0101243150",
    });
    await repo.write([created(one)]);
    const ids = async (province: string) =>
      (await repo.list({ agency: "CT", province, limit: 20 })).items.filter((p) => p.id === "p-move").length;
    expect([await ids("96"), await ids("92")]).toEqual([1, 0]);

    const two = { ...one, provinces: ["92", "96"], version: 2 };
    const change = (before: Party, after: Party) => ({
      before,
      after,
      change: {
        partyId: after.id,
        at: `2026-03-0${after.version}T00:00:00.000Z`,
        by: seeder,
        action: "updated" as const,
        before,
        after,
      },
    });
    await repo.write([change(one, two)]);
    expect([await ids("96"), await ids("92")]).toEqual([1, 1]);

    const back = { ...two, provinces: ["92"], name: "Sàn Đã Chuyển", version: 3 };
    await repo.write([change(two, back)]);
    expect([await ids("96"), await ids("92")]).toEqual([0, 1]);
    expect(
      (await repo.search({ agency: "CT", text: "san da chuyen", limit: 5 })).items.map((p) => p.id),
    ).toEqual(["p-move"]);
    expect((await repo.search({ agency: "CT", text: "san di chuyen", limit: 5 })).items).toEqual([]);
  });
});

describe("pledge audit chains on DynamoDB Local", () => {
  it("stays one unbroken chain when two processes append to the same stream in turn", async () => {
    // Each repository remembers the head it wrote last; the other process's appends make that stale.
    const a = createDynamoSigningRepository(tables.clients.doc, tables.tableName);
    const b = createDynamoSigningRepository(tables.clients.doc, tables.tableName);
    const stream = `party-${crypto.randomUUID()}`;
    const draft = (n: number): AuditEventDraft => ({
      at: new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(),
      type: "invitation_sent",
      actor: "staff:s-1",
      detail: `lần ${n}`,
    });
    await a.appendAudit(stream, [draft(1)]);
    await a.appendAudit(stream, [draft(2)]);
    await b.appendAudit(stream, [draft(3)]);
    await a.appendAudit(stream, [draft(4), draft(5)]);
    await b.appendAudit(stream, [draft(6)]);
    const events = await a.auditOf(stream);
    expect(events.map((e) => [e.seq, e.detail])).toEqual([1, 2, 3, 4, 5, 6].map((n) => [n, `lần ${n}`]));
    expect(verifyChain(stream, events)).toBeNull();
  });
});
