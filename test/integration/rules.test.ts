import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createDynamoEvaluationRepository, createDynamoRuleRepository } from "@pledgewatch/aws";
import {
  ConflictError,
  createFlaggingService,
  FLAG_ITEM_TASK,
  type FlagItem,
  type Rule,
  systemClock,
} from "@pledgewatch/core";
import { compileRuleSet, seedRuleSet } from "@pledgewatch/rules";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestPlatform } from "../support/platform";

let p: Awaited<ReturnType<typeof createTestPlatform>>;
const cookies: Record<string, string> = {};

const dupe: FlagItem = {
  id: "it-dupe-1",
  kind: "listing",
  platform: "shopee",
  title: "Nước hoa Le Labo hàng dupe",
  text: "Mùi giống bản gốc, chai 50ml.",
  price: 390000,
  seller: "Thơm Store",
  category: "Nước hoa",
};

async function csrfOf(cookie: string, path: string): Promise<string> {
  const html = await (await p.app.request(path, { headers: { Cookie: cookie } })).text();
  return /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? "";
}

/** The rule form as the console sends it, from the rule page's own values, with changes. */
async function postRuleForm(
  cookie: string,
  id: string,
  change: (form: URLSearchParams) => void,
  suffix = "",
) {
  const page = await (await p.app.request(`/console/rules/${id}`, { headers: { Cookie: cookie } })).text();
  const form = new URLSearchParams();
  // A ticked checkbox without a value sends "on", as browsers do.
  for (const m of page.matchAll(/<input type="checkbox" name="([^"]+)" checked=""\/>/g))
    form.set(m[1] as string, "on");
  for (const m of page.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"[^>]*>/g)) {
    const tag = m[0];
    if (tag.includes('type="checkbox"') && !tag.includes("checked")) continue;
    // Checkboxes of one name are several values; the CSRF input is also in the sign-out form.
    if (m[1] === "kinds") form.append(m[1], decode(m[2] as string));
    else form.set(m[1] as string, decode(m[2] as string));
  }
  for (const m of page.matchAll(/<textarea[^>]*name="([^"]+)"[^>]*>([^<]*)<\/textarea>/g)) {
    form.set(m[1] as string, decode(m[2] as string));
  }
  for (const m of page.matchAll(
    /<select[^>]*name="([^"]+)"[^>]*>[\s\S]*?<option value="([^"]+)" selected/g,
  )) {
    form.set(m[1] as string, m[2] as string);
  }
  change(form);
  return p.app.request(`/console/rules/${id}${suffix}`, {
    method: "POST",
    body: form,
    headers: {
      Cookie: cookie,
      Origin: "http://localhost",
      "Content-Type": "application/x-www-form-urlencoded",
    },
  });
}
const decode = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");

beforeAll(async () => {
  p = await createTestPlatform();
  cookies.leadCT = await p.cookieFor("lead", "CT");
  cookies.leadVHTT = await p.cookieFor("lead", "VHTT");
  cookies.reviewerCT = await p.cookieFor("reviewer", "CT");
  cookies.admin = await p.cookieFor("admin");
});

describe("rules stored in DynamoDB", () => {
  it("are seeded on first use, once, with a history entry per rule", async () => {
    expect(await p.repositories.rules.currentVersion()).toBeNull();
    const first = await Promise.all([p.flagging.current(), p.flagging.current()]);
    expect(first[0].ruleSet.version).toBe(1);
    expect(await p.repositories.rules.currentVersion()).toBe(1);
    expect((await p.repositories.rules.load())?.rules.map((r) => r.id)).toEqual(
      seedRuleSet().rules.map((r) => r.id),
    );
    const history = await p.repositories.rules.history("counterfeit.slang");
    expect(history).toMatchObject([{ action: "seeded", ruleVersion: 1, ruleSetVersion: 1, before: null }]);
  });

  it("refuse a save made from a stale version: exactly one of two concurrent saves wins", async () => {
    const set = (await p.repositories.rules.load()) ?? seedRuleSet();
    const next = { ...set, version: set.version + 1 };
    const results = await Promise.allSettled([
      p.repositories.rules.save(next, set.version, []),
      p.repositories.rules.save({ ...next }, set.version, []),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const failed = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(failed.reason).toBeInstanceOf(ConflictError);
    expect(await p.repositories.rules.currentVersion()).toBe(set.version + 1);
  });
});

describe("a rule changed in the console", () => {
  it("changes the next evaluation, also in another instance sharing the table", async () => {
    // A second service on the same table stands for another Lambda that compiled the rules earlier.
    const other = createFlaggingService({
      rules: createDynamoRuleRepository(p.clients.doc, p.tableName),
      evaluations: createDynamoEvaluationRepository(p.clients.doc, p.tableName),
      compile: compileRuleSet,
      seed: seedRuleSet,
      clock: systemClock,
    });
    expect((await p.evaluateCapturedItem(dupe)).flagged).toBe(false);
    expect((await other.evaluate(dupe)).flagged).toBe(false);

    const res = await postRuleForm(cookies.leadCT as string, "counterfeit.slang", (form) => {
      form.set("phrases", `${form.get("phrases")}\nhàng dupe`);
    });
    expect(res.status, await res.clone().text()).toBe(303);
    expect(res.headers.get("location")).toBe("/console/rules/counterfeit.slang?saved=2");

    const decision = await p.evaluateCapturedItem(dupe);
    expect(decision).toMatchObject({ flagged: true, agency: "CT" });
    expect(decision.reasons[0]).toMatchObject({
      rule: "counterfeit.slang",
      version: 2,
      evidence: "hàng dupe",
    });
    expect(await other.evaluate(dupe)).toMatchObject({ flagged: true });

    const page = await (
      await p.app.request("/console/rules/counterfeit.slang?saved=2", {
        headers: { Cookie: cookies.leadCT as string },
      })
    ).text();
    expect(page).toContain("Đã lưu phiên bản 2");
    const history = await p.repositories.rules.history("counterfeit.slang");
    expect(history[0]).toMatchObject({ action: "updated", ruleVersion: 2, by: { name: expect.any(String) } });
    const after = history[0]?.after;
    expect(after?.kind === "phrase" ? after.phrases : []).toContain("hàng dupe");
  });

  it("through the API too, and a stale expected version is refused with 409", async () => {
    const res = await p.app.request("/api/v1/rules/ad.superlative", {
      headers: { Cookie: cookies.leadVHTT as string },
    });
    const { rule, editable } = (await res.json()) as { rule: Rule; editable: boolean };
    expect(editable).toBe(true);
    const put = (expectedVersion: number) =>
      p.app.request("/api/v1/rules/ad.superlative", {
        method: "PUT",
        body: JSON.stringify({ rule: { ...rule, kinds: ["ad", "post"] }, expectedVersion }),
        headers: { Cookie: cookies.leadVHTT as string, "Content-Type": "application/json" },
      });
    const ok = await put(rule.version);
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { rule: Rule }).rule.version).toBe(rule.version + 1);
    expect((await put(rule.version)).status).toBe(409);
    const post: FlagItem = {
      id: "it-sup-1",
      kind: "post",
      platform: "facebook",
      title: "Máy lọc nước tốt nhất",
    };
    expect((await p.evaluateCapturedItem(post)).reasons.map((r) => r.rule)).toEqual(["ad.superlative"]);
  });

  it("is refused to leads of another agency and to reviewers, shown to them read-only", async () => {
    const res = await postRuleForm(cookies.leadVHTT as string, "counterfeit.slang", (form) => {
      form.set("weight", "0.1");
    });
    expect(res.status).toBe(403);
    const asReviewer = await postRuleForm(cookies.reviewerCT as string, "counterfeit.slang", (form) => {
      form.set("weight", "0.1");
    });
    expect(asReviewer.status).toBe(403);
    const page = await (
      await p.app.request("/console/rules/counterfeit.slang", {
        headers: { Cookie: cookies.leadVHTT as string },
      })
    ).text();
    expect(page).toContain("Bạn chỉ có quyền xem quy tắc này");
    expect(page).not.toContain("Lưu quy tắc");
  });

  it("answers invalid input with the field's error on the form, and saves nothing", async () => {
    const before = await p.repositories.rules.currentVersion();
    const res = await postRuleForm(cookies.leadCT as string, "counterfeit.slang", (form) => {
      form.set("weight", "7");
      form.set("legalBasis", "");
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('id="f-weight-error"');
    expect(html).toContain('id="f-legalBasis-error"');
    expect(await p.repositories.rules.currentVersion()).toBe(before);
  });

  it("lets an admin add a rule of any agency", async () => {
    const csrf = await csrfOf(cookies.admin as string, "/console/rules/new?kind=phrase");
    const form = new URLSearchParams({
      _csrf: csrf,
      kind: "phrase",
      id: "counterfeit.dupe-perfume",
      agency: "CT",
      title: "Nước hoa “dupe”",
      enabled: "on",
      weight: "0.6",
      legalBasis: "Nghị định 98/2020/NĐ-CP về hàng giả.",
      explanation: "Tin có “{evidence}”.",
      phrases: "mùi giống\nchai dupe",
      "except.window": "6",
    });
    const res = await p.app.request("/console/rules/new", {
      method: "POST",
      body: form,
      headers: {
        Cookie: cookies.admin as string,
        Origin: "http://localhost",
        "Content-Type": "application/x-www-form-urlencoded",
      },
    });
    expect(res.status).toBe(303);
    const decision = await p.evaluateCapturedItem({ ...dupe, id: "it-dupe-2", title: "Nước hoa nữ" });
    expect(decision.reasons.map((r) => r.rule)).toEqual(["counterfeit.dupe-perfume"]);
  });
});

describe("try a rule on the last captures", () => {
  /** An item captured in a province, as the capture pipeline records it (the evaluation's context). */
  const capturedIn = (province: string, item: Record<string, unknown>) =>
    p.flagging.evaluateItem(item, { source: "capture", context: { province } });

  it("shows what the edited rule would match among recorded items, without saving", async () => {
    await capturedIn("37", {
      id: "it-prev-1",
      kind: "listing",
      platform: "shopee",
      title: "Son môi hàng ăn theo",
    });
    await capturedIn("37", {
      id: "it-prev-fake",
      kind: "listing",
      platform: "shopee",
      title: "Giày hàng fake",
    });
    await capturedIn("37", {
      id: "it-prev-2",
      kind: "listing",
      platform: "shopee",
      title: "Son môi chính hãng",
    });
    const before = await p.repositories.rules.currentVersion();
    const res = await postRuleForm(
      cookies.reviewerCT as string,
      "counterfeit.slang",
      (form) => {
        form.set("phrases", `${form.get("phrases")}\năn theo`);
        form.set("limit", "50");
      },
      "/preview",
    );
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/1 tin sẽ bị gắn cờ thêm/);
    expect(html).toContain("Son môi hàng ăn theo");
    expect(html).toContain("<mark>ăn theo</mark>");
    expect(await p.repositories.rules.currentVersion()).toBe(before);

    const api = await p.app.request("/api/v1/rules/counterfeit.slang/preview", {
      method: "POST",
      body: JSON.stringify({ limit: 10 }),
      headers: { Cookie: cookies.reviewerCT as string, "Content-Type": "application/json" },
    });
    expect(api.status).toBe(200);
    const preview = (await api.json()) as { tried: number; newlyFlagged: number; firesNow: number };
    // The items of the editor's province only: the three captured in Ninh Bình above.
    expect(preview.tried).toBe(3);
    expect(preview.newlyFlagged).toBe(0);
    expect(preview.firesNow).toBeGreaterThanOrEqual(1);
  });

  it("lists the latest evaluations per agency, newest first, one entry per item", async () => {
    await capturedIn("37", { ...dupe, id: "it-latest", title: "Túi hàng fake" });
    await capturedIn("37", { ...dupe, id: "it-latest", title: "Túi hàng fake loại 1" });
    const res = await p.app.request("/api/v1/evaluations?agency=CT&limit=50", {
      headers: { Cookie: cookies.reviewerCT as string },
    });
    const { items } = (await res.json()) as { items: { item: FlagItem; at: string }[] };
    expect(items[0]?.item).toMatchObject({ id: "it-latest", title: "Túi hàng fake loại 1" });
    expect(items.filter((r) => r.item.id === "it-latest")).toHaveLength(1);
    const times = items.map((r) => r.at);
    expect(times).toEqual([...times].sort().reverse());
    const none = await p.app.request("/api/v1/evaluations?agency=none", {
      headers: { Cookie: cookies.reviewerCT as string },
    });
    const unflagged = ((await none.json()) as { items: { decision: { flagged: boolean } }[] }).items;
    expect(unflagged.length).toBeGreaterThan(0);
    expect(unflagged.every((r) => !r.decision.flagged)).toBe(true);
  });

  it("shows staff their own agency's and province's evaluations only; an admin every one", async () => {
    await capturedIn("01", { ...dupe, id: "it-hanoi", title: "Túi hàng fake Hà Nội" });
    const list = async (cookie: string, query = "") => {
      const res = await p.app.request(`/api/v1/evaluations?limit=200${query}`, {
        headers: { Cookie: cookie },
      });
      return {
        status: res.status,
        ids: res.ok
          ? ((await res.json()) as { items: { item: FlagItem }[] }).items.map((r) => r.item.id)
          : [],
      };
    };
    const ninhBinh = await list(cookies.reviewerCT as string);
    expect(ninhBinh.status).toBe(200);
    expect(ninhBinh.ids).toContain("it-latest");
    expect(ninhBinh.ids).not.toContain("it-hanoi");
    expect((await list(cookies.leadVHTT as string, "&agency=CT")).status).toBe(403);
    expect((await list(cookies.leadVHTT as string)).ids).not.toContain("it-latest");
    const all = await list(cookies.admin as string);
    expect(all.ids).toEqual(expect.arrayContaining(["it-latest", "it-hanoi"]));
    const page = await p.app.request("/console/evaluations", {
      headers: { Cookie: cookies.reviewerCT as string },
    });
    expect(await page.text()).not.toContain("Túi hàng fake Hà Nội");
  });

  it("refuses a malformed item with the field named", async () => {
    await expect(
      p.evaluateCapturedItem({ id: "x", kind: "tweet", platform: "x", title: "t" }),
    ).rejects.toMatchObject({
      code: "invalid",
      issues: [{ field: "kind" }],
    });
  });
});

describe("the reference price catalogue", () => {
  it("is edited by CT leads (owners of the price rule) as a new rule-set version, used at once", async () => {
    const get = await p.app.request("/api/v1/reference-prices", {
      headers: { Cookie: cookies.leadCT as string },
    });
    const { items, ruleSetVersion } = (await get.json()) as {
      items: { id: string }[];
      ruleSetVersion: number;
    };
    const kettle = { id: "kettle-x", name: "Ấm siêu tốc Kettle X", match: ["kettle x"], price: 2_000_000 };
    const put = (cookie: string, expected: number, list: unknown[]) =>
      p.app.request("/api/v1/reference-prices", {
        method: "PUT",
        body: JSON.stringify({ items: list, expectedRuleSetVersion: expected }),
        headers: { Cookie: cookie, "Content-Type": "application/json" },
      });
    expect((await put(cookies.leadVHTT as string, ruleSetVersion, [...items, kettle])).status).toBe(403);
    const bad = await put(cookies.leadCT as string, ruleSetVersion, [...items, { ...kettle, price: -1 }]);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { issues: { field: string }[] } }).error.issues[0]?.field).toBe(
      `${items.length}.price`,
    );
    const ok = await put(cookies.leadCT as string, ruleSetVersion, [...items, kettle]);
    expect(ok.status).toBe(200);
    expect((await put(cookies.leadCT as string, ruleSetVersion, items)).status).toBe(409);
    const decision = await p.evaluateCapturedItem({
      id: "it-kettle",
      kind: "listing",
      platform: "shopee",
      title: "Ấm Kettle X 1.7L",
      price: 300_000,
    });
    expect(decision.reasons.map((r) => r.rule)).toEqual(["price.below-reference"]);
  });
});

describe("the reference prices page", () => {
  it("saves the edited lines, and names the wrong line", async () => {
    const cookie = cookies.leadCT as string;
    const html = await (
      await p.app.request("/console/reference-prices", { headers: { Cookie: cookie } })
    ).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? "";
    const version = /name="expectedRuleSetVersion" value="(\d+)"/.exec(html)?.[1] ?? "";
    const text = decode(/<textarea[^>]*name="items"[^>]*>([^<]*)<\/textarea>/.exec(html)?.[1] ?? "");
    expect(text).toContain("ensure-gold-850 | Sữa Ensure Gold 850g | ensure gold | 820000");
    const post = (items: string) =>
      p.app.request("/console/reference-prices", {
        method: "POST",
        body: new URLSearchParams({ _csrf: csrf, expectedRuleSetVersion: version, items }),
        headers: {
          Cookie: cookie,
          Origin: "http://localhost",
          "Content-Type": "application/x-www-form-urlencoded",
        },
      });
    const bad = await post(`${text}\nquat-y | Quạt Y | quat y | không rõ`);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/Dòng \d+: price/);
    const ok = await post(`${text}\nquat-y | Quạt Y | quạt y | 1.500.000`);
    expect(ok.status).toBe(303);
    const { ruleSet } = await p.flagging.current();
    expect(ruleSet.catalogue.find((e) => e.id === "quat-y")).toMatchObject({
      match: ["quạt y"],
      price: 1_500_000,
    });
  });
});

describe("the evaluation task", () => {
  it("evaluates and records an item handed over through the task queue", async () => {
    await p.handleTask({
      type: FLAG_ITEM_TASK,
      payload: {
        item: { id: "it-task-1", kind: "ad", platform: "facebook", title: "Vape pod mini" },
        source: "capture",
      },
    });
    const record = await p.repositories.evaluations.get("it-task-1");
    expect(record).toMatchObject({ source: "capture", decision: { flagged: true, agency: "CT" } });
  });
});

describe("a product watchlist loaded from the regulator's file", () => {
  const FIXTURES = join(import.meta.dirname, "..", "fixtures", "flagging", "watchlists");
  const RULE = "watch.counterfeit-drugs";
  const fakeDrug: FlagItem = {
    id: "it-watch-1",
    kind: "listing",
    platform: "facebook",
    title: "Thuốc Paradol Extra hộp 10 vỉ, giá sỉ",
    text: "Giao toàn quốc.",
    price: 45000,
    seller: "Nhà Thuốc Online Giá Tốt",
    category: "Thuốc",
  };

  async function upload(cookie: string, file: string, expectedVersion?: string) {
    const page = await (
      await p.app.request(`/console/rules/${RULE}`, { headers: { Cookie: cookie } })
    ).text();
    const form = new FormData();
    form.set("_csrf", /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? "");
    form.set(
      "expectedVersion",
      expectedVersion ?? /name="expectedVersion" value="(\d+)"/.exec(page)?.[1] ?? "",
    );
    form.set("file", new File([readFileSync(join(FIXTURES, file))], file, { type: "text/csv" }));
    return p.app.request(`/console/rules/${RULE}/watchlist`, {
      method: "POST",
      body: form,
      headers: { Cookie: cookie, Origin: "http://localhost" },
    });
  }

  it("replaces the list as a new version of the rule, and the next evaluation uses it", async () => {
    const leadYT = await p.cookieFor("lead", "YT");
    expect((await p.evaluateCapturedItem(fakeDrug)).reasons.map((r) => r.rule)).not.toContain(RULE);

    const res = await upload(leadYT, "counterfeit-drugs.csv");
    expect(res.status, await res.clone().text()).toBe(303);
    expect(res.headers.get("location")).toBe(`/console/rules/${RULE}?saved=2#watchlist`);
    const rule = (await p.flagging.current()).ruleSet.rules.find((r) => r.id === RULE);
    expect(rule?.kind).toBe("product-watch");
    if (rule?.kind !== "product-watch") return;
    // The remark in parentheses is left out, and the name without its strength is found too.
    expect(rule.entries.map((e) => e.name)).toEqual([
      "Cefaxim TW9",
      "Paradol Extra 500mg",
      "Paradol Extra",
      "Siro ho Bảo Thanh Mẫu",
    ]);
    expect(rule.entries[1]?.note).toContain("SĐK: VD-99002-24");
    expect(rule.entries[1]?.note).toContain("nguồn: https://example.gov.vn/thong-bao/thuoc-gia-mau-1");
    expect(rule.source).toMatchObject({
      file: "counterfeit-drugs.csv",
      rows: 3,
      loadedBy: expect.any(String),
    });

    const decision = await p.evaluateCapturedItem(fakeDrug);
    expect(decision.flagged).toBe(true);
    const reason = decision.reasons.find((r) => r.rule === RULE);
    expect(reason).toMatchObject({
      evidence: "Paradol Extra",
      field: "title",
      agency: "YT",
      flagType: "counterfeit",
      version: 2,
    });
    expect(reason?.explanation).toContain("Cục Quản lý Dược");
    // A name alone, with nothing about a medicine around it, is not enough (context phrases).
    const unrelated = await p.evaluateCapturedItem({
      id: "it-watch-2",
      kind: "post",
      platform: "facebook",
      title: "Paradol Extra là tên ban nhạc mới của nhóm mình",
    });
    expect(unrelated.reasons.map((r) => r.rule)).not.toContain(RULE);

    const page = await (
      await p.app.request(`/console/rules/${RULE}`, { headers: { Cookie: leadYT } })
    ).text();
    expect(page).toContain("nạp từ tệp “counterfeit-drugs.csv” (3 dòng)");
    expect((await p.repositories.rules.history(RULE))[0]).toMatchObject({
      action: "updated",
      ruleVersion: 2,
    });
  });

  it("refuses a file without a product column, or with a row without a name, in Vietnamese, loading nothing", async () => {
    const leadYT = await p.cookieFor("lead", "YT");
    const before = await p.repositories.rules.currentVersion();
    const noColumn = await upload(leadYT, "no-name-column.csv");
    expect(noColumn.status).toBe(400);
    expect(await noColumn.text()).toContain("Tệp không có cột tên sản phẩm");
    const noName = await upload(leadYT, "rows-without-name.csv");
    expect(noName.status).toBe(400);
    expect(await noName.text()).toContain("Các dòng 3 có dữ liệu nhưng thiếu tên sản phẩm");
    const stale = await upload(leadYT, "counterfeit-drugs.csv", "1");
    expect(stale.status).toBe(409);
    expect(await stale.text()).toContain("Quy tắc vừa được người khác sửa");
    expect(await p.repositories.rules.currentVersion()).toBe(before);
  });

  it("is refused to another agency's lead; an edit by hand makes the list the editor's", async () => {
    expect((await upload(cookies.leadCT as string, "counterfeit-drugs.csv")).status).toBe(403);
    const leadYT = await p.cookieFor("lead", "YT");
    const res = await postRuleForm(leadYT, RULE, (form) => {
      form.set("entries", `${form.get("entries")}\nThuốc Mẫu Thêm Tay | nhập tay khi chờ thông báo`);
    });
    expect(res.status, await res.clone().text()).toBe(303);
    const rule = (await p.flagging.current()).ruleSet.rules.find((r) => r.id === RULE);
    expect(rule?.kind === "product-watch" ? rule.entries.at(-1)?.name : null).toBe("Thuốc Mẫu Thêm Tay");
    expect(rule?.kind === "product-watch" ? rule.source : "wrong kind").toBeUndefined();
    expect(rule?.flagType).toBe("counterfeit");
  });
});
