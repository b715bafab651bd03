import {
  type AuditEvent,
  addDays,
  type Clock,
  cellDrift,
  ForbiddenError,
  hashPassword,
  type Party,
  type Principal,
  quarterId,
  vietnamDate,
} from "@pledgewatch/core";
import { beforeAll, describe, expect, it } from "vitest";
import { freshTaxCode } from "../support/fixtures";
import { createTestPlatform } from "../support/platform";
import { PLATFORM_SIGN_FORM, verifySigner } from "../support/signing";

/**
 * One province (Hà Nội, with its own settings) and a neighbour (TP. Hồ Chí Minh, defaults) driven day by
 * day through three quarters of 2026 with a moved clock. Every day the scheduler's tick runs with the
 * tasks it fans out; after every day the counters must equal a recount from the registry and pledges.
 */
const clock = {
  at: new Date("2025-12-20T02:00:00Z"),
  now() {
    return new Date(this.at);
  },
} satisfies Clock & { at: Date };
/** 01:00 in Vietnam on a date: before the nightly reconciliation hour, so the test runs its own checks. */
const setDay = (date: string) => {
  clock.at = new Date(`${addDays(date, -1)}T18:00:00Z`);
};

const HN = "01";
const HCM = "79";
const meta = { ip: "203.0.113.40", userAgent: "vitest renewal" };

let platform: Awaited<ReturnType<typeof createTestPlatform>>;
const staff = {} as Record<"admin" | "ctLead" | "vhttLead" | "ctReviewer" | "vhttReviewer", Principal>;
const parties = {} as Record<"p1" | "p2" | "p3" | "p4" | "p5" | "p6", Party>;

async function account(
  key: keyof typeof staff,
  role: Principal["role"],
  agency: Principal["agency"],
  province: string,
) {
  const id = `renewal-${key}`;
  const email = `${key.toLowerCase()}@renewal.test`;
  await platform.repositories.staff.create({
    id,
    email,
    name: `Cán bộ ${key}`,
    role,
    agency,
    province,
    status: "active",
    passwordHash: await hashPassword("Renewal-Test-2026"),
    createdAt: clock.now().toISOString(),
    updatedAt: clock.now().toISOString(),
  });
  staff[key] = { staffId: id, email, name: `Cán bộ ${key}`, role, agency, province };
}

const contact = (n: string) => [{ name: `Liên hệ ${n}`, email: `${n}@renewal.test` }];

async function sign(party: Party) {
  const email = party.contacts[0]?.email ?? "";
  const { token, key } = await verifySigner(platform, email, meta);
  const form = party.family === "platform" ? PLATFORM_SIGN_FORM : { ...PLATFORM_SIGN_FORM, declarations: {} };
  return platform.signing.sign(token, key, form, meta);
}

async function fresh(party: Party) {
  const current = await platform.repositories.parties.get(party.id);
  if (!current) throw new Error("party gone");
  return current;
}

/** The day's scripted events, run after the tick. */
const EVENTS: Record<string, () => Promise<void>> = {
  "2026-01-05": async () => void (await sign(parties.p1)),
  "2026-01-08": async () => void (await sign(parties.p4)),
  "2026-01-12": async () => {
    const pledge = await platform.repositories.signing.getPledge(parties.p4.id, "2026-Q1");
    await platform.signing.revokePledge(staff.vhttLead, pledge?.documentCode ?? "", "Ký nhầm người đại diện");
  },
  "2026-01-25": async () => void (await sign(parties.p2)),
  "2026-04-10": async () => {
    const p3 = await fresh(parties.p3);
    await platform.deps.parties.cease(staff.vhttReviewer, p3.id, {
      version: p3.version,
      reason: "Ngừng hoạt động",
    });
  },
  "2026-04-15": async () => void (await sign(parties.p1)),
  "2026-05-10": async () => {
    parties.p6 = await platform.deps.parties.create(staff.vhttReviewer, {
      name: "Lê Thị Mai Anh",
      group: "artist",
      provinces: [HN],
      refCode: "NS-HN-0006",
      contacts: contact("p6"),
    } as never);
  },
  "2026-07-02": async () => void (await sign(parties.p2)),
};

const counted = new Map<string, number>();
const digests: { date: string; to: string; text: string }[] = [];
const seenMail = new Set<string>();

async function collectMail(date: string) {
  for (const m of await platform.outbox.list(1000)) {
    if (seenMail.has(m.id)) continue;
    seenMail.add(m.id);
    if (m.kind === "overdue_digest") digests.push({ date, to: m.to, text: m.text });
    if (m.kind === "invitation" && !m.subject.startsWith("[Gửi lại]") && m.partyId) {
      const key = `${m.partyId}#${quarterId(clock.now())}`;
      counted.set(key, (counted.get(key) ?? 0) + 1);
    }
  }
}

async function expectCountersEqualRecount() {
  const quarter = quarterId(clock.now());
  const view = await platform.coverage.read(staff.admin, quarter);
  const recount = await platform.coverage.recount(quarter, [HN, HCM]);
  const mine = view.cells.filter((c) => c.province === HN || c.province === HCM);
  expect(cellDrift(recount.cells, mine), `${vietnamDate(clock.now())}: counters vs recount`).toEqual([]);
  // Nothing is counted anywhere else.
  expect(view.cells.filter((c) => !mine.includes(c) && (c.obligated !== 0 || c.signed !== 0))).toEqual([]);
  return view;
}

beforeAll(async () => {
  platform = await createTestPlatform({ clock, seed: false });
  await account("admin", "admin", "CT", HN);
  await account("ctLead", "lead", "CT", HN);
  await account("vhttLead", "lead", "VHTT", HN);
  await account("ctReviewer", "reviewer", "CT", HN);
  await account("vhttReviewer", "reviewer", "VHTT", HN);
  await platform.renewal.updateSettings(staff.ctLead, HN, {
    cycle: "quarterly",
    dueDay: 30,
    reminderOffsets: [3, 10],
    graceDays: 20,
  });
  const create = (actor: Principal, input: Record<string, unknown>) =>
    platform.deps.parties.create(actor, input as never);
  parties.p1 = await create(staff.admin, {
    name: "Công ty TNHH Sàn Thử Nghiệm Toàn Quốc",
    group: "ecommerce_platform",
    provinces: [HN, HCM],
    taxCode: freshTaxCode(51),
    contacts: contact("p1"),
  });
  parties.p2 = await create(staff.ctReviewer, {
    name: "Công ty TNHH Chợ Phố Cổ",
    group: "ecommerce_platform",
    provinces: [HN],
    taxCode: freshTaxCode(52),
    contacts: contact("p2"),
  });
  parties.p3 = await create(staff.vhttReviewer, {
    name: "Nguyễn Văn Ca Sĩ",
    group: "artist",
    provinces: [HN],
    refCode: "NS-HN-0003",
    contacts: contact("p3"),
  });
  parties.p4 = await create(staff.vhttReviewer, {
    name: "Trần Thị Diễn Viên",
    group: "artist",
    provinces: [HN],
    refCode: "NS-HN-0004",
    contacts: contact("p4"),
  });
  parties.p5 = await create(staff.admin, {
    name: "Công ty Cổ phần Mạng Xã Hội Phương Nam",
    group: "social_network",
    provinces: [HCM],
    taxCode: freshTaxCode(55),
    contacts: contact("p5"),
  });
  await platform.tasks.idle();
  await collectMail("2025-12-20");
}, 60_000);

describe("a province's renewal settings", () => {
  it("are set by Sở Công Thương's leads (the standing office) and admins, not by another agency's lead", async () => {
    const settings = { cycle: "quarterly", dueDay: 30, reminderOffsets: [3, 10], graceDays: 20 };
    await expect(platform.renewal.updateSettings(staff.vhttLead, HN, settings)).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await expect(platform.renewal.updateSettings(staff.ctReviewer, HN, settings)).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    expect((await platform.renewal.updateSettings(staff.admin, HN, settings)).updatedBy.staffId).toBe(
      staff.admin.staffId,
    );
    expect((await platform.renewal.getSettings(staff.vhttLead, HN)).dueDay).toBe(30);
  });
});

describe("the renewal cycle through three quarters", () => {
  it("invites once per quarter, reminds on the configured days, escalates the overdue, and keeps the counters equal to a recount", async () => {
    // Registered in Q4 2025 before the cycle ever ran: nothing automatic yet.
    expect([...counted.keys()]).toEqual([]);

    const checkpoints: Record<string, Awaited<ReturnType<typeof expectCountersEqualRecount>>> = {};
    for (let day = "2026-01-01"; day <= "2026-09-30"; day = addDays(day, 1)) {
      setDay(day);
      await platform.handleTask({ type: "renewal.tick", payload: {} });
      await platform.tasks.idle();
      if (day === "2026-04-01") {
        // The scheduler firing twice, and the rollover run again by hand: nothing is sent twice.
        await platform.handleTask({ type: "renewal.tick", payload: {} });
        await platform.renewal.rollover("2026-Q2");
        await platform.tasks.idle();
      }
      await EVENTS[day]?.();
      await platform.tasks.idle();
      await collectMail(day);
      checkpoints[day] = await expectCountersEqualRecount();
    }
    expect(platform.tasks.deadLetters).toEqual([]);

    // Invitations: exactly one per party and quarter while it is active.
    const expectedQuarters: Record<keyof typeof parties, string[]> = {
      p1: ["2026-Q1", "2026-Q2", "2026-Q3"],
      p2: ["2026-Q1", "2026-Q2", "2026-Q3"],
      p3: ["2026-Q1", "2026-Q2"],
      p4: ["2026-Q1", "2026-Q2", "2026-Q3"],
      p5: ["2026-Q1", "2026-Q2", "2026-Q3"],
      // Registered on 10 May, after the rollover: invited that same day.
      p6: ["2026-Q2", "2026-Q3"],
    };
    for (const [key, quarters] of Object.entries(expectedQuarters) as [keyof typeof parties, string[]][]) {
      const invitations = await platform.repositories.signing.invitationsOfParty(parties[key].id);
      expect(invitations.map((i) => i.quarter).sort(), key).toEqual(quarters);
      for (const q of quarters) expect(counted.get(`${parties[key].id}#${q}`), `${key} ${q}`).toBe(1);
    }

    const p6Q2 = (await platform.repositories.signing.invitationsOfParty(parties.p6.id)).find(
      (i) => i.quarter === "2026-Q2",
    );
    expect(vietnamDate(new Date(p6Q2?.createdAt ?? ""))).toBe("2026-05-10");

    // Reminders: on the configured days before each party's due date, only while unsigned.
    const reminders = async (party: Party) =>
      (await platform.repositories.signing.auditOf(party.id))
        .filter((e: AuditEvent) => e.type === "invitation_resent" && e.actor === "staff:system")
        .map((e) => vietnamDate(new Date(e.at)));
    expect(await reminders(parties.p1)).toEqual(["2026-07-20", "2026-07-27"]);
    expect(await reminders(parties.p2)).toEqual(["2026-01-20", "2026-04-20", "2026-04-27"]);
    expect(await reminders(parties.p3)).toEqual(["2026-01-20", "2026-01-27"]);
    expect(await reminders(parties.p4)).toEqual(["2026-04-20", "2026-04-27", "2026-07-20", "2026-07-27"]);
    // TP. Hồ Chí Minh keeps the defaults: due on day 45, reminded 14, 7 and 1 days before.
    expect(await reminders(parties.p5)).toEqual([
      "2026-01-31",
      "2026-02-07",
      "2026-02-13",
      "2026-05-01",
      "2026-05-08",
      "2026-05-14",
      "2026-07-31",
      "2026-08-07",
      "2026-08-13",
    ]);
    // Registered mid-quarter (10 May): due 20 days later (30 May), not on 30 April.
    expect(await reminders(parties.p6)).toEqual(["2026-05-20", "2026-05-27", "2026-07-20", "2026-07-27"]);

    // Escalations: a digest to the owning agency's lead on the first overdue day, then weekly.
    const vhttQ1 = digests.filter((d) => d.to === staff.vhttLead.email && d.date < "2026-04-01");
    expect(vhttQ1.map((d) => d.date)).toEqual([
      "2026-01-31",
      "2026-02-07",
      "2026-02-14",
      "2026-02-21",
      "2026-02-28",
      "2026-03-07",
      "2026-03-14",
      "2026-03-21",
      "2026-03-28",
    ]);
    expect(vhttQ1[0]?.text).toContain(parties.p3.name);
    expect(vhttQ1[0]?.text).toContain(parties.p4.name);
    // CT in Hà Nội had everyone signed in Q1; in Q2 Chợ Phố Cổ was overdue from 1 May.
    const ct = digests.filter((d) => d.to === staff.ctLead.email);
    expect(ct.some((d) => d.date < "2026-04-01")).toBe(false);
    expect(ct[0]?.date).toBe("2026-05-01");
    expect(ct[0]?.text).toContain(parties.p2.name);
    expect(ct[0]?.text).not.toContain(parties.p1.name);

    // Coverage at chosen days, read from the counters.
    const hn = (view: (typeof checkpoints)[string], agency: string) =>
      view.cells
        .filter((c) => c.province === HN && c.agency === agency)
        .reduce((sum, c) => ({ obligated: sum.obligated + c.obligated, signed: sum.signed + c.signed }), {
          obligated: 0,
          signed: 0,
        });
    expect(hn(checkpoints["2026-01-10"] ?? ({} as never), "CT")).toEqual({ obligated: 2, signed: 1 });
    expect(hn(checkpoints["2026-01-10"] ?? ({} as never), "VHTT")).toEqual({ obligated: 2, signed: 1 });
    expect(hn(checkpoints["2026-01-12"] ?? ({} as never), "VHTT")).toEqual({ obligated: 2, signed: 0 });
    expect(hn(checkpoints["2026-01-31"] ?? ({} as never), "CT")).toEqual({ obligated: 2, signed: 2 });
    expect(hn(checkpoints["2026-04-10"] ?? ({} as never), "VHTT")).toEqual({ obligated: 1, signed: 0 });
    expect(hn(checkpoints["2026-05-10"] ?? ({} as never), "VHTT")).toEqual({ obligated: 2, signed: 0 });
    // The national platform signed once and counts in both provinces.
    const q1 = checkpoints["2026-03-31"];
    expect(q1?.byProvince.find((r) => r.province === HCM)).toMatchObject({ obligated: 2, signed: 1 });

    // Closed quarters keep their frozen figures, and each got its automatic report.
    const frozen = await platform.coverage.read(staff.admin, "2026-Q1");
    expect(frozen.frozen).toBe(true);
    expect(frozen.total).toMatchObject({ obligated: 6, signed: 3 });
    const reports = await platform.coverage.listReports(staff.admin);
    expect(
      reports
        .filter((r) => r.automatic)
        .map((r) => [r.quarter, r.status])
        .sort(),
    ).toEqual([
      ["2025-Q4", "done"],
      ["2026-Q1", "done"],
      ["2026-Q2", "done"],
    ]);
  }, 600_000);

  it("the nightly reconciliation finds no drift, and repairs and records one", async () => {
    const minuteLater = () => {
      clock.at = new Date(clock.at.getTime() + 60_000);
    };
    const clean = await platform.coverage.reconcile();
    minuteLater();
    expect(clean.drift).toEqual([]);
    expect(clean.parties).toBe(6);
    const quarter = quarterId(clock.now());
    // Drift made on purpose: a counter written behind the registry's back.
    await platform.repositories.coverage.adjust(quarter, [
      { agency: "CT", family: "platform", province: HN, obligated: 3, signed: -1 },
    ]);
    const found = await platform.coverage.reconcile();
    minuteLater();
    expect(found.repaired).toBe(true);
    expect(found.drift).toEqual([
      expect.objectContaining({
        agency: "CT",
        family: "platform",
        province: HN,
        obligated: 2,
        actualObligated: 5,
      }),
    ]);
    expect((await platform.coverage.reconcile()).drift).toEqual([]);
    const records = await platform.coverage.reconciliations(staff.admin);
    expect(records.map((r) => r.drift.length)).toEqual([0, 1, 0]);
  }, 120_000);
});
