import { createHash, randomUUID } from "node:crypto";
import {
  createTravelClock,
  PRIVACY_NOTICE_VERSION,
  type Principal,
  RETENTION_SWEEP_TASK,
  type TravelClock,
} from "@pledgewatch/core";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestPlatform } from "../support/platform";
import { stubRenderer } from "../support/renderer";

/**
 * Personal-data duties (issue 19, item 8) on DynamoDB Local through the real services and HTTP app: the
 * privacy notice and the consents it asks for, the daily retention sweep erasing tipsters' contacts on
 * its clock, and data subjects' requests with their legal clocks, answered within the office's scope.
 */
const DAY = 86_400_000;
const renderer = stubRenderer((url) => ({
  html: "<html><body><h1>Giày Nike rep 1:1</h1></body></html>",
  text: "Giày Nike rep 1:1 like auth, fake loại 1",
  items: [
    {
      kind: "listing",
      // Each page its own listing, so that each tip opens a case of its own.
      title: `Giày Nike Air Force 1 rep 1:1 like auth ${url.slice(-12)}`,
      text: "Hàng rep 1:1, fake loại 1, bao check.",
      url,
      source: "json-ld",
      price: 350_000,
    },
  ],
}));

let p: Awaited<ReturnType<typeof createTestPlatform>>;
let clock: TravelClock;
let address = 0;
const sha = (s: string) => createHash("sha256").update(s).digest("hex");

beforeAll(async () => {
  // A Monday morning in Vietnam (09:00 +07:00), so the working-day clock is easy to read.
  clock = createTravelClock();
  clock.travelTo(new Date("2026-12-07T02:00:00Z"));
  p = await createTestPlatform({ clock, monitoring: { renderer } });
}, 120_000);

async function fileTip(extra: Record<string, unknown> = {}) {
  const token = ((await (await p.app.request("/api/v1/tips/form-token")).json()) as { formToken: string })
    .formToken;
  clock.travelTo(new Date(clock.now().getTime() + 4_000));
  const res = await p.app.request(
    "/api/v1/tips",
    {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        // A host of its own: captures of one host wait for each other (politeness), tips need not.
        url: `https://shop-${randomUUID().slice(0, 8)}.example.vn/p/${randomUUID()}`,
        category: "counterfeit",
        details: "Bán giày giả",
        province: "37",
        formToken: token,
        ...extra,
      }),
    },
    { remoteAddress: `203.0.113.${++address}` },
  );
  return { res, json: (await res.json()) as { code?: string; error?: { issues?: { field: string }[] } } };
}

async function tipOf(code: string) {
  const tip = await p.repositories.tips.byCodeHash(sha(code));
  if (!tip) throw new Error("no tip");
  return tip;
}

const lead: Principal = {
  staffId: "privacy-lead",
  email: "lead.privacy@example.vn",
  name: "Lãnh đạo thử",
  agency: "CT",
  province: "37",
  role: "lead",
};

async function closeCaseOf(code: string) {
  const tip = await tipOf(code);
  await p.review.decide(lead, String(tip.caseId), { kind: "dismiss", reason: "false_positive", note: "thử" });
}

async function inIndex(tipId: string): Promise<boolean> {
  let cursor: string | undefined;
  do {
    const page = await p.repositories.tips.withPersonalData(cursor, 100);
    if (page.tips.some((t) => t.id === tipId)) return true;
    cursor = page.cursor;
  } while (cursor);
  return false;
}

describe("the privacy notice and its consents", () => {
  it("is a public page in Vietnamese and English, with its version, rights and clocks, linked from every footer", async () => {
    const vi = await p.app.request("/privacy?lang=vi");
    expect(vi.status).toBe(200);
    const viText = await vi.text();
    expect(viText).toContain("Thông báo xử lý dữ liệu cá nhân");
    expect(viText).toContain(PRIVACY_NOTICE_VERSION);
    expect(viText).toContain("2 ngày làm việc");
    expect(viText).toContain("72 giờ");
    const en = await (await p.app.request("/privacy?lang=en")).text();
    expect(en).toContain("Personal data notice");
    expect(en).toContain("within 2 working days");
    const tips = await (await p.app.request("/tips?lang=vi")).text();
    expect(tips).toContain('href="/privacy?lang=vi"');
    expect(tips).toContain('name="privacyConsent"');
  });

  it("asks a tipster who leaves a contact to consent, and records which notice and when", async () => {
    const refused = await fileTip({ contact: "0912 345 678" });
    expect(refused.res.status).toBe(400);
    expect(refused.json.error?.issues?.map((i) => i.field)).toEqual(["privacyConsent"]);
    const filed = await fileTip({ contact: "0912 345 678", privacyConsent: true });
    expect(filed.res.status).toBe(201);
    const tip = await tipOf(String(filed.json.code));
    expect(tip.contact).toEqual({ kind: "phone", value: "0912345678" });
    expect(tip.privacyConsent).toEqual({ notice: PRIVACY_NOTICE_VERSION, at: tip.createdAt });
    // No contact: nothing to consent to, nothing recorded.
    const anonymous = await tipOf(String((await fileTip()).json.code));
    expect(anonymous.privacyConsent).toBeUndefined();
    expect(anonymous.addressHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("refuses the tip form without the consent box when a contact is left, in Vietnamese, keeping the answers", async () => {
    const page = await (await p.app.request("/tips")).text();
    const formToken = /name="formToken" value="([^"]+)"/.exec(page)?.[1] ?? "";
    clock.travelTo(new Date(clock.now().getTime() + 4_000));
    const res = await p.app.request(
      "/tips",
      {
        method: "POST",
        body: new URLSearchParams({
          url: "https://shop.example.vn/p/form-consent",
          category: "counterfeit",
          contact: "nguoi.phan.anh@example.vn",
          province: "37",
          formToken,
        }),
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "http://localhost" },
      },
      { remoteAddress: `203.0.113.${++address}` },
    );
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain("vui lòng đồng ý với Thông báo xử lý dữ liệu cá nhân");
    expect(html).toContain('value="nguoi.phan.anh@example.vn"');
  });
});

describe("the retention sweep", () => {
  it("erases a tipster's contact and address 30 days after the case closes, keeps open cases' and the case file, and runs twice harmlessly", async () => {
    const closed = await fileTip({ contact: "a@example.vn", privacyConsent: true });
    const open = await fileTip({ contact: "b@example.vn", privacyConsent: true });
    await p.tasks.idle();
    expect(p.tasks.deadLetters).toEqual([]);
    const closedTip = await tipOf(String(closed.json.code));
    const openTip = await tipOf(String(open.json.code));
    expect(closedTip.caseId).toBeDefined();
    expect(openTip.caseId).toBeDefined();
    expect(openTip.caseId).not.toBe(closedTip.caseId);
    await closeCaseOf(String(closed.json.code));
    expect(await inIndex(closedTip.id)).toBe(true);

    // 29 days after: nothing is due yet.
    clock.travelTo(new Date(clock.now().getTime() + 29 * DAY));
    await p.retention.sweep();
    expect((await tipOf(String(closed.json.code))).contact).toEqual({ kind: "email", value: "a@example.vn" });

    // 31 days after, through the task the schedule sends.
    clock.travelTo(new Date(clock.now().getTime() + 2 * DAY));
    const sweptFrom = clock.now().getTime();
    await p.handleTask({ type: RETENTION_SWEEP_TASK, payload: {} });
    const erased = await tipOf(String(closed.json.code));
    expect(erased.contact).toBeUndefined();
    expect(erased.addressHash).toBeUndefined();
    expect(Date.parse(erased.personalDataErasedAt ?? "")).toBeGreaterThanOrEqual(sweptFrom);
    expect(Date.parse(erased.personalDataErasedAt ?? "")).toBeLessThanOrEqual(clock.now().getTime());
    // The case file stays: the URL, the details, the case.
    expect(erased.url).toBe(closedTip.url);
    expect(erased.details).toBe("Bán giày giả");
    expect(erased.caseId).toBe(closedTip.caseId);
    expect(await inIndex(closedTip.id)).toBe(false);
    // The tip whose case is still open keeps its contact.
    expect((await tipOf(String(open.json.code))).contact).toEqual({ kind: "email", value: "b@example.vn" });

    const again = await p.retention.sweep();
    expect(again.tipsErased).toBe(0);
    expect((await tipOf(String(closed.json.code))).version).toBe(erased.version);
  });
});

/** One session per demo account and day of the (travelling) clock: sign-in itself is rate-limited. */
const cookies = new Map<string, string>();
async function cookieOf(role: "viewer" | "reviewer" | "lead", agency: "CT" | "VHTT") {
  const key = `${role} ${agency} ${clock.now().toISOString().slice(0, 10)}`;
  const known = cookies.get(key);
  if (known) return known;
  const cookie = await p.cookieFor(role, agency);
  cookies.set(key, cookie);
  return cookie;
}

describe("data subjects' requests", () => {
  async function api(
    role: "viewer" | "reviewer" | "lead",
    agency: "CT" | "VHTT",
    path: string,
    body?: unknown,
  ) {
    const cookie = await cookieOf(role, agency);
    const res = await p.app.request(path, {
      method: body === undefined ? "GET" : "POST",
      headers: { Cookie: cookie, "Content-Type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return {
      status: res.status,
      json: (await res.json()) as Record<string, unknown> & { clock?: Record<string, unknown> },
    };
  }

  it("records a request with its clocks (2 working days, 15 days), shows them counting, and keeps it to its office", async () => {
    // Received on a Friday afternoon in Vietnam: the first response is due at the end of Tuesday.
    const created = await api("reviewer", "CT", "/api/v1/data-requests", {
      kind: "access",
      channel: "email",
      subjectName: "Nguyễn Văn Khiếu",
      subjectContact: "khieu@example.vn",
      details: "Xin biết cơ quan giữ những dữ liệu nào về tôi.",
      receivedAt: "2026-12-04T15:00:00+07:00",
    });
    expect(created.status).toBe(201);
    expect(created.json.firstResponseDue).toBe("2026-12-08T16:59:59.999Z");
    expect(created.json.settlementDue).toBe("2026-12-19T16:59:59.999Z");
    expect(created.json.state).toBe("received");
    const id = String(created.json.id);

    // Another agency of the province, and a viewer of the same office, see nothing of it.
    expect((await api("reviewer", "VHTT", `/api/v1/data-requests/${id}`)).status).toBe(404);
    expect((await api("viewer", "CT", `/api/v1/data-requests/${id}`)).status).toBe(403);
    const others = await api("lead", "VHTT", "/api/v1/data-requests");
    expect(JSON.stringify(others.json)).not.toContain(id);

    // The console shows the clock that runs.
    const cookie = await cookieOf("reviewer", "CT");
    const list = await (
      await p.app.request("/console/data-requests", { headers: { Cookie: cookie } })
    ).text();
    expect(list).toContain("Nguyễn Văn Khiếu");
    expect(list).toContain("Hạn phản hồi lần đầu");

    // A future receipt and a missing name are refused, naming the fields.
    const bad = await api("reviewer", "CT", "/api/v1/data-requests", {
      kind: "access",
      channel: "email",
      subjectName: " ",
      subjectContact: "x@example.vn",
      receivedAt: "2099-01-01T00:00:00+07:00",
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.json)).toContain("subjectName");
  });

  it("is acknowledged by a reviewer, answered only by a lead, and a fulfilled deletion erases the tip's contact at once", async () => {
    const filed = await fileTip({ contact: "c@example.vn", privacyConsent: true });
    const code = String(filed.json.code);
    const created = await api("reviewer", "CT", "/api/v1/data-requests", {
      kind: "deletion",
      channel: "online",
      subjectName: "Người phản ánh",
      subjectContact: "c@example.vn",
      tipCode: code.toLowerCase(),
    });
    expect(created.status).toBe(201);
    const id = String(created.json.id);
    expect(created.json.clock).toMatchObject({ running: "first_response", overdue: false });

    const acked = await api("reviewer", "CT", `/api/v1/data-requests/${id}/acknowledge`, {
      version: 1,
      note: "Đã nhận yêu cầu, sẽ trả lời trong 15 ngày.",
    });
    expect(acked.status).toBe(200);
    expect(acked.json.clock).toMatchObject({ running: "settlement", firstResponseMet: true });
    // A stale version is refused.
    expect(
      (
        await api("reviewer", "CT", `/api/v1/data-requests/${id}/acknowledge`, {
          version: 1,
          note: "lần hai",
        })
      ).status,
    ).toBe(409);

    const answer = { version: 2, outcome: "fulfilled", answer: "Đã xóa thông tin liên hệ của bạn." };
    expect((await api("reviewer", "CT", `/api/v1/data-requests/${id}/answer`, answer)).status).toBe(403);
    expect((await api("lead", "VHTT", `/api/v1/data-requests/${id}/answer`, answer)).status).toBe(404);
    const answered = await api("lead", "CT", `/api/v1/data-requests/${id}/answer`, answer);
    expect(answered.status).toBe(200);
    expect(answered.json.clock).toMatchObject({ running: null, firstResponseMet: true, settlementMet: true });
    const tip = await tipOf(code);
    expect(tip.contact).toBeUndefined();
    expect(tip.addressHash).toBeUndefined();
    expect(answered.json.erasedTipAt).toBe(tip.personalDataErasedAt);

    // Kept five years after it was answered, then deleted by the sweep.
    clock.travelTo(new Date(clock.now().getTime() + 5 * 366 * DAY));
    const swept = await p.retention.sweep();
    expect(swept.requestsDeleted).toBeGreaterThanOrEqual(1);
    expect((await api("lead", "CT", `/api/v1/data-requests/${id}`)).status).toBe(404);
  });

  it("refuses a tip code of another office as if it did not exist", async () => {
    const filed = await fileTip({ category: "false_advertising" });
    const tip = await tipOf(String(filed.json.code));
    // False advertising goes to VHTT's queue: to a CT reviewer, the code names no tip of theirs.
    expect(tip.agency).toBe("VHTT");
    const res = await api("reviewer", "CT", "/api/v1/data-requests", {
      kind: "access",
      channel: "email",
      subjectName: "Người khác",
      subjectContact: "d@example.vn",
      tipCode: String(filed.json.code),
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.json)).toContain("tipCode");
    const vhtt = await api("reviewer", "VHTT", "/api/v1/data-requests", {
      kind: "access",
      channel: "email",
      subjectName: "Người khác",
      subjectContact: "d@example.vn",
      tipCode: String(filed.json.code),
    });
    expect(vhtt.status).toBe(201);
    expect(vhtt.json.tipId).toBe(tip.id);
  });
});
