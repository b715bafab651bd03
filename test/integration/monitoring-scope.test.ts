import { InvalidError, type Principal } from "@pledgewatch/core";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestPlatform } from "../support/platform";

// A crawl target's party must be one the caller may see: a party id of another agency or province is
// refused as unknown, on creation, in an imported file and on a change.
let p: Awaited<ReturnType<typeof createTestPlatform>>;
const lead: Principal = {
  staffId: "ct-lead-37",
  email: "lead.ct@example.vn",
  name: "Lãnh đạo Công Thương",
  agency: "CT",
  province: "37",
  role: "lead",
};
let own: string;
let otherAgency: string;

beforeAll(async () => {
  p = await createTestPlatform();
  const first = async (agency: "CT" | "VHTT") => {
    const page = await p.repositories.parties.list({ agency, province: "37", limit: 1 });
    const id = page.items[0]?.id;
    if (!id) throw new Error(`no demo party of ${agency} in 37`);
    return id;
  };
  own = await first("CT");
  otherAgency = await first("VHTT");
});

const target = (n: number, partyId?: string) => ({
  url: `https://shopee.vn/shop-pham-vi-${n}`,
  kind: "shop" as const,
  schedule: "daily" as const,
  ...(partyId ? { partyId } : {}),
});

describe("a crawl target's party", () => {
  it("may be one of the caller's own parties, never another agency's", async () => {
    expect((await p.monitoring.createTarget(lead, target(1, own))).partyId).toBe(own);
    const refused = await p.monitoring.createTarget(lead, target(2, otherAgency)).catch((e) => e);
    expect(refused).toBeInstanceOf(InvalidError);
    expect((refused as InvalidError).issues[0]?.field).toBe("partyId");
    await expect(p.monitoring.createTarget(lead, target(3, "no-such-party"))).rejects.toBeInstanceOf(
      InvalidError,
    );
    const { items } = await p.monitoring.listTargets(lead);
    expect(items.map((t) => t.url)).not.toContain(target(2).url);
  });

  it("is checked on a change and in an imported file, where the row is named and nothing is written", async () => {
    const created = await p.monitoring.createTarget(lead, target(4));
    await expect(
      p.monitoring.updateTarget(lead, created.id, { partyId: otherAgency }),
    ).rejects.toBeInstanceOf(InvalidError);
    expect((await p.monitoring.getTarget(lead, created.id)).partyId).toBeUndefined();
    const result = await p.monitoring.importTargets(
      lead,
      ["url", "kind", "schedule", "party_id"],
      [
        { rowNumber: 2, cells: [target(5).url, "shop", "daily", own] },
        { rowNumber: 3, cells: [target(6).url, "shop", "daily", otherAgency] },
      ],
    );
    expect(result).toEqual({
      ok: false,
      errors: [
        { row: 3, column: "party_id", message: "Không tìm thấy đối tượng này trong danh sách của đơn vị" },
      ],
    });
    const { items } = await p.monitoring.listTargets(lead);
    expect(items.map((t) => t.url)).not.toContain(target(5).url);
  });
});
