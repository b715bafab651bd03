import type { LocalPlatform } from "@pledgewatch/local";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seriousAccessibilityViolations, signInAs, startPlatformAndBrowser } from "../support/browser";

// A public tip in a real browser, on the platform `npm start` runs with capture on (the demo marketplace,
// Chromium, the in-process queue): the form from the public pages, a refusal, the tracking page following
// the tip until its evidence is kept. Each page is checked with axe.
let platform: LocalPlatform;
let page: Page;
let newPage: () => Promise<Page>;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ platform, page, newPage, stop } = await startPlatformAndBrowser(undefined, {
    monitoring: { demoMarketPort: 0, dispatchSeconds: 60, seedTargets: false },
  }));
});

afterAll(async () => {
  await stop?.();
});

async function fillForm(url: string) {
  await page.getByLabel("Đường dẫn (URL) của trang").fill(url);
  await page.getByLabel("Công dụng sức khỏe sai sự thật").check();
  await page
    .getByLabel("Mô tả thêm (không bắt buộc)")
    .fill("Quảng cáo trà chữa khỏi mỡ máu <script>alert(1)</script>");
  await page.getByLabel("E-mail hoặc số điện thoại (không bắt buộc)").fill("nguoi.dan@example.vn");
  await page.getByLabel("Tỉnh/thành phố").selectOption("37");
  // A contact is left: the privacy notice's consent is asked for (issue 19, item 8).
  await page.getByLabel(/Tôi đã đọc Thông báo xử lý dữ liệu cá nhân/).check();
}

describe("a public tip in a real browser", () => {
  it("goes from the public form to its tracking page, which follows the capture", async () => {
    const market = platform.demoMarket?.url;
    expect(market).toBeTruthy();
    const tipped = `${market}/san-pham/tra-giam-can-b`;

    // Linked from the public pages, no sign-in.
    await page.goto(`${platform.url}/verify`);
    await page.getByRole("link", { name: "Phản ánh vi phạm" }).first().click();
    await page.waitForURL(/\/tips$/);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Phản ánh vi phạm");
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // Sent the moment the form loaded: refused, in Vietnamese, with the values kept. The form's token
    // is replaced by one issued just now, so a slow machine (axe above, filling) cannot make it old
    // enough to pass.
    await fillForm(tipped);
    await page.evaluate(async () => {
      const fresh = (await (await fetch("/api/v1/tips/form-token")).json()) as { formToken: string };
      const field = document.querySelector<HTMLInputElement>('input[name="formToken"]');
      if (!field) throw new Error("the tip form has no formToken field");
      field.value = fresh.formToken;
    });
    await page.getByRole("button", { name: "Gửi phản ánh" }).click();
    await page.waitForLoadState();
    expect(await page.getByTestId("tip-refusal").textContent()).toContain("Bạn gửi quá nhanh");
    expect(await page.getByLabel("Đường dẫn (URL) của trang").inputValue()).toBe(tipped);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // A person takes a few seconds: accepted, and the tracking page shows the code.
    await page.waitForTimeout(3_500);
    await page.getByRole("button", { name: "Gửi phản ánh" }).click();
    await page.waitForURL(/\/tips\/track\?code=/);
    expect(await page.getByTestId("tip-received").textContent()).toContain("Đã nhận phản ánh");
    const code = (await page.getByTestId("tip-code").textContent())?.trim() ?? "";
    expect(code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // The capture runs in the background; the page shows the evidence kept once it has.
    await expect
      .poll(
        async () => {
          await page.reload();
          return page.getByTestId("tip-status").getAttribute("data-status");
        },
        { timeout: 60_000, interval: 1_000 },
      )
      .toBe("evidence_captured");
    expect(await page.getByTestId("tip-status").textContent()).toBe("Đã lưu chứng cứ, chờ xem xét");
    // Only the safe facts: no note, no reviewer, not the tipster's contact.
    const card = (await page.getByTestId("tip-status-card").textContent()) ?? "";
    expect(card).not.toContain("nguoi.dan@example.vn");
    expect(card).not.toContain("Quảng cáo trà");

    // Looked up again by the code, typed in lower case.
    await page.goto(`${platform.url}/tips/track`);
    await page.getByLabel("Mã theo dõi").fill(code.toLowerCase());
    await page.getByRole("button", { name: "Xem tình trạng" }).click();
    await page.waitForURL(/\/tips\/track\?code=/);
    expect(await page.getByTestId("tip-code").textContent()).toBe(code);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // The privacy notice the form links to.
    await page.goto(`${platform.url}/tips`);
    await page.getByRole("link", { name: "Đọc Thông báo xử lý dữ liệu cá nhân" }).click();
    await page.waitForURL(/\/privacy/);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(
      "Thông báo xử lý dữ liệu cá nhân",
    );
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // The tipster asks Y tế to delete their contact: a reviewer records it, the clock shows, a lead
    // answers, and the tip's contact is gone.
    const reviewer = await newPage();
    await signInAs(reviewer, platform.url, "reviewer.yt@demo.pledgewatch.vn");
    await reviewer.getByRole("link", { name: "Yêu cầu dữ liệu cá nhân" }).click();
    await reviewer.waitForURL(/\/console\/data-requests$/);
    await reviewer.getByLabel("Loại yêu cầu").selectOption("deletion");
    await reviewer.getByLabel("Nhận qua").selectOption("online");
    await reviewer.getByLabel("Họ tên người yêu cầu").fill("Người dân phản ánh");
    await reviewer.getByLabel("Liên hệ để trả lời").fill("nguoi.dan@example.vn");
    await reviewer.getByLabel("Mã theo dõi phản ánh (nếu yêu cầu về một phản ánh)").fill(code);
    await reviewer.getByRole("button", { name: "Ghi nhận yêu cầu" }).click();
    await reviewer.waitForURL(/\/console\/data-requests\/[\w-]+$/);
    expect(await reviewer.locator(".clock").first().textContent()).toMatch(
      /^Hạn phản hồi lần đầu: .* \(còn /,
    );
    expect(await seriousAccessibilityViolations(reviewer)).toEqual([]);
    await reviewer
      .getByLabel("Nội dung đã phản hồi cho người yêu cầu")
      .fill("Đã nhận, sẽ xóa trong 15 ngày.");
    await reviewer.getByRole("button", { name: "Ghi nhận phản hồi" }).click();
    await reviewer.waitForLoadState();
    expect(await reviewer.locator("#request-state").textContent()).toBe("Đang giải quyết");
    expect(await reviewer.getByText("Chỉ lãnh đạo đơn vị trả lời yêu cầu.").count()).toBe(1);
    const requestUrl = reviewer.url();

    const lead = await newPage();
    await signInAs(lead, platform.url, "lead.yt@demo.pledgewatch.vn");
    await lead.goto(requestUrl);
    await lead.getByLabel("Đã đáp ứng").check();
    await lead.getByLabel("Nội dung trả lời").fill("Đã xóa thông tin liên hệ của bạn.");
    await lead.getByRole("button", { name: "Gửi trả lời" }).click();
    await lead.waitForLoadState();
    expect(await lead.locator("#request-state").textContent()).toBe("Đã trả lời");
    expect(await lead.getByText(/Đã xóa liên hệ và mã địa chỉ của người phản ánh/).count()).toBe(1);
    expect(await seriousAccessibilityViolations(lead)).toEqual([]);
  });
});

/** The vertical extent of an element's box. */
async function verticalBox(locator: Locator): Promise<{ top: number; bottom: number }> {
  const box = await locator.boundingBox();
  if (!box) throw new Error("not rendered");
  return { top: box.y, bottom: box.y + box.height };
}

describe("the tip form's layout (issue 24)", () => {
  const CATEGORIES: [value: string, text: string][] = [
    ["counterfeit", "Hàng giả, hàng nhái"],
    ["smuggled", "Hàng nhập lậu, không rõ nguồn gốc"],
    ["health_claim", "Công dụng sức khỏe sai sự thật"],
    ["false_advertising", "Quảng cáo sai sự thật"],
    ["other", "Khác"],
  ];

  it("puts each category's radio on the line of its own text, and a click on the text picks that option", async () => {
    await page.goto(`${platform.url}/tips`);
    expect(await page.locator('input[type=radio][name="category"]').count()).toBe(CATEGORIES.length);
    for (const [value, text] of CATEGORIES) {
      const radio = page.locator(`input[type=radio][name="category"][value="${value}"]`);
      const label = page.locator("label", { has: radio });
      const own = await verticalBox(label.getByText(text, { exact: true }));
      const control = await verticalBox(radio);
      // The radio lies within its own text's line, not nearer another option's.
      expect(control.top, `${value}: radio top`).toBeGreaterThanOrEqual(own.top - 1);
      expect(control.bottom, `${value}: radio bottom`).toBeLessThanOrEqual(own.bottom + 1);
      // Its accessible name is its own option.
      expect(await page.getByRole("radio", { name: text, exact: true }).getAttribute("value")).toBe(value);
    }
    for (const [value, text] of [...CATEGORIES].reverse()) {
      await page.getByText(text, { exact: true }).click();
      const checked = await page.locator('input[name="category"]:checked').getAttribute("value");
      expect(checked, `clicking "${text}"`).toBe(value);
    }
  });

  it("styles the URL field like the text fields", async () => {
    await page.goto(`${platform.url}/tips`);
    const style = (id: string) =>
      page.locator(id).evaluate((el) => {
        const s = getComputedStyle(el);
        return {
          width: Math.round(el.getBoundingClientRect().width),
          padding: s.padding,
          border: `${s.borderTopWidth} ${s.borderTopStyle} ${s.borderTopColor}`,
          fontSize: s.fontSize,
        };
      });
    const contact = await style("#f-contact");
    expect(contact.padding).toBe("8px");
    expect(await style("#f-url")).toEqual(contact);
  });
});
