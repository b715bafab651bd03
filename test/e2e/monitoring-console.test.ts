import { FASHION_SHOP } from "@pledgewatch/demo-market";
import type { LocalPlatform } from "@pledgewatch/local";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seriousAccessibilityViolations, signInAs, startPlatformAndBrowser } from "../support/browser";

// The monitoring console in a real browser, on the platform `npm start` runs with capture on: the demo
// marketplace, seeded targets, the dispatcher, Chromium. Each page is checked with axe.
let platform: LocalPlatform;
let page: Page;
let newPage: Awaited<ReturnType<typeof startPlatformAndBrowser>>["newPage"];
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ platform, page, newPage, stop } = await startPlatformAndBrowser(undefined, {
    monitoring: { demoMarketPort: 0, dispatchSeconds: 1 },
  }));
  await signInAs(page, platform.url, "reviewer.ct@demo.pledgewatch.vn");
});

afterAll(async () => {
  await stop?.();
});

describe("the monitoring console in a real browser", () => {
  it("lists the seeded targets and shows a scheduled capture's evidence", async () => {
    expect(platform.demoTargets).toBeGreaterThan(0);
    await page.getByRole("link", { name: "Giám sát" }).first().click();
    await page.waitForURL(/\/console\/monitoring$/);
    // Công Thương's reviewer sees Công Thương's targets only (the KOL feed belongs to VHTT).
    const targets = page.getByTestId("targets");
    await expect.poll(() => targets.locator("tbody tr").count()).toBeGreaterThan(0);
    expect(await targets.textContent()).not.toContain("/kol/");
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // The dispatcher captures the due targets; the list links to the last capture once it is done.
    await expect
      .poll(
        async () => {
          await page.reload();
          return targets.getByRole("link", { name: /Thành công/ }).count();
        },
        { timeout: 60_000, interval: 1_000 },
      )
      .toBeGreaterThan(0);
    await targets
      .getByRole("link", { name: /Thành công/ })
      .first()
      .click();
    await page.waitForURL(/\/console\/monitoring\/captures\//);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Chứng cứ thu thập");
    const screenshot = page.getByRole("img", { name: /Ảnh chụp trang 1/ });
    expect(await screenshot.isVisible()).toBe(true);
    // The screenshot is served from the write-once store and is a real, decoded image.
    // (It may load lazily: brought into view, then waited for.)
    await screenshot.scrollIntoViewIfNeeded();
    await expect
      .poll(() => screenshot.evaluate((img: HTMLImageElement) => img.naturalWidth), { timeout: 15_000 })
      .toBeGreaterThan(100);
    expect(await page.getByText("manifest.json").count()).toBeGreaterThan(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.goto(`${platform.url}/console/monitoring/items`);
    expect(await page.locator("tbody tr").count()).toBeGreaterThan(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });

  it("captures a URL on demand and offers its certificate; refuses a metadata address in Vietnamese", async () => {
    const market = platform.demoMarket?.url ?? "";
    await page.goto(`${platform.url}/console/monitoring`);
    const product = `${market}/san-pham/${FASHION_SHOP.products[0]?.slug}`;
    await page.getByLabel("Đường dẫn", { exact: true }).first().fill(product);
    await page.getByRole("button", { name: "Thu thập", exact: true }).click();
    // The job page reloads itself until the capture is done, then becomes the evidence page.
    await page.waitForURL(/\/console\/monitoring\/jobs\//);
    await page.waitForURL(/\/console\/monitoring\/captures\//, { timeout: 60_000 }).catch(async (error) => {
      throw new Error(`${error}: ${await page.locator("main").textContent()}`);
    });
    expect(await page.getByText("Theo yêu cầu").count()).toBeGreaterThan(0);
    const certificate = page.getByRole("link", { name: "Tải giấy chứng nhận thu thập (PDF)" });
    const response = await page.request.get(
      new URL((await certificate.getAttribute("href")) ?? "", page.url()).href,
    );
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toBe("application/pdf");
    expect((await response.body()).subarray(0, 5).toString()).toBe("%PDF-");
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.goto(`${platform.url}/console/monitoring`);
    await page
      .getByLabel("Đường dẫn", { exact: true })
      .first()
      .fill("http://169.254.169.254/latest/meta-data/");
    await page.getByRole("button", { name: "Thu thập", exact: true }).click();
    // Accepted as a job, refused by the worker before any request leaves: the job page says why.
    await page.waitForURL(/\/console\/monitoring\/jobs\//);
    await expect
      .poll(async () => (await page.locator("main").textContent()) ?? "", {
        timeout: 30_000,
        interval: 500,
      })
      .toContain("Thu thập không thành công");
    expect(await page.getByRole("alert").textContent()).toContain("trỏ tới địa chỉ nội bộ");
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });

  it("says so when the same URL is already being captured", async () => {
    const never = `${platform.demoMarket?.url}/cham-mai`;
    const submit = async () => {
      await page.goto(`${platform.url}/console/monitoring`);
      await page.getByLabel("Đường dẫn", { exact: true }).first().fill(never);
      await page.getByRole("button", { name: "Thu thập", exact: true }).click();
      await page.waitForLoadState();
    };
    await submit();
    expect(page.url()).toMatch(/\/console\/monitoring\/jobs\//);
    // The page never finishes loading, so its job is still in flight: a second request is refused kindly.
    await submit();
    expect(page.url()).toMatch(/\/console\/monitoring\/captures$/);
    expect(await page.getByText("Đường dẫn này đang được thu thập trong một lần khác").count()).toBe(1);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });

  it("shows the dead-letter page to an admin only", async () => {
    const res = await page.request.get(`${platform.url}/console/monitoring/dead-letters`, {
      maxRedirects: 0,
    });
    expect(res.status()).toBe(403);
    const admin = await newPage();
    await signInAs(admin, platform.url, "admin@demo.pledgewatch.vn");
    await admin.goto(`${platform.url}/console/monitoring/dead-letters`);
    expect(await admin.getByRole("heading", { level: 1 }).textContent()).toBe("Tác vụ lỗi");
    expect(await seriousAccessibilityViolations(admin)).toEqual([]);
  });
});
