import { DEMO_PASSWORD, type LocalPlatform } from "@pledgewatch/local";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seriousAccessibilityViolations, startPlatformAndBrowser } from "../support/browser";

let platform: LocalPlatform;
let browser: Browser;
let page: Page;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ platform, browser, page, stop } = await startPlatformAndBrowser());
});

afterAll(async () => {
  await stop?.();
});

describe("coverage dashboard in a real browser", () => {
  it("shows the demo pledges as coverage with server-drawn charts, drills down and reminds in one click", async () => {
    expect(browser.isConnected()).toBe(true);
    await page.goto(`${platform.url}/sign-in`);
    await page.getByLabel("Email công vụ").fill("reviewer.vhtt@demo.pledgewatch.vn");
    await page.getByLabel("Mật khẩu").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Đăng nhập" }).click();
    await page.waitForURL(`${platform.url}/console`);

    await page.getByRole("link", { name: "Tỷ lệ ký" }).click();
    await page.waitForURL(/\/console\/coverage$/);
    // Two demo pledges of VHTT in Ninh Bình (a press office and a KOL): the charts and the table say so.
    const charts = page.locator("svg.chart");
    expect(await charts.count()).toBe(2);
    expect(await charts.first().locator("rect.track").count()).toBeGreaterThan(0);
    const agencyRow = page.locator("table").first().locator("tbody tr").first();
    expect(await agencyRow.locator("td").nth(1).textContent()).toBe("2");
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await agencyRow.locator("td").nth(2).getByRole("link").click();
    await page.waitForURL(/\/console\/coverage\/unsigned/);
    const rows = page.locator("tbody tr");
    expect(await rows.count()).toBeGreaterThan(10);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    const name = await rows.first().locator("td").first().textContent();
    await rows.first().getByRole("button", { name: "Nhắc ký" }).click();
    await page.waitForURL(/done=(invited|reminded)/);
    expect(await page.getByRole("status").textContent()).toMatch(/Đã gửi/);
    expect(name).toBeTruthy();
  });
});
