import { CaseConflictError, type FlagItem, type Principal } from "@pledgewatch/core";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestPlatform } from "../support/platform";

let p: Awaited<ReturnType<typeof createTestPlatform>>;

const item: FlagItem = {
  id: "it-race-1",
  kind: "listing",
  platform: "shopee",
  title: "Túi xách Louis Vuitton rep 1:1 like auth",
  text: "Hàng rep 1:1, fake loại 1, bao check.",
  price: 650000,
  seller: "Kho Sỉ 247",
  category: "Túi xách",
  url: "https://shopee.vn/p/race-1",
};

const reviewer = (n: number): Principal => ({
  staffId: `race-${n}`,
  email: `race${n}@example.vn`,
  name: `Cán bộ ${n}`,
  agency: "CT",
  province: "37",
  role: "reviewer",
});

beforeAll(async () => {
  p = await createTestPlatform({ seed: false });
});

describe("simultaneous decisions on one case (DynamoDB Local)", () => {
  it("leave exactly one decision and one log entry; the others are told who decided what", async () => {
    const evaluation = await p.flagging.evaluate(item);
    expect(evaluation.flagged).toBe(true);
    const opened = await p.intake({ item, evaluation, source: { kind: "seed" }, province: "37" });
    expect(opened?.created).toBe(true);
    expect(opened?.case.agency).toBe("CT");

    const reasons = ["false_positive", "insufficient_evidence", "already_handled"] as const;
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, (_, n) =>
        p.review.decide(reviewer(n), item.id, {
          kind: "dismiss",
          reason: reasons[n % 3],
          note: `quyết định của cán bộ ${n}`,
        }),
      ),
    );
    const won = outcomes.flatMap((o, n) => (o.status === "fulfilled" ? [n] : []));
    expect(won).toHaveLength(1);
    const winner = won[0] as number;

    const stored = await p.repositories.cases.get(item.id);
    expect(stored?.state).toBe("closed");
    expect(stored?.version).toBe(2);
    expect(stored?.decision).toMatchObject({ kind: "dismissed", reason: reasons[winner % 3] });
    expect(stored?.decision?.by.staffId).toBe(`race-${winner}`);

    const log = await p.repositories.cases.log(item.id);
    expect(log.map((e) => e.event.type)).toEqual(["opened", "dismissed"]);
    expect(log[1]?.by.staffId).toBe(`race-${winner}`);
    expect(log[1]?.note).toBe(`quyết định của cán bộ ${winner}`);

    for (const outcome of outcomes) {
      if (outcome.status === "fulfilled") continue;
      const error = outcome.reason as CaseConflictError;
      expect(error).toBeInstanceOf(CaseConflictError);
      expect(error.details).toMatchObject({
        caseId: item.id,
        state: "closed",
        action: "dismissed",
        by: { staffId: `race-${winner}`, name: `Cán bộ ${winner}` },
      });
    }
  });

  it("merges a repeated flag of the same item into its case, appending to the log", async () => {
    const other = { ...item, id: "it-race-2", url: "https://shopee.vn/p/race-2" };
    const evaluation = await p.flagging.evaluate(other);
    const results = await Promise.all(
      [0, 1, 2].map(() => p.intake({ item: other, evaluation, source: { kind: "capture" }, province: "37" })),
    );
    expect(results.filter((r) => r?.created)).toHaveLength(1);
    const stored = await p.repositories.cases.get(other.id);
    expect(stored?.flags).toBe(3);
    const log = await p.repositories.cases.log(other.id);
    expect(log.map((e) => e.event.type)).toEqual(["opened", "merged", "merged"]);
    const tip = await p.intake({
      item: other,
      evaluation,
      source: { kind: "tip", tipId: "tip-1" },
      province: "37",
    });
    expect(tip?.created).toBe(false);
    expect(tip?.case.tips).toBe(1);
    const last = (await p.repositories.cases.log(other.id)).at(-1);
    expect(last?.event).toMatchObject({ type: "merged", source: { kind: "tip", tipId: "tip-1" } });
  });
});
