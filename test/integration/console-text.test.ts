import { CaptureRefusedError, type PageRenderer } from "@pledgewatch/core";
import { beforeAll, describe, expect, it } from "vitest";
import { freshTaxCode } from "../support/fixtures";
import { createTestPlatform } from "../support/platform";
import { flaggedCase } from "../support/review";

/** Text staff read on console pages comes from the catalogues, never field keys or English (issue 24, item 13). */
let p: Awaited<ReturnType<typeof createTestPlatform>>;
let cookie = "";

const send = (method: string, body: unknown) => ({
  method,
  body: JSON.stringify(body),
  headers: { "Content-Type": "application/json", Cookie: cookie, Origin: "http://localhost" },
});

/** The page's text as a person reads it: tags and their attributes removed. */
const visibleText = (page: string) =>
  page
    .replace(/<script[\s\S]*?<\/script>/g, "")
    .replace(/<[^>]*>/g, " ")
    .replace(/\s+/g, " ");

/**
 * The browser is the stand-in here: it refuses every URL the way packages/capture does when a host
 * resolves to a loopback address (the real refusal is covered by the capture unit and e2e tests).
 */
const refusingRenderer: PageRenderer = {
  async render(url: string): Promise<never> {
    throw new CaptureRefusedError(
      "host 127.0.0.1 resolves to a non-public address (127.0.0.1)",
      url,
      "non_public",
    );
  },
};

beforeAll(async () => {
  p = await createTestPlatform({ monitoring: { renderer: refusingRenderer } });
  cookie = await p.cookieFor("reviewer", "CT");
});

describe("a party's history", () => {
  it("names the changed fields as the form does, in either language", async () => {
    const created = await p.app.request(
      "/api/v1/parties",
      send("POST", {
        name: "Công ty TNHH Thương mại Tràng An",
        group: "ecommerce_platform",
        provinces: ["37"],
        taxCode: freshTaxCode(7),
      }),
    );
    expect(created.status).toBe(201);
    const party = (await created.json()) as { id: string; version: number };
    const changed = await p.app.request(
      `/api/v1/parties/${party.id}`,
      send("PATCH", { version: party.version, notes: "Đã gọi điện nhắc ký", ward: "Phường Hoa Lư" }),
    );
    expect(changed.status).toBe(200);

    const page = async (lang: string) =>
      visibleText(
        await (
          await p.app.request(`/console/parties/${party.id}?lang=${lang}`, { headers: { Cookie: cookie } })
        ).text(),
      );
    const vi = await page("vi");
    expect(vi).toMatch(/Các trường đã đổi: (Xã\/phường, Ghi chú|Ghi chú, Xã\/phường)/);
    expect(vi).not.toMatch(/đã đổi: [^.]*\b(notes|ward)\b/);
    expect(await page("en")).toMatch(/Changed fields: (Ward, Notes|Notes, Ward)/);
  });
});

describe("a refused capture", () => {
  it("is explained from the catalogue on the job, the capture and the monitoring page, never in the worker's English", async () => {
    const requested = await p.app.request(
      "/api/v1/monitoring/captures",
      send("POST", { url: "http://127.0.0.1:9/admin" }),
    );
    expect(requested.status).toBe(202);
    const job = (await requested.json()) as { id: string };
    await p.tasks.idle();
    const failed = (await (
      await p.app.request(`/api/v1/monitoring/jobs/${job.id}`, { headers: { Cookie: cookie } })
    ).json()) as { state: string; lastError?: string; captureId?: string };
    expect(failed.state).toBe("failed");
    // The API keeps the code and the detail for engineers.
    expect(failed.lastError).toMatch(/^refused: non_public: host 127\.0\.0\.1/);

    const read = async (path: string, lang = "vi") =>
      visibleText(
        await (await p.app.request(`${path}?lang=${lang}`, { headers: { Cookie: cookie } })).text(),
      );
    const pages = [`/console/monitoring/jobs/${job.id}`, "/console/monitoring"];
    if (failed.captureId) pages.push(`/console/monitoring/captures/${failed.captureId}`);
    for (const path of pages) {
      const vi = await read(path);
      expect(vi, path).toContain("tên miền trỏ tới địa chỉ nội bộ, không công khai");
      expect(vi, path).not.toMatch(/resolves to|non_public|refused:/);
      const en = await read(path, "en");
      expect(en, path).toContain("its domain resolves to an internal, non-public address");
      expect(en, path).not.toMatch(/non_public|refused:/);
    }
  });
});

describe("the console's links grouped by task (issue 21, item 6)", () => {
  /** The header's groups: each label and the links under it, as a person reads them. */
  async function groups(role: "viewer" | "reviewer" | "lead" | "admin"): Promise<Record<string, string[]>> {
    const who = await p.cookieFor(role, "CT");
    const page = await (await p.app.request("/console", { headers: { Cookie: who } })).text();
    const out: Record<string, string[]> = {};
    for (const m of page.matchAll(
      /<li class="nav-group"><span class="nav-group-label" id="([^"]+)">([^<]+)<\/span><ul aria-labelledby="\1">([\s\S]*?)<\/ul><\/li>/g,
    )) {
      out[m[2] as string] = [...(m[3] as string).matchAll(/<a href="[^"]+">([^<]+)<\/a>/g)].map(
        (a) => a[1] as string,
      );
    }
    return out;
  }

  it("shows a reviewer pledges, monitoring, review, reports and administration, each with its links", async () => {
    expect(await groups("reviewer")).toEqual({
      "Cam kết": ["Đối tượng cam kết", "Tỷ lệ ký"],
      "Giám sát": ["Giám sát", "Quy tắc gắn cờ", "Tin đã đánh giá"],
      "Xử lý": ["Hàng đợi xử lý", "Chỉ số xử lý", "Yêu cầu dữ liệu cá nhân"],
      "Báo cáo": ["Báo cáo xử lý"],
      "Quản trị": ["Tài liệu API"],
      "Trang công khai": ["Danh sách đã ký", "Kiểm tra cam kết", "Phản ánh vi phạm"],
    });
  });

  it("gives each role only its own links: a viewer no data requests, a lead the staff", async () => {
    const viewer = await groups("viewer");
    expect(viewer["Xử lý"]).toEqual(["Hàng đợi xử lý", "Chỉ số xử lý"]);
    expect(viewer["Quản trị"]).toEqual(["Tài liệu API"]);
    expect((await groups("lead"))["Quản trị"]).toEqual(["Cán bộ", "Tài liệu API"]);
  });
});

describe("the home page as the day's work (issue 21, item 6)", () => {
  /** The "Việc hôm nay" list: each line's label and its figure. */
  async function today(who: string): Promise<Record<string, string>> {
    const page = await (await p.app.request("/console", { headers: { Cookie: who } })).text();
    const list = /<ul class="today" data-testid="today">([\s\S]*?)<\/ul>/.exec(page)?.[1] ?? "";
    const out: Record<string, string> = {};
    for (const m of list.matchAll(/<a href="[^"]+">([^<]+)<\/a>: <strong>([^<]+)<\/strong>/g)) {
      out[m[1] as string] = m[2] as string;
    }
    return out;
  }

  it("counts the queue, the person's cases, takedowns and coverage as the linked pages do", async () => {
    await flaggedCase(p);
    const open = await p.app.request("/api/v1/cases?state=open&limit=200", { headers: { Cookie: cookie } });
    const openCount = ((await open.json()) as { items: unknown[] }).items.length;
    expect(openCount).toBeGreaterThan(0);
    const coverage = (await (
      await p.app.request("/api/v1/coverage", { headers: { Cookie: cookie } })
    ).json()) as {
      total: { signed: number; obligated: number };
    };
    const mine = await today(cookie);
    expect(mine["Hồ sơ chờ xử lý"]).toBe(String(openCount));
    expect(mine["Hồ sơ bạn đang xử lý"]).toBe("0");
    expect(mine["Yêu cầu gỡ bỏ chờ nền tảng"]).toMatch(/^\d+$/);
    expect(mine["Cam kết đã ký quý này"]).toContain(
      `(${coverage.total.signed}/${coverage.total.obligated} đối tượng)`,
    );
    // Approvals are a lead's work: a reviewer is not shown them, a lead is.
    expect(mine["Xác nhận chờ phê duyệt"]).toBeUndefined();
    expect((await today(await p.cookieFor("lead", "CT")))["Xác nhận chờ phê duyệt"]).toMatch(/^\d+$/);
  });
});
