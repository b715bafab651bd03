import {
  addWorkingDays,
  ConflictError,
  createTravelClock,
  InvalidError,
  type Principal,
  REVIEW_TICK_TASK,
} from "@pledgewatch/core";
import { DEMO_STAFF, stableId } from "@pledgewatch/local";
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
