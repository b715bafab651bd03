import {
  createDynamoAttemptCounter,
  createDynamoPartyRepository,
  createDynamoSessionStore,
  createDynamoStaffRepository,
} from "@pledgewatch/aws";
import { buildParty, ConflictError, type StaffAccount } from "@pledgewatch/core";
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

describe("party repository on DynamoDB Local", () => {
  it("lists a national party in each of its provinces, by group, in pages", async () => {
    const repo = createDynamoPartyRepository(tables.clients.doc, tables.tableName);
    const now = new Date("2026-01-05T00:00:00Z");
    await repo.create(
      buildParty({ name: "Sàn Ví Dụ", group: "ecommerce_platform", provinces: ["01", "37"] }, "p-nat", now),
    );
    for (let i = 0; i < 5; i++) {
      await repo.create(
        buildParty({ name: `Bác sĩ ${i}`, group: "doctor", provinces: ["37"] }, `p-doc-${i}`, now),
      );
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

  it("refuses to create the same party twice, and createIfAbsent reports it", async () => {
    const repo = createDynamoPartyRepository(tables.clients.doc, tables.tableName);
    const party = buildParty({ name: "Báo Mẫu", group: "press", provinces: ["37"] }, "p-dup", new Date());
    expect(await repo.createIfAbsent(party)).toBe(true);
    expect(await repo.createIfAbsent(party)).toBe(false);
    await expect(repo.create(party)).rejects.toBeInstanceOf(ConflictError);
    expect(
      (await repo.list({ agency: "VHTT", province: "37", group: "press", limit: 10 })).items,
    ).toHaveLength(1);
  });
});
