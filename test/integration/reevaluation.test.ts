import { randomUUID } from "node:crypto";
import {
  createTravelClock,
  type FlagItem,
  type Principal,
  type Rule,
  type TravelClock,
} from "@pledgewatch/core";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestPlatform } from "../support/platform";
import { stubRenderer } from "../support/renderer";

/**
 * Re-evaluation (issue 23, item 3) on DynamoDB Local through the real services: a rule edit re-evaluates
 * the items seen in the last 30 days in the background, with its progress; a newly flagged item opens a
 * case; a case whose item is no longer flagged is marked for reviewers, never closed; an item seen again
 * with other content is evaluated again.
 */
const DAY = 86_400_000;
const page = { text: "Nồi cơm điện Sunhouse 1.8L, bảo hành chính hãng 12 tháng." };
const ITEM_URL = `https://cho.example.vn/san-pham/${randomUUID()}`;
const renderer = stubRenderer(() => ({
  text: page.text,
  items: [
    { kind: "listing", title: "Nồi cơm điện Sunhouse", text: page.text, url: ITEM_URL, source: "json-ld" },
  ],
}));

let p: Awaited<ReturnType<typeof createTestPlatform>>;
let clock: TravelClock;
const lead: Principal = {
  staffId: "reeval-lead",
  email: "lead.reeval@example.vn",
  name: "Lãnh đạo CT",
  agency: "CT",
  province: "37",
  role: "lead",
};
const admin: Principal = { ...lead, staffId: "reeval-admin", role: "admin" };

beforeAll(async () => {
  clock = createTravelClock();
  p = await createTestPlatform({ clock, monitoring: { renderer } });
}, 120_000);

const item = (id: string, text: string): FlagItem => ({
  id,
  kind: "listing",
  platform: "shopee",
  title: "Bình giữ nhiệt",
  text,
  price: 250_000,
  url: `https://shopee.vn/p/${id}`,
});

async function rule(id: string): Promise<Rule> {
  return (await p.flagging.getRule(lead, id)).rule;
}

describe("an item seen again with other content", () => {
  it("is evaluated again, and its new text flagged", async () => {
    const url = `https://cho.example.vn/shop/${randomUUID()}`;
    await p.monitoring.requestCapture(admin, url);
    await p.tasks.idle();
    const [first] = await p.repositories.evaluations
      .latest({ limit: 20 })
      .then((all) => all.filter((r) => r.item.url === ITEM_URL));
    expect(first?.decision.flagged).toBe(false);

    page.text = "Nồi cơm điện hàng fake loại 1, giá sỉ.";
    // The host's politeness interval (1 s) before the same site is fetched again.
    await new Promise((r) => setTimeout(r, 1_100));
    await p.monitoring.requestCapture(admin, url);
    await p.tasks.idle();
    expect(p.tasks.deadLetters).toEqual([]);
    const again = await p.repositories.evaluations.get(String(first?.item.id));
    expect(again?.item.text).toContain("hàng fake");
    expect(again?.decision.flagged).toBe(true);
    expect(await p.repositories.cases.get(String(first?.item.id))).toMatchObject({ state: "open" });
  });
});

describe("a rule edit", () => {
  it("re-evaluates the last 30 days in the background: opens a case for a new flag, marks (never closes) a case no longer flagged", async () => {
    const tag = randomUUID().slice(0, 8);
    const newPhrase = `giữ nhiệt siêu bền ${tag}`;
    // Seen 40 days ago: outside the window, left as it was.
    const now = clock.now();
    clock.travelTo(new Date(now.getTime() - 40 * DAY));
    const old = item(`old-${tag}`, `Bình ${newPhrase}, hàng Việt Nam.`);
    await p.flagging.evaluateItem(old, { source: "capture", context: { province: "37" } });
    clock.travelTo(now);
    const clean = item(`clean-${tag}`, `Bình ${newPhrase}, dung tích 500ml.`);
    const flagged = item(`flagged-${tag}`, "Bình giữ nhiệt hàng fake loại 1, bao check.");
    // Submitted by a staff member through the API: a case the re-evaluation opens is theirs.
    const submitted = item(`submitted-${tag}`, `Bình ${newPhrase}, màu xanh.`);
    const submitter = { staffId: "reeval-reviewer", name: "Cán bộ gửi tin" };
    await p.flagging.evaluateItem(submitted, {
      source: "evaluation",
      context: { province: "37", by: submitter },
    });
    await p.flagging.evaluateItem(clean, {
      source: "capture",
      context: { province: "37", captureId: "cap-1" },
    });
    const before = await p.flagging.evaluateItem(flagged, { source: "capture", context: { province: "37" } });
    expect(before.flagged).toBe(true);
    expect(await p.repositories.cases.get(clean.id)).toBeNull();
    expect((await p.repositories.cases.get(flagged.id))?.state).toBe("open");

    // The slang rule learns the new phrase: the clean item of this month is flagged, the old one not.
    const slang = await rule("counterfeit.slang");
    if (slang.kind !== "phrase") throw new Error("counterfeit.slang is a phrase rule");
    const saved = await p.flagging.saveRule(
      lead,
      { ...slang, phrases: [...slang.phrases, newPhrase] },
      slang.version,
    );
    await p.tasks.idle();
    expect(p.tasks.deadLetters).toEqual([]);
    const run = await p.repositories.evaluations.getRun(saved.ruleSetVersion);
    expect(run).toMatchObject({ state: "done", by: { staffId: lead.staffId } });
    expect(run?.newlyFlagged).toBeGreaterThanOrEqual(1);
    expect(run?.seen).toBeGreaterThanOrEqual(2);
    const reevaluated = await p.repositories.evaluations.get(clean.id);
    expect(reevaluated?.decision).toMatchObject({ flagged: true, ruleSetVersion: saved.ruleSetVersion });
    expect(reevaluated?.reevaluatedAt).toBeDefined();
    const opened = await p.repositories.cases.get(clean.id);
    expect(opened).toMatchObject({ state: "open", captureId: "cap-1", province: "37" });
    const [openedBySubmitter] = await p.repositories.cases.log(submitted.id);
    expect(openedBySubmitter?.event).toMatchObject({
      type: "opened",
      source: { kind: "evaluation", by: submitter },
    });
    expect((await p.repositories.evaluations.get(old.id))?.decision.flagged).toBe(false);
    expect(await p.repositories.cases.get(old.id)).toBeNull();

    // Then the rule is switched off: both cases are marked for reviewers and stay open.
    const again = await rule("counterfeit.slang");
    const off = await p.flagging.saveRule(lead, { ...again, enabled: false }, again.version);
    await p.tasks.idle();
    const second = await p.repositories.evaluations.getRun(off.ruleSetVersion);
    expect(second?.state).toBe("done");
    expect(second?.noLongerFlagged).toBeGreaterThanOrEqual(2);
    for (const id of [clean.id, flagged.id]) {
      const marked = await p.repositories.cases.get(id);
      expect(marked?.state, id).toBe("open");
      expect(marked?.unflagged, id).toMatchObject({ ruleSetVersion: off.ruleSetVersion });
      const log = await p.repositories.cases.log(id);
      expect(log.at(-1)?.event).toEqual({ type: "unflagged", ruleSetVersion: off.ruleSetVersion });
    }

    // The console shows the run and the mark.
    const cookie = await p.cookieFor("lead", "CT");
    const rules = await (await p.app.request("/console/rules", { headers: { Cookie: cookie } })).text();
    expect(rules).toContain(`Đã đánh giá lại theo bộ quy tắc phiên bản ${off.ruleSetVersion}`);
    const casePage = await (
      await p.app.request(`/console/cases/${encodeURIComponent(flagged.id)}`, { headers: { Cookie: cookie } })
    ).text();
    expect(casePage).toContain("Hồ sơ không tự đóng");

    // A redelivered page task of a finished run changes nothing.
    const marked = await p.repositories.cases.get(flagged.id);
    await p.handleTask({
      type: "flagging.reevaluate",
      payload: { ruleSetVersion: off.ruleSetVersion, page: 0 },
    });
    expect((await p.repositories.cases.get(flagged.id))?.version).toBe(marked?.version);
    expect(await p.repositories.evaluations.getRun(off.ruleSetVersion)).toEqual(second);

    // The rule back on, for the other tests of this run.
    const restore = await rule("counterfeit.slang");
    await p.flagging.saveRule(lead, { ...restore, enabled: true }, restore.version);
    await p.tasks.idle();
  });
});
