import { createDynamoPartyRepository, createDynamoStaffRepository } from "@pledgewatch/aws";
import { SIGNER_GROUPS } from "@pledgewatch/core";
import { DEMO_STAFF, demoParties, seedDemoData } from "@pledgewatch/local";
import { describe, expect, it } from "vitest";
import { createTestTables } from "../support/platform";

async function seedDeps() {
  const { clients, tableName } = await createTestTables();
  return {
    doc: clients.doc,
    tableName,
    staff: createDynamoStaffRepository(clients.doc, tableName),
    parties: createDynamoPartyRepository(clients.doc, tableName),
  };
}

describe("demo data", () => {
  it("loads staff for every agency and role and a few hundred parties in every group, once", async () => {
    const deps = await seedDeps();
    const first = await seedDemoData(deps);
    expect(first.staffCreated).toBe(DEMO_STAFF.length);
    // Every demo party is valid and distinct: none is lost to a validation error or an identifier clash.
    expect(first.partiesCreated).toBe(demoParties().length);
    expect(first.partiesCreated).toBeGreaterThanOrEqual(200);
    expect(new Set(DEMO_STAFF.map((s) => `${s.agency}/${s.role}`))).toEqual(
      new Set([
        ..."CT VHTT YT".split(" ").flatMap((a) => ["viewer", "reviewer", "lead"].map((r) => `${a}/${r}`)),
        "CT/admin",
      ]),
    );

    const groupsSeen = new Set<string>();
    for (const agency of ["CT", "VHTT", "YT"] as const) {
      const page = await deps.parties.list({ agency, province: "37", limit: 500 });
      for (const party of page.items) groupsSeen.add(party.group);
    }
    expect([...groupsSeen].sort()).toEqual([...SIGNER_GROUPS].sort());

    const second = await seedDemoData(deps);
    expect(second).toEqual({ staffCreated: 0, partiesCreated: 0, skipped: true });
  });

  it("completes an interrupted seed without duplicating what was already written", async () => {
    const deps = await seedDeps();
    // Simulate a run that stopped after writing one staff account (no completion marker).
    const [firstPerson] = DEMO_STAFF;
    if (!firstPerson) throw new Error("no demo staff");
    await deps.staff.create({
      id: "pre-existing",
      ...firstPerson,
      status: "active",
      passwordHash: "scrypt$x",
      createdAt: "2026-01-01T00:00:00.000Z",
      updatedAt: "2026-01-01T00:00:00.000Z",
    });
    const result = await seedDemoData(deps);
    expect(result.staffCreated).toBe(DEMO_STAFF.length - 1);
    expect(await deps.staff.listByScope(firstPerson.agency, firstPerson.province)).toHaveLength(
      DEMO_STAFF.filter((s) => s.agency === firstPerson.agency && s.province === firstPerson.province).length,
    );
  });
});
