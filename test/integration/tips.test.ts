import { createHash, randomUUID } from "node:crypto";
import {
  CaptureRefusedError,
  type CaseLogEntry,
  createTravelClock,
  type TravelClock,
  urlKey,
} from "@pledgewatch/core";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestPlatform } from "../support/platform";
import { stubRenderer } from "../support/renderer";

/**
 * The public tip flow on DynamoDB Local through the real services: form token, spam checks and rate
 * limits, capture on demand (the browser is the only stand-in: a renderer returning a fixed page), the
 * flagging rules, case intake, and the public status. Each refusal is checked with its reason.
 */
const pages = new Map<string, { title: string; text: string; kind: "listing" | "ad" | "post" }>();
/** Pages whose capture URL safety refuses (as packages/capture does for a redirect to an internal address). */
const refusedPages = new Set<string>();

const renderer = stubRenderer((url) => {
  if (refusedPages.has(url)) {
    throw new CaptureRefusedError(
      "host 10.0.0.5 resolves to a non-public address (10.0.0.5)",
      "http://10.0.0.5/",
      "non_public",
    );
  }
  const page = pages.get(url) ?? {
    title: "Trang không có tin",
    text: "Không có gì",
    kind: "listing" as const,
  };
  return {
    html: `<html><body><h1>${page.title}</h1><p>${page.text}</p></body></html>`,
    text: `${page.title}\n${page.text}`,
    items: pages.has(url)
      ? [{ kind: page.kind, title: page.title, text: page.text, url, source: "json-ld", price: 150_000 }]
      : [],
  };
});

let p: Awaited<ReturnType<typeof createTestPlatform>>;
let clock: TravelClock;
let address = 0;
const nextAddress = () => `203.0.113.${++address}`;

beforeAll(async () => {
  clock = createTravelClock();
  p = await createTestPlatform({ clock, monitoring: { renderer } });
}, 120_000);

async function formToken(): Promise<string> {
  const res = await p.app.request("/api/v1/tips/form-token");
  expect(res.status).toBe(200);
  const { formToken } = (await res.json()) as { formToken: string };
  return formToken;
}

/** Waits out the form's minimum fill time on the test clock. */
function fillTime() {
  clock.travelTo(new Date(clock.now().getTime() + 4_000));
}

async function postTip(body: Record<string, unknown>, from = nextAddress()) {
  const res = await p.app.request(
    "/api/v1/tips",
    { method: "POST", body: JSON.stringify(body), headers: { "Content-Type": "application/json" } },
    { remoteAddress: from },
  );
  return { res, json: (await res.json()) as Record<string, unknown> & { error?: Record<string, unknown> } };
}

async function validTip(url: string, extra: Record<string, unknown> = {}) {
  const token = await formToken();
  fillTime();
  return {
    url,
    category: "counterfeit",
    details: "Bán giày giả thương hiệu",
    province: "79",
    formToken: token,
    ...extra,
  };
}

async function statusOf(code: string) {
  const res = await p.app.request(`/api/v1/tips/${encodeURIComponent(code)}`);
  return { res, json: (await res.json()) as Record<string, unknown> };
}

async function caseLog(caseId: string): Promise<CaseLogEntry[]> {
  return p.repositories.cases.log(caseId);
}

describe("public tips", () => {
  it("captures the URL as evidence, opens a case routed by the tipster's choice, and shows only safe status", async () => {
    const url = `https://shop.example.vn/p/${randomUUID()}`;
    pages.set(url, { title: "Máy lọc nước gia đình", text: "Sản phẩm chính hãng", kind: "listing" });
    const { res, json } = await postTip(
      await validTip(url, { category: "health_claim", contact: "0912 345 678", privacyConsent: true }),
    );
    expect(res.status).toBe(201);
    const code = String(json.code);
    expect(code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    // At once: received (the capture runs in the background).
    expect((await statusOf(code)).json.status).toBe("received");
    await p.tasks.idle();
    expect(p.tasks.deadLetters).toEqual([]);
    const view = await statusOf(code);
    expect(view.res.status).toBe(200);
    expect(view.json.status).toBe("evidence_captured");
    expect(Object.keys(view.json).sort()).toEqual([
      "category",
      "code",
      "province",
      "receivedAt",
      "status",
      "updatedAt",
      "url",
    ]);

    const tip = await p.repositories.tips.byCodeHash(await sha(code));
    expect(tip?.state).toBe("filed");
    expect(tip?.contact).toEqual({ kind: "phone", value: "0912345678" });
    expect(tip?.captureOutcome).toBe("succeeded");
    const found = await p.repositories.cases.get(String(tip?.caseId));
    // Not flagged by the rules: routed to Y tế, as the tipster chose a false health claim.
    expect(found?.evaluation.flagged).toBe(false);
    expect(found?.agency).toBe("YT");
    expect(found?.province).toBe("79");
    expect(found?.tips).toBe(1);
    expect(found?.captureId).toBe(tip?.captureId);
    const log = await caseLog(String(found?.id));
    expect(log.map((e) => e.event.type)).toEqual(["opened"]);
    expect(log[0]?.event).toMatchObject({ type: "opened", source: { kind: "tip", tipId: tip?.id } });
    // The evidence was kept: the capture has a screenshot and a certificate.
    const capture = await p.repositories.monitoring.getCapture(String(tip?.captureId));
    expect(capture?.origin).toBe("tip");
    expect(capture?.certificate?.name).toBe("certificate.pdf");
    expect(capture?.pages[0]?.artefacts.map((a) => a.name)).toContain("screenshot.png");
  });

  it("merges a second tip about the same URL into the first tip's case, each with its own code", async () => {
    const url = `https://shop.example.vn/p/${randomUUID()}`;
    pages.set(url, { title: "Giày thể thao", text: "Hàng Việt Nam", kind: "listing" });
    const first = await postTip(await validTip(url));
    await p.tasks.idle();
    const second = await postTip(await validTip(url, { category: "smuggled" }));
    expect(second.res.status).toBe(201);
    await p.tasks.idle();
    expect(second.json.code).not.toBe(first.json.code);
    const a = await p.repositories.tips.byCodeHash(await sha(String(first.json.code)));
    const b = await p.repositories.tips.byCodeHash(await sha(String(second.json.code)));
    expect(b?.state).toBe("merged");
    expect(b?.mergedInto).toBe(a?.id);
    expect(b?.caseId).toBe(a?.caseId);
    const found = await p.repositories.cases.get(String(a?.caseId));
    expect(found?.tips).toBe(2);
    const log = await caseLog(String(a?.caseId));
    expect(
      log.map((e) => [e.event.type, (e.event as { source?: { tipId?: string } }).source?.tipId]),
    ).toEqual([
      ["opened", a?.id],
      ["merged", b?.id],
    ]);
    expect((await statusOf(String(second.json.code))).json.status).toBe("evidence_captured");
    // Only one capture for both tips.
    expect(b?.jobId).toBeUndefined();
  });

  it("merges a later day's tip about the same item into its existing case", async () => {
    const url = `https://shop.example.vn/p/${randomUUID()}`;
    pages.set(url, { title: "Thuốc chữa khỏi ung thư 100%", text: "Cam kết chữa khỏi bệnh", kind: "ad" });
    const one = await postTip(await validTip(url, { category: "false_advertising" }));
    await p.tasks.idle();
    const tip = await p.repositories.tips.byCodeHash(await sha(String(one.json.code)));
    const opened = await p.repositories.cases.get(String(tip?.caseId));
    expect(opened).not.toBeNull();
    // The next day (a new URL record), another tipster reports it: the item's case takes the tip.
    clock.travelTo(new Date(clock.now().getTime() + 86_400_000));
    const two = await postTip(await validTip(url, { category: "other" }));
    await p.tasks.idle();
    const again = await p.repositories.tips.byCodeHash(await sha(String(two.json.code)));
    expect(again?.state).toBe("filed");
    expect(again?.caseId).toBe(opened?.id);
    const log = await caseLog(String(opened?.id));
    expect(log.at(-1)?.event).toMatchObject({ type: "merged", source: { kind: "tip", tipId: again?.id } });
  });

  it("refuses each spam sign and limit with its reason, writing nothing", async () => {
    const url = `https://shop.example.vn/p/${randomUUID()}`;
    const refused = async (body: Record<string, unknown>, reason: string, status = 400, from?: string) => {
      const { res, json } = await postTip(body, from);
      expect(res.status).toBe(status);
      expect(json.error?.reason).toBe(reason);
      expect(String(json.error?.message)).toMatch(/[ạ-ỹà-ý]/); // Vietnamese
      return res;
    };
    // Honeypot filled.
    await refused(await validTip(url, { website: "http://spam.example" }), "honeypot");
    // No token, a forged one.
    const { formToken: _omit, ...noToken } = await validTip(url);
    await refused(noToken, "form_missing");
    await refused(await validTip(url, { formToken: "1.abcdefghijkl.xyz" }), "form_invalid");
    // Too fast: posted the moment the form was loaded.
    const fast = await formToken();
    await refused({ url, category: "other", province: "79", formToken: fast }, "form_too_fast");
    // Expired: more than two hours later.
    const old = await formToken();
    clock.travelTo(new Date(clock.now().getTime() + 2 * 3_600_000 + 1_000));
    await refused({ url, category: "other", province: "79", formToken: old }, "form_expired");
    // Used twice.
    const once = await validTip(`https://shop.example.vn/p/${randomUUID()}`);
    expect((await postTip(once)).res.status).toBe(201);
    await refused(once, "form_used");
    // Field errors are the validation's, per field, in Vietnamese.
    const bad = await postTip(await validTip("javascript:alert(1)", { contact: "không có" }));
    expect(bad.res.status).toBe(400);
    const issues = (bad.json.error?.issues ?? []) as { field: string; message: string }[];
    const fields = issues.map((i) => i.field);
    expect(fields).toEqual(["contact"]);
    const script = await postTip(await validTip("javascript:alert(1)"));
    expect(script.res.status).toBe(400);
    expect(script.json.error?.issues).toEqual([
      { field: "url", message: "Chỉ chấp nhận đường dẫn http:// hoặc https://." },
    ]);
    // The capture's URL safety refuses credentials in a URL before anything is queued (where the name
    // resolves is checked next: "tells the tipster at once…" below).
    const creds = await postTip(await validTip("https://admin:secret@shop.example.vn/p/1"));
    expect(creds.res.status).toBe(400);
    expect(creds.json.error?.issues).toEqual([
      { field: "url", message: "Đường dẫn không được chứa tên đăng nhập, mật khẩu." },
    ]);
    await p.tasks.idle();
    // Nothing was filed for the refused URL: no tip record of the day, no capture job.
    const day = new Date(clock.now().getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
    expect(await p.repositories.tips.urlRecord(urlKey(url), day)).toBeNull();
  });

  it("tells the tipster at once that an internal address cannot be checked, and writes nothing (issue 24, item 7)", async () => {
    for (const url of ["http://127.0.0.1:8080/admin", "http://[::1]/", "http://169.254.169.254/latest/"]) {
      const { res, json } = await postTip(await validTip(url));
      expect(res.status, url).toBe(400);
      expect(json.error?.reason, url).toBe("url_not_checkable");
      expect(String(json.error?.message)).toContain("Không thể kiểm tra đường dẫn này");
      expect(json).not.toHaveProperty("code");
      const day = new Date(clock.now().getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
      expect(await p.repositories.tips.urlRecord(urlKey(url), day), url).toBeNull();
    }
    // The form says so in Vietnamese, keeping what was typed.
    const token = await formToken();
    fillTime();
    const form = await p.app.request(
      "/tips",
      {
        method: "POST",
        body: new URLSearchParams({
          url: "http://127.0.0.1:8080/admin",
          category: "counterfeit",
          details: "Bán giày giả",
          province: "79",
          formToken: token,
        }),
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "http://localhost" },
      },
      { remoteAddress: nextAddress() },
    );
    expect(form.status).toBe(400);
    const html = await form.text();
    expect(html).toContain("Không thể kiểm tra đường dẫn này");
    expect(html).toContain('value="http://127.0.0.1:8080/admin"');
    await p.tasks.idle();
    expect(p.tasks.deadLetters).toEqual([]);
  });

  it("opens no case when the capture is refused later (a redirect inward), and the status says it cannot be checked", async () => {
    const url = `https://shop.example.vn/chuyen-huong/${randomUUID()}`;
    refusedPages.add(url);
    const first = await postTip(await validTip(url));
    expect(first.res.status).toBe(201);
    const second = await postTip(await validTip(url));
    expect(second.res.status).toBe(201);
    await p.tasks.idle();
    expect(p.tasks.deadLetters).toEqual([]);
    for (const code of [String(first.json.code), String(second.json.code)]) {
      expect((await statusOf(code)).json.status).toBe("not_checkable");
      const tip = await p.repositories.tips.byCodeHash(await sha(code));
      expect(tip?.caseId).toBeUndefined();
    }
    const tip = await p.repositories.tips.byCodeHash(await sha(String(first.json.code)));
    expect(tip?.state).toBe("not_checkable");
    expect(tip?.captureOutcome).toBe("failed");
    // The public tracking page words it from the catalogue.
    const page = await (
      await p.app.request(`/tips/track?code=${encodeURIComponent(String(first.json.code))}`)
    ).text();
    expect(page).toContain("Không thể kiểm tra");
  });

  it("limits tips per address per hour and per URL per day", async () => {
    // The limits count in fixed windows (an hour, a day): start just after a day begins, so the tips
    // below (4 s of fill time each) never straddle a window's end, whatever the time the run starts.
    const day = 86_400_000;
    clock.travelTo(new Date(Math.ceil(clock.now().getTime() / day) * day + 60_000));
    const from = nextAddress();
    const limit = p.tips.limits.perAddressPerHour;
    for (let i = 0; i < limit; i++) {
      const r = await postTip(await validTip(`https://shop.example.vn/a/${randomUUID()}`), from);
      expect(r.res.status).toBe(201);
    }
    const over = await postTip(await validTip(`https://shop.example.vn/a/${randomUUID()}`), from);
    expect(over.res.status).toBe(429);
    // The address is kept keyed (HMAC with the server's secret), never as a plain hash anyone can undo.
    const address = nextAddress();
    const last = await postTip(await validTip(`https://shop.example.vn/a/${randomUUID()}`), address);
    expect(last.res.status).toBe(201);
    const stored = await p.repositories.tips.byCodeHash(await sha(String(last.json.code)));
    expect(stored?.addressHash).toMatch(/^[0-9a-f]{64}$/);
    const plain = createHash("sha256").update(`tip-address|${address}`).digest("hex");
    expect(stored?.addressHash).not.toBe(plain);
    expect(over.json.error?.reason).toBe("too_many_from_address");
    expect(Number(over.res.headers.get("Retry-After"))).toBeGreaterThan(0);

    const url = `https://shop.example.vn/u/${randomUUID()}`;
    for (let i = 0; i < p.tips.limits.perUrlPerDay; i++) {
      expect((await postTip(await validTip(url))).res.status).toBe(201);
    }
    const busy = await postTip(await validTip(url));
    expect(busy.res.status).toBe(429);
    expect(busy.json.error?.reason).toBe("too_many_for_url");
    await p.tasks.idle();
  });

  it("answers 404 for an unknown or malformed tracking code", async () => {
    expect((await statusOf("ABCD-EFGH-JKMN-PQRS")).res.status).toBe(404);
    expect((await statusOf("not a code")).res.status).toBe(404);
  });
});

async function sha(code: string): Promise<string> {
  const { createHash } = await import("node:crypto");
  return createHash("sha256").update(code).digest("hex");
}
