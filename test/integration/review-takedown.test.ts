import {
  addWorkingDays,
  ConflictError,
  createTravelClock,
  InvalidError,
  type Principal,
  REVIEW_TICK_TASK,
} from "@pledgewatch/core";
import { DEMO_STAFF, seedDemoPledges, stableId } from "@pledgewatch/local";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestPlatform } from "../support/platform";
import { flaggedCase } from "../support/review";

let p: Awaited<ReturnType<typeof createTestPlatform>>;
const clock = createTravelClock();

const staff = (role: "reviewer" | "lead"): Principal => {
  const s = DEMO_STAFF.find((x) => x.role === role && x.agency === "CT");
  if (!s) throw new Error("no staff");
  return { staffId: `t-${role}`, email: s.email, name: s.name, agency: "CT", province: "37", role };
};

const violation = {
  type: "counterfeit" as const,
  legalBasis: "Nghị định 98/2020/NĐ-CP, Điều 11",
  statement: "Rao bán giày giả nhãn hiệu Nike.",
};

/** The answer link of the newest takedown e-mail to `to`. */
async function tokenSentTo(to: string): Promise<string> {
  const mail = (await p.outbox.list(50)).find((m) => m.kind === "takedown_request" && m.to === to);
  const token = /\/takedown\/([A-Za-z0-9_-]+)/.exec(mail?.text ?? "")?.[1];
  if (!token) throw new Error(`no takedown mail to ${to}`);
  return token;
}

beforeAll(async () => {
  p = await createTestPlatform({ timeTravel: clock });
});

describe("takedown requests", () => {
  it("go to the party's contact with the legal basis, due in two working days, answered once on the token page", async () => {
    clock.travelTo(new Date("2026-12-04T08:00:00Z")); // Friday 15:00 in Hà Nội
    const partyId = stableId("party", "platform-3");
    const party = await p.repositories.parties.get(partyId);
    const contact = party?.contacts.find((c) => c.email)?.email ?? "";
    expect(contact).not.toBe("");
    const id = await flaggedCase(p, { partyId });
    const confirmed = await p.review.decide(staff("reviewer"), id, {
      kind: "confirm",
      violation,
      platformNote: "Vui lòng gỡ toàn bộ tin cùng loại.",
    });
    expect(confirmed.state).toBe("takedown");
    const detail = await p.review.get(staff("reviewer"), id);
    expect(detail.takedown).toMatchObject({
      state: "requested",
      contact: { email: contact },
      legalBasis: violation.legalBasis,
    });
    // The travel clock keeps running from where it was put: compare to the minute.
    expect(detail.takedown?.dueAt.slice(0, 16)).toBe(
      addWorkingDays(new Date("2026-12-04T08:00:00Z"), 2).toISOString().slice(0, 16),
    );
    expect(detail.takedown?.dueAt.slice(0, 16)).toBe("2026-12-08T08:00");
    expect(detail.takedown?.sentAt).toBeDefined();
    const mail = (await p.outbox.list(50)).find((m) => m.kind === "takedown_request" && m.to === contact);
    expect(mail?.text).toContain(violation.legalBasis);
    expect(mail?.text).toContain("Vui lòng gỡ toàn bộ tin cùng loại.");
    expect(mail?.text).toContain("08/12/2026 15:00");

    const token = await tokenSentTo(contact);
    expect((await p.takedowns.open(token)).state).toBe("open");
    await expect(p.takedowns.answer(token, { answer: "disputed" })).rejects.toBeInstanceOf(InvalidError);
    await p.takedowns.answer(token, { answer: "disputed", reason: "Sản phẩm là hàng chính hãng nhập khẩu." });
    await expect(p.takedowns.answer(token, { answer: "removed" })).rejects.toBeInstanceOf(ConflictError);
    expect((await p.takedowns.open(token)).state).toBe("answered");
    const page = await p.app.request(`/takedown/${token}`);
    expect(await page.text()).toContain("đã được trả lời");
    const log = await p.repositories.cases.log(id);
    expect(log.map((e) => e.event.type)).toEqual([
      "opened",
      "confirmed",
      "takedown_requested",
      "takedown_answered",
    ]);
    expect(log[3]).toMatchObject({
      by: { staffId: "platform:shopee" },
      event: { answer: "disputed", reason: "Sản phẩm là hàng chính hãng nhập khẩu." },
    });
    expect(log[2]?.platformNote).toBe("Vui lòng gỡ toàn bộ tin cùng loại.");

    // Past the due time: the tick asks for a re-capture; it cannot run here (no browser), so an hour later
    // there is still no proof of removal: the request is overdue and the case goes to a lead.
    clock.travelTo(new Date("2026-12-08T08:30:00Z"));
    await p.handleTask({ type: REVIEW_TICK_TASK, payload: {} });
    await p.tasks.idle();
    expect((await p.review.get(staff("lead"), id)).takedown?.recaptureJobId).toBeDefined();
    await p.handleTask({ type: REVIEW_TICK_TASK, payload: {} });
    expect((await p.review.get(staff("lead"), id)).case.state).toBe("takedown");
    clock.travelTo(new Date("2026-12-08T09:45:00Z"));
    await p.handleTask({ type: REVIEW_TICK_TASK, payload: {} });
    const after = await p.review.get(staff("lead"), id);
    expect(after.case.state).toBe("escalated");
    expect(after.takedown?.state).toBe("overdue");
    expect(after.log.at(-1)?.event).toMatchObject({ type: "takedown_overdue" });
    // A lead settles it.
    const closed = await p.review.close(staff("lead"), id, "Đã lập biên bản xử phạt");
    expect(closed.state).toBe("closed");
    clock.reset();
  });

  it("refuses an unknown or expired link", async () => {
    await expect(p.takedowns.open("x".repeat(43))).rejects.toThrow(/No such takedown/);
    const res = await p.app.request(`/takedown/${"y".repeat(43)}`);
    expect(res.status).toBe(404);
  });

  it("needs a second person to approve a pledged party's violation", async () => {
    const id = await flaggedCase(p);
    // A pledged party, as intake would record it (the pledge itself is not needed to test the rule).
    const current = await p.repositories.cases.get(id);
    if (!current) throw new Error("no case");
    await p.repositories.cases.update(
      {
        ...current,
        party: { partyId: "x", name: "Sàn X", pledge: { documentCode: "CK-X", quarter: "2026-Q4" } },
        version: 2,
      },
      1,
      [],
    );
    const lead = staff("lead");
    const proposed = await p.review.decide(lead, id, { kind: "confirm", violation });
    expect(proposed.state).toBe("awaiting_approval");
    await expect(p.review.approve(lead, id, { approve: true })).rejects.toThrow(/second person/);
    const other: Principal = { ...lead, staffId: "t-lead-2", name: "Lãnh đạo khác" };
    const rejected = await p.review.approve(other, id, { approve: false, reason: "Cần thêm chứng cứ" });
    expect(rejected).toMatchObject({ state: "assigned", assignee: { staffId: lead.staffId } });
    expect(rejected.proposal).toBeUndefined();
  });
});

describe("a confirmation whose follow-up fails", () => {
  let q: Awaited<ReturnType<typeof createTestPlatform>>;
  let mailDown = false;

  beforeAll(async () => {
    q = await createTestPlatform({
      wrapMailer: (outbox) => ({
        send: async (mail) => {
          if (mailDown && mail.kind === "takedown_request") throw new Error("SES is unavailable");
          return outbox.send(mail);
        },
      }),
    });
    // The demo's pledges of this quarter, through the real signing flow.
    await seedDemoPledges(q.signing, q.outbox);
    await q.tasks.idle();
  }, 180_000);

  it("stands; the pledge is marked breached and the hourly tick sends the takedown request once the mail works", async () => {
    const partyId = stableId("party", "press-0");
    const id = await flaggedCase(q, { partyId });
    const pledged = await q.repositories.cases.get(id);
    expect(pledged?.party?.pledge).toBeDefined();
    const documentCode = pledged?.party?.pledge?.documentCode ?? "";
    await q.review.decide(staff("reviewer"), id, { kind: "confirm", violation });
    mailDown = true;
    // The lead's approval is written although the e-mail cannot go out: the lead is not told it failed.
    const approved = await q.review.approve(staff("lead"), id, { approve: true });
    expect(approved.state).toBe("takedown");
    const unsent = (await q.review.get(staff("lead"), id)).takedown;
    expect(unsent?.sentAt).toBeUndefined();
    // The breach comes first, so it is recorded already.
    expect(unsent?.breach).toMatchObject({ documentCode, markedAt: expect.any(String) });
    expect((await q.repositories.signing.findPledgeByCode(documentCode))?.status).toBe("breached");
    // The tick tries again while the mail is down: counted as failed, nothing thrown.
    expect(await q.takedowns.tick()).toMatchObject({ failed: 1 });
    mailDown = false;
    expect(await q.takedowns.tick()).toMatchObject({ sent: 1 });
    const sent = (await q.review.get(staff("lead"), id)).takedown;
    expect(sent?.sentAt).toBeDefined();
    const mails = (await q.outbox.list(100)).filter((m) => m.kind === "takedown_request");
    expect(mails).toHaveLength(1);
    // The pledge's audit records the breach once.
    const pledge = await q.repositories.signing.findPledgeByCode(documentCode);
    expect(pledge?.status).toBe("breached");
    expect(pledge?.statusReason).toContain(id);
  });

  it("keeps a request whose pledge cannot be found from holding up the others", async () => {
    const broken = await flaggedCase(q);
    const current = await q.repositories.cases.get(broken);
    if (!current) throw new Error("no case");
    await q.repositories.cases.update(
      {
        ...current,
        party: {
          partyId: "x",
          name: "Sàn X",
          pledge: { documentCode: "CK-2026Q4-ZZZZZZZZ", quarter: "2026-Q4" },
        },
        version: 2,
      },
      1,
      [],
    );
    await q.review.decide(staff("reviewer"), broken, { kind: "confirm", violation });
    const lead2: Principal = { ...staff("lead"), staffId: "t-lead-3", name: "Lãnh đạo thứ hai" };
    expect((await q.review.approve(lead2, broken, { approve: true })).state).toBe("takedown");
    // A takedown the tick has to send (a party with a contact, no pledge), next to the broken one.
    const healthy = await flaggedCase(q, { partyId: stableId("party", "platform-3") });
    mailDown = true;
    await q.review.decide(staff("reviewer"), healthy, { kind: "confirm", violation });
    mailDown = false;
    const counts = await q.takedowns.tick();
    expect(counts).toMatchObject({ failed: 1, sent: 1 });
    expect((await q.review.get(staff("lead"), healthy)).takedown?.sentAt).toBeDefined();
    expect((await q.review.get(staff("lead"), broken)).takedown?.sentAt).toBeUndefined();
  });
});
