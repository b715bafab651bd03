import { randomUUID } from "node:crypto";
import {
  type CaseLogEntry,
  createTravelClock,
  type Decision,
  type Principal,
  type Reason,
  type TravelClock,
} from "@pledgewatch/core";
import { DEMO_PROVINCE, DEMO_STAFF } from "@pledgewatch/local";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestPlatform } from "../support/platform";

/**
 * Review metrics on DynamoDB Local: cases built through the real intake and review services, the
 * metrics read back over the API (the log index, no Scan), and compared with this test's own recount
 * of the log entries the services wrote. Then every metrics route refuses another agency's scope.
 */
let p: Awaited<ReturnType<typeof createTestPlatform>>;
let clock: TravelClock;
const HOUR = 3_600_000;
const start = new Date("2026-11-02T01:00:00Z");

function principal(role: "reviewer" | "lead" | "admin", agency: "CT" | "YT" = "CT"): Principal {
  const s = DEMO_STAFF.find((x) => x.role === role && (role === "admin" || x.agency === agency));
  if (!s) throw new Error("no demo staff");
  return {
    staffId: `metrics-${role}-${agency}`,
    email: s.email,
    name: s.name,
    agency: s.agency,
    province: s.province,
    role,
  };
}

const reason = (rule: string): Reason => ({
  rule,
  evidence: "hàng giả",
  legalBasis: "Nghị định 98/2020/NĐ-CP",
  field: "title",
  start: 0,
  end: 7,
  version: 1,
  agency: "CT",
  weight: 0.6,
  explanation: "Tin có từ lóng chỉ hàng giả",
});

async function openCase(rules: string[]): Promise<string> {
  const id = `i${randomUUID().replace(/-/g, "")}`;
  const evaluation: Decision = {
    id,
    flagged: true,
    score: 0.7,
    agency: "CT",
    reasons: rules.map(reason),
    ruleSetVersion: 1,
  };
  const result = await p.intake({
    item: {
      id,
      kind: "listing",
      platform: "shopee",
      title: "Giày hàng giả loại 1",
      url: `https://shopee.vn/p/${id}`,
    },
    evaluation,
    source: { kind: "seed" },
    province: DEMO_PROVINCE,
  });
  if (!result) throw new Error("not opened");
  return result.case.id;
}

const later = (hours: number) => clock.travelTo(new Date(clock.now().getTime() + hours * HOUR));

let caseIds: string[] = [];
/** A rule of the seeded rule set (the rules console lists those), in place of a made-up id. */
let fakeRule: string;
let periodTo: string;

beforeAll(async () => {
  clock = createTravelClock();
  clock.travelTo(start);
  p = await createTestPlatform({ clock });
  const reviewer = principal("reviewer");
  fakeRule = (await p.flagging.ruleSet(principal("admin"))).rules[0]?.id ?? "";
  const a = await openCase([fakeRule, "m.price"]);
  const b = await openCase([fakeRule]);
  const c = await openCase(["m.price"]);
  later(2);
  await p.review.claim(reviewer, a);
  later(3);
  await p.review.decide(reviewer, a, {
    kind: "confirm",
    violation: {
      type: "counterfeit",
      legalBasis: "Nghị định 98/2020/NĐ-CP",
      statement: "Bán giày giả thương hiệu",
    },
  });
  later(1);
  await p.review.claim(reviewer, b);
  await p.review.decide(reviewer, b, { kind: "dismiss", reason: "false_positive" });
  // c waits: 30 more hours, so it is in the 1–3 day band at the period's end.
  later(30);
  periodTo = clock.now().toISOString();
  caseIds = [a, b, c];
  await p.tasks.idle();
}, 120_000);

/** This test's own recount, from the log entries the services wrote (read per case, not through the index). */
async function recount() {
  const logs: CaseLogEntry[][] = await Promise.all(caseIds.map((id) => p.repositories.cases.log(id)));
  const firstReview = logs
    .map((log) => {
      const opened = log.find((e) => e.event.type === "opened");
      const reviewed = log.find((e) =>
        ["claimed", "assigned", "confirmed", "dismissed"].includes(e.event.type),
      );
      // One decimal, as the metrics give hours (the test clock moves on by milliseconds meanwhile).
      return opened && reviewed
        ? Math.round(((Date.parse(reviewed.at) - Date.parse(opened.at)) / HOUR) * 10) / 10
        : null;
    })
    .filter((h): h is number => h !== null)
    .sort((x, y) => x - y);
  const waiting = logs.filter((log) =>
    ["open", "assigned", "escalated", "awaiting_approval"].includes(log.at(-1)?.to ?? ""),
  );
  const perRule = new Map<string, { flagged: number; decided: number; confirmed: number }>();
  for (const log of logs) {
    const rules = log.flatMap((e) => (e.event.type === "opened" ? e.event.ruleIds : []));
    const decided = log.filter((e) => e.event.type === "confirmed" || e.event.type === "dismissed").at(-1);
    for (const rule of rules) {
      const r = perRule.get(rule) ?? { flagged: 0, decided: 0, confirmed: 0 };
      r.flagged++;
      if (decided) r.decided++;
      if (decided?.event.type === "confirmed") r.confirmed++;
      perRule.set(rule, r);
    }
  }
  const requested = logs.flat().filter((e) => e.event.type === "takedown_requested").length;
  return { opened: logs.length, firstReview, waiting: waiting.length, perRule, requested };
}

async function metricsAs(
  role: "reviewer" | "lead" | "admin",
  query: Record<string, string>,
  agency: "CT" | "YT" = "CT",
) {
  const cookie = await p.cookieFor(role, agency);
  const qs = new URLSearchParams({ from: start.toISOString(), to: periodTo, ...query });
  return p.app.request(`/api/v1/review/metrics?${qs}`, { headers: { Cookie: cookie } });
}

describe("review metrics", () => {
  it("equal a recount of the case log entries the services wrote", async () => {
    const res = await metricsAs("reviewer", {});
    expect(res.status).toBe(200);
    const m = (await res.json()) as {
      opened: number;
      timeToFirstReview: { count: number; medianHours: number; maxHours: number };
      queueAge: Record<string, number>;
      rules: { ruleId: string; flagged: number; decided: number; confirmed: number; share: number | null }[];
      takedowns: { requested: number };
    };
    const r = await recount();
    expect(m.opened).toBe(r.opened);
    expect(m.timeToFirstReview.count).toBe(r.firstReview.length);
    expect(m.timeToFirstReview.maxHours).toBe(r.firstReview.at(-1));
    expect(m.timeToFirstReview.medianHours).toBe(((r.firstReview[0] ?? 0) + (r.firstReview[1] ?? 0)) / 2);
    expect(m.queueAge).toEqual({ lt1d: 0, "1to3d": r.waiting, "3to7d": 0, gt7d: 0 });
    expect(m.rules).toEqual(
      [...r.perRule.entries()]
        .map(([ruleId, x]) => ({
          ruleId,
          ...x,
          share: x.decided ? Math.round((x.confirmed / x.decided) * 1000) / 1000 : null,
        }))
        .sort((x, y) => x.ruleId.localeCompare(y.ruleId)),
    );
    expect(m.takedowns.requested).toBe(r.requested);
    // The numbers themselves, so a recount that agreed with a wrong metric would still fail.
    expect(m.opened).toBe(3);
    expect(r.firstReview).toEqual([2, 6]);
    expect(m.rules.find((x) => x.ruleId === fakeRule)).toMatchObject({
      flagged: 2,
      decided: 2,
      confirmed: 1,
      share: 0.5,
    });
    expect(m.takedowns.requested).toBe(1);
  });

  it("shows the confirmed share next to each rule in the rules console", async () => {
    const cookie = await p.cookieFor("reviewer", "CT");
    // The console's window is the last 90 days of the (travelled) clock: the rule's two cases are in it.
    const html = await (await p.app.request("/console/rules", { headers: { Cookie: cookie } })).text();
    expect(html).toContain("Xác nhận (90 ngày)");
    const cell = new RegExp(`data-testid="rule-share-${fakeRule.replace(/[.]/g, "\\.")}">([^<]*)<`).exec(
      html,
    );
    expect(cell?.[1]).toBe("1/2 (50 %)");
  });

  it("are refused for another agency's or province's scope on every route, except to admins", async () => {
    expect((await metricsAs("reviewer", { agency: "YT" })).status).toBe(403);
    expect((await metricsAs("lead", { province: "01" })).status).toBe(403);
    const yt = await p.cookieFor("reviewer", "YT");
    const page = await p.app.request("/console/review/metrics?agency=CT", { headers: { Cookie: yt } });
    expect(page.status).toBe(403);
    // A YT reviewer's own metrics do not include CT's cases.
    const own = await metricsAs("reviewer", {}, "YT");
    expect(((await own.json()) as { opened: number }).opened).toBe(0);
    const ownPage = await p.app.request(`/console/review/metrics?from=2026-11-01&to=2026-11-05`, {
      headers: { Cookie: yt },
    });
    expect(ownPage.status).toBe(200);
    expect(await ownPage.text()).toContain("Sở Y tế");
    // Admins see any scope.
    const admin = await metricsAs("admin", { agency: "CT", province: DEMO_PROVINCE });
    expect(((await admin.json()) as { opened: number }).opened).toBe(3);
    expect((await metricsAs("admin", { agency: "XX" })).status).toBe(400);
  });
});
