import { join } from "node:path";
import type { LocalPlatform } from "@pledgewatch/local";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seriousAccessibilityViolations, signInAs, startPlatformAndBrowser } from "../support/browser";

let platform: LocalPlatform;
let page: Page;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ platform, page, stop } = await startPlatformAndBrowser());
  await signInAs(page, platform.url, "lead.ct@demo.pledgewatch.vn");
});

afterAll(async () => {
  await stop?.();
});

describe("the rules console in a real browser", () => {
  it("shows the demo captures and the rules", async () => {
    expect(platform.demoCaptures).toBe(25);
    await page.getByRole("link", { name: "Tin đã đánh giá" }).click();
    await page.waitForURL(/\/console\/evaluations/);
    // A Công Thương lead sees Công Thương's flags in Ninh Bình: some of the 25, not the other agencies'.
    const api = await page.request.get(`${platform.url}/api/v1/evaluations?limit=200`);
    const items = ((await api.json()) as { items: { decision: { agency: string | null } }[] }).items;
    expect(items.length).toBeGreaterThan(0);
    expect(items.length).toBeLessThan(25);
    expect(items.every((r) => r.decision.agency === "CT")).toBe(true);
    expect(await page.locator("tbody tr").count()).toBe(items.length);
    expect(await page.locator("mark").allTextContents()).toContain("rep 1:1");
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.getByRole("link", { name: "Quy tắc gắn cờ" }).click();
    await page.waitForURL(/\/console\/rules$/);
    expect(await page.getByRole("link", { name: "Tiếng lóng hàng giả" }).count()).toBe(1);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });

  it("tries an edited rule on the last captures, saves it, and the next evaluation uses it", async () => {
    await page.goto(`${platform.url}/console/rules/counterfeit.slang`);
    const phrases = page.getByLabel("Cụm từ", { exact: true });
    await phrases.fill(`${await phrases.inputValue()}\nhàng nhân bản`);
    await page.getByRole("button", { name: "Thử (không lưu)" }).click();
    await page.waitForURL(/\/preview$/);
    await expect
      .poll(() => page.getByRole("status").first().textContent())
      .toContain("Đã thử trên 25 tin gần nhất");
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.getByRole("button", { name: "Lưu quy tắc" }).click();
    await page.waitForURL(/\/console\/rules\/counterfeit\.slang\?saved=2$/);
    expect(await page.getByRole("status").textContent()).toContain("Đã lưu phiên bản 2");
    expect(await page.locator("tbody tr").count()).toBe(2);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    const res = await page.request.post(`${platform.url}/api/v1/evaluations`, {
      data: { item: { id: "e2e-1", kind: "listing", platform: "shopee", title: "Túi xách hàng nhân bản" } },
    });
    expect(res.status()).toBe(200);
    expect(await res.json()).toMatchObject({
      flagged: true,
      reasons: [{ rule: "counterfeit.slang", version: 2 }],
    });
  });

  it("re-evaluates the recent items after a rule edit: an item the edit now flags opens a case in the queue (issue 23)", async () => {
    const clean = await page.request.get(`${platform.url}/api/v1/evaluations?agency=none&limit=200`);
    const items = ((await clean.json()) as { items: { item: { id: string; title: string; kind: string } }[] })
      .items;
    const target = items.find((r) => r.item.kind === "listing");
    if (!target) throw new Error("no unflagged demo listing");
    const phrase = target.item.title.split(/\s+/).slice(0, 3).join(" ");

    await page.goto(`${platform.url}/console/rules/counterfeit.slang`);
    const phrases = page.getByLabel("Cụm từ", { exact: true });
    await phrases.fill(`${await phrases.inputValue()}\n${phrase}`);
    await page.getByRole("button", { name: "Thử (không lưu)" }).click();
    await page.waitForURL(/\/preview$/);
    await page.getByRole("button", { name: "Lưu quy tắc" }).click();
    await page.waitForURL(/\/console\/rules\/counterfeit\.slang\?saved=\d+$/);

    // The rules page tells the re-evaluation's progress, then its result.
    await expect
      .poll(
        async () => {
          await page.goto(`${platform.url}/console/rules`);
          return page.locator("#reevaluation").getAttribute("data-state");
        },
        { timeout: 30_000, interval: 500 },
      )
      .toBe("done");
    expect(await page.locator("#reevaluation").textContent()).toMatch(/[1-9]\d* tin mới bị gắn cờ/);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // The item changed state, and its case waits in the Công Thương queue.
    const after = await page.request.get(`${platform.url}/api/v1/evaluations?limit=200`);
    const flagged = ((await after.json()) as { items: { item: { id: string } }[] }).items;
    expect(flagged.map((r) => r.item.id)).toContain(target.item.id);
    await page.goto(`${platform.url}/console/cases`);
    expect(await page.locator(`tr[data-case="${target.item.id}"]`).count()).toBe(1);
  });

  it("lets a Health lead load the counterfeit-drug notice from its file, and the list flags a listing naming one", async () => {
    await page.getByRole("button", { name: "Đăng xuất", exact: true }).click();
    await signInAs(page, platform.url, "lead.yt@demo.pledgewatch.vn");
    await page.goto(`${platform.url}/console/rules/watch.counterfeit-drugs`);
    expect(await page.getByTestId("watchlist-source").textContent()).toContain("không nạp từ tệp");
    await page
      .getByLabel("Tệp danh sách")
      .setInputFiles(
        join(import.meta.dirname, "..", "fixtures", "flagging", "watchlists", "counterfeit-drugs.csv"),
      );
    await page.getByRole("button", { name: "Nạp danh sách" }).click();
    await page.waitForURL(/\/console\/rules\/watch\.counterfeit-drugs\?saved=2#watchlist$/);
    expect(await page.getByRole("status").textContent()).toContain("Đã lưu phiên bản 2");
    expect(await page.getByTestId("watchlist-source").textContent()).toContain(
      "“counterfeit-drugs.csv” (3 dòng)",
    );
    expect(await page.getByLabel(/Sản phẩm trong danh sách/).inputValue()).toContain("Paradol Extra |");
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    const res = await page.request.post(`${platform.url}/api/v1/evaluations`, {
      data: {
        item: {
          id: "e2e-watch-1",
          kind: "listing",
          platform: "facebook",
          title: "Siro ho Bảo Thanh Mẫu chai 125ml",
        },
      },
    });
    expect(res.status()).toBe(200);
    expect(await res.json()).toMatchObject({
      flagged: true,
      agency: "YT",
      reasons: [
        { rule: "watch.counterfeit-drugs", flagType: "counterfeit", evidence: "Siro ho Bảo Thanh Mẫu" },
      ],
    });
  });
});
