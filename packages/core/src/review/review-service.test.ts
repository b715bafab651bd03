import { beforeEach, describe, expect, it } from "vitest";
import type { Principal, StaffRole } from "../auth/roles";
import { ConflictError, ForbiddenError, InvalidError, NotFoundError } from "../errors";
import type { Decision, FlagItem } from "../flagging/model";
import type { OutgoingEmail } from "../pledges/ports";
import { TEST_EMAILS } from "../testing/emails";
import { createMemoryCaseRepository, createMemoryStaffRepository } from "../testing/memory";
import { CaseConflictError } from "./conflict";
import { createCaseIntake } from "./intake";
import { createReviewService } from "./service";
import { createTakedownService } from "./takedown";

// The review transitions on the in-memory case repository: who may act on a case, in which state, and
// what one of two simultaneous decisions gets. What only DynamoDB can show (its transactions under real
// concurrency, the indexes) stays in test/integration/review-*.test.ts.

let now = new Date("2026-03-10T03:00:00Z");
const clock = { now: () => new Date(now) };
const person = (role: StaffRole, id: string, overrides: Partial<Principal> = {}): Principal => ({
  staffId: id,
  email: `${id}@camket.example.vn`,
  name: `Cán bộ ${id}`,
  agency: "CT",
  province: "37",
  role,
  ...overrides,
});
const reviewerA = person("reviewer", "rv-a");
const reviewerB = person("reviewer", "rv-b");
const lead = person("lead", "lead-1");
const violation = {
  type: "counterfeit" as const,
  legalBasis: "Nghị định 98/2020/NĐ-CP, Điều 11",
  statement: "Rao bán giày giả nhãn hiệu Nike.",
};

function flaggedItem(n: number): { item: FlagItem; evaluation: Decision } {
  const item: FlagItem = {
    id: `item-${n}`,
    kind: "listing",
    platform: "shopee",
    title: `Giày Nike rep 1:1 mẫu ${n}`,
    text: "Hàng rep 1:1, fake loại 1.",
    price: 350_000,
    seller: "Kho Giày Sỉ",
    category: "Giày dép",
    url: `https://shopee.vn/p/${n}`,
  };
  const evaluation: Decision = {
    id: item.id,
    flagged: true,
    score: 0.9,
    agency: "CT",
    ruleSetVersion: 1,
    reasons: [
      {
        rule: "counterfeit-slang",
        evidence: "rep 1:1",
        legalBasis: violation.legalBasis,
        field: "title",
        start: 9,
        end: 16,
        version: 1,
        agency: "CT",
        weight: 0.9,
        explanation: "Từ lóng chỉ hàng giả: rep 1:1",
      },
    ],
  };
  return { item, evaluation };
}

function setup() {
  const cases = createMemoryCaseRepository();
  const mail: OutgoingEmail[] = [];
  const breached: string[] = [];
  const intake = createCaseIntake({
    cases,
    // Items of seller "Shop Đã Ký" belong to a party whose pledge is current.
    parties: {
      find: async ({ seller }) =>
        seller === "Shop Đã Ký"
          ? {
              partyId: "p-1",
              name: "Shop Đã Ký",
              pledge: { documentCode: "CK-2026Q1-AAAAAAAA", quarter: "2026-Q1" },
            }
          : null,
    },
    clock,
  });
  let ids = 0;
  const takedowns = createTakedownService({
    cases,
    pledges: { markBreached: async (code) => void breached.push(code) },
    contacts: { find: async () => ({ name: "Pháp chế sàn", email: "phapche@san.example.vn" }) },
    recapture: { request: async () => "job-1", outcome: async () => null },
    mailer: { send: async (m) => void mail.push(m) },
    clock,
    newId: () => `td-${++ids}`,
    publicBaseUrl: "https://camket.example.vn",
    emails: TEST_EMAILS,
  });
  const review = createReviewService({
    cases,
    staff: createMemoryStaffRepository(),
    takedowns,
    evidence: { capture: async () => null, artefact: async () => null },
    clock,
  });
  async function open(n: number, seller?: string) {
    const { item, evaluation } = flaggedItem(n);
    const opened = await intake({
      item: seller ? { ...item, seller } : item,
      evaluation,
      source: { kind: "seed" },
      province: "37",
    });
    if (!opened) throw new Error("no case opened");
    return opened.case.id;
  }
  return { cases, review, mail, breached, open, intake };
}

let t: ReturnType<typeof setup>;
beforeEach(() => {
  now = new Date("2026-03-10T03:00:00Z");
  t = setup();
});

describe("review transitions on the in-memory repository", () => {
  it("opens a flagged item as an open case in its agency's and province's queue", async () => {
    const id = await t.open(1);
    const queue = await t.review.queue(reviewerA, { state: "open" });
    expect(queue.cases.map((c) => c.id)).toEqual([id]);
    expect(queue.cases[0]?.agency).toBe("CT");
    expect(
      (await t.review.queue(person("reviewer", "rv-yt", { agency: "YT" }), { state: "open" })).cases,
    ).toEqual([]);
  });

  it("lets one reviewer hold a claim until its lease runs out", async () => {
    const id = await t.open(2);
    const claimed = await t.review.claim(reviewerA, id);
    expect(claimed.state).toBe("assigned");
    expect(claimed.assignee?.staffId).toBe("rv-a");
    await expect(t.review.claim(reviewerB, id)).rejects.toBeInstanceOf(CaseConflictError);
    now = new Date(now.getTime() + 31 * 60_000);
    expect((await t.review.claim(reviewerB, id)).assignee?.staffId).toBe("rv-b");
  });

  it("closes a dismissed case, and refuses a second decision on it", async () => {
    const id = await t.open(3);
    const dismissed = await t.review.decide(reviewerA, id, { kind: "dismiss", reason: "false_positive" });
    expect(dismissed.state).toBe("closed");
    expect(dismissed.decision?.kind).toBe("dismissed");
    await expect(t.review.decide(reviewerB, id, { kind: "confirm", violation })).rejects.toBeInstanceOf(
      ConflictError,
    );
    const detail = await t.review.get(reviewerA, id);
    expect(detail.log.map((e) => e.event.type)).toContain("dismissed");
  });

  it("confirms an unpledged party's violation straight to a takedown request, e-mailed to the platform", async () => {
    const id = await t.open(4);
    const confirmed = await t.review.decide(reviewerA, id, { kind: "confirm", violation });
    expect(confirmed.state).toBe("takedown");
    expect(confirmed.takedownId).toBeTruthy();
    expect(t.mail.map((m) => m.to)).toEqual(["phapche@san.example.vn"]);
    expect(t.breached).toEqual([]);
  });

  it("sends a pledged party's confirmation to a second person, who alone may approve it", async () => {
    const id = await t.open(5, "Shop Đã Ký");
    const proposed = await t.review.decide(reviewerA, id, { kind: "confirm", violation });
    expect(proposed.state).toBe("awaiting_approval");
    expect(t.mail).toEqual([]);
    await expect(t.review.approve(reviewerA, id, { approve: true })).rejects.toBeInstanceOf(ForbiddenError);
    const proposer = { ...lead, staffId: "rv-a" };
    await expect(t.review.approve(proposer, id, { approve: true })).rejects.toBeInstanceOf(ForbiddenError);
    const approved = await t.review.approve(lead, id, { approve: true });
    expect(approved.state).toBe("takedown");
    expect(t.breached).toEqual(["CK-2026Q1-AAAAAAAA"]);
  });

  it("writes exactly one of two simultaneous decisions and tells the other who decided", async () => {
    const id = await t.open(6);
    const results = await Promise.allSettled([
      t.review.decide(reviewerA, id, { kind: "dismiss", reason: "false_positive" }),
      t.review.decide(reviewerB, id, { kind: "confirm", violation }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(CaseConflictError);
    expect(
      (await t.cases.log(id)).filter((e) => ["dismissed", "confirmed"].includes(e.event.type)),
    ).toHaveLength(1);
  });

  it("hides a case from staff of another province and refuses a viewer's decision", async () => {
    const id = await t.open(7);
    await expect(t.review.get(person("reviewer", "rv-hn", { province: "01" }), id)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(
      t.review.decide(person("viewer", "v-1"), id, { kind: "dismiss", reason: "false_positive" }),
    ).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("names the field of a malformed decision", async () => {
    const id = await t.open(8);
    const error = await t.review
      .decide(reviewerA, id, { kind: "confirm", violation: { type: "nonsense" } })
      .catch((e) => e);
    expect(error).toBeInstanceOf(InvalidError);
    expect((error as InvalidError).issues.map((i) => i.field)).toContain("violation.type");
  });

  it("keeps a staff submission out of another province's case, and never lets one replace a case's item", async () => {
    const id = await t.open(9);
    const { item, evaluation } = flaggedItem(9);
    const by = { staffId: "hn-1", name: "Cán bộ Hà Nội" };
    await expect(
      t.intake({
        item: { ...item, title: "thay thế" },
        evaluation,
        source: { kind: "evaluation", by },
        province: "01",
      }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    const same = { staffId: "nb-2", name: "Cán bộ Ninh Bình" };
    const merged = await t.intake({
      item: { ...item, title: "thay thế" },
      evaluation,
      source: { kind: "evaluation", by: same },
      province: "37",
    });
    expect(merged?.case.id).toBe(id);
    expect(merged?.case.item.title).toBe(item.title);
    expect(merged?.case.flags).toBe(2);
  });
});
