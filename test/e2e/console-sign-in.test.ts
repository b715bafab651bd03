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

describe("staff console in a real browser", () => {
  it("sends an anonymous visitor to sign-in, signs a demo account in, and shows the console", async () => {
    await page.goto(`${platform.url}/console`);
    await expect.poll(() => new URL(page.url()).pathname).toBe("/sign-in");
    expect(await page.locator("html").getAttribute("lang")).toBe("vi");
    expect(await page.locator("h1").textContent()).toBe("Đăng nhập cán bộ");
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.getByLabel("Email công vụ").fill("lead.vhtt@demo.pledgewatch.vn");
    await page.getByLabel("Mật khẩu").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Đăng nhập" }).click();

    await page.waitForURL(`${platform.url}/console`);
    expect(await page.locator("h1").textContent()).toBe("Xin chào, Hoàng Thị Lan");
    expect(await page.getByTestId("agency").textContent()).toBe("Sở Văn hóa, Thể thao và Du lịch");
    expect(await page.getByTestId("role").textContent()).toBe("Lãnh đạo");
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });

  it("lists the demo parties of the staff member's agency and province", async () => {
    await page.getByRole("link", { name: "Đối tượng cam kết" }).click();
    await page.waitForURL(/\/console\/parties/);
    const rows = page.locator("tbody tr");
    expect(await rows.count()).toBeGreaterThan(10);
    const groups = await page.locator("tbody tr td:nth-child(2)").allTextContents();
    // VHTT owns press, media, advertisers, KOLs and public figures, never platforms or doctors.
    expect(groups.some((g) => g === "Sàn giao dịch thương mại điện tử" || g === "Y, bác sĩ")).toBe(false);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.getByLabel("Nhóm").selectOption("kol");
    await page.getByRole("button", { name: "Lọc" }).click();
    await page.waitForURL(/group=kol/);
    const kolGroups = new Set(await page.locator("tbody tr td:nth-child(2)").allTextContents());
    expect([...kolGroups]).toEqual(["Người có ảnh hưởng (KOL)"]);
  });

  it("switches to English and signs out", async () => {
    await page.getByRole("link", { name: "English" }).click();
    await page.waitForURL(/lang=en/);
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
    expect(await page.locator("h1").textContent()).toBe("Parties obliged to pledge");
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await page.waitForURL(/\/sign-in/);
    await page.goto(`${platform.url}/console`);
    await expect.poll(() => new URL(page.url()).pathname).toBe("/sign-in");
  });
});

describe("the accessibility check itself", () => {
  it("reports a serious violation when there is one", async () => {
    const scratch = await browser.newPage();
    await scratch.setContent(
      '<html lang="vi"><body><main><input type="text"><img src="x.png"></main></body></html>',
    );
    const ids = (await seriousAccessibilityViolations(scratch)).map((v) => v.id);
    expect(ids).toEqual(expect.arrayContaining(["label", "image-alt"]));
    await scratch.close();
  });
});
