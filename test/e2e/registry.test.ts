import { readFileSync } from "node:fs";
import type { LocalPlatform } from "@pledgewatch/local";
import { readTable } from "@pledgewatch/sheets";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seriousAccessibilityViolations, signInAs, startPlatformAndBrowser } from "../support/browser";
import { freshTaxCode } from "../support/fixtures";

let platform: LocalPlatform;
let page: Page;
let stop: () => Promise<void>;
let newPage: Awaited<ReturnType<typeof startPlatformAndBrowser>>["newPage"];

beforeAll(async () => {
  ({ platform, page, stop, newPage } = await startPlatformAndBrowser());
  await signInAs(page, platform.url, "reviewer.ct@demo.pledgewatch.vn");
});

afterAll(async () => {
  await stop?.();
});

const goodCode = freshTaxCode(11);
const otherCode = freshTaxCode(12);
const csv = (code: string) =>
  Buffer.from(
    `Tên (*),Mã số thuế (*),Tỉnh/thành (*),Email\nCông ty Cổ phần Thương mại Điện tử Hoa Lư,${goodCode},Ninh Bình,hoalu@example.vn\nCông ty TNHH Sàn Tràng An,${code},Ninh Bình,trangan@example.vn\n`,
  );

async function uploadFile(content: Buffer) {
  await page.goto(`${platform.url}/console/imports`);
  await page.getByLabel("Nhóm đối tượng trong tệp").selectOption("ecommerce_platform");
  await page
    .getByLabel("Tệp XLSX hoặc CSV (tối đa 10 MB)")
    .setInputFiles({ name: "san-tmdt.csv", mimeType: "text/csv", buffer: content });
  await page.getByRole("button", { name: "Tải lên và xem trước" }).click();
  await page.waitForURL(/\/console\/imports\/[\w-]+$/);
}

describe("the party registry in a real browser", () => {
  it("imports a file, shows its errors by row and column, and commits the corrected file", async () => {
    await uploadFile(csv("0106773787"));
    const errors = page.getByTestId("import-errors");
    expect(await errors.locator("tbody tr").count()).toBe(1);
    expect(await errors.locator("tbody tr td").allTextContents()).toEqual([
      "3",
      "Mã số thuế (*)",
      "Mã số thuế sai số kiểm tra",
    ]);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await uploadFile(csv(otherCode));
    expect(await page.getByTestId("import-errors").count()).toBe(0);
    expect(await page.getByTestId("count-create").textContent()).toBe("2");
    await page.getByRole("button", { name: "Nhập 2 dòng hợp lệ" }).click();
    await expect
      .poll(async () => page.getByTestId("import-status").textContent(), { timeout: 20_000 })
      .toContain("Đã nhập");
  });

  it("finds a party without diacritics, and shows its history", async () => {
    await page.goto(`${platform.url}/console/parties`);
    await page.getByLabel("Tìm theo tên hoặc mã định danh").fill("thuong mai dien tu hoa lu");
    await page.getByRole("button", { name: "Lọc" }).click();
    await page.waitForURL(/q=/);
    const names = await page.locator("tbody tr td:first-child").allTextContents();
    expect(names).toEqual(["Công ty Cổ phần Thương mại Điện tử Hoa Lư"]);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.getByRole("link", { name: "Công ty Cổ phần Thương mại Điện tử Hoa Lư" }).click();
    await page.waitForURL(/\/console\/parties\/[\w-]+$/);
    expect(
      await page.locator("#history-heading ~ table tbody tr td:nth-child(3)").first().textContent(),
    ).toContain("Tạo qua nhập tệp");
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });

  it("exports the filtered list to a file that reads back with the imported rows", async () => {
    await page.goto(`${platform.url}/console/parties?q=hoa+lu`);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Xuất Excel (XLSX)" }).click(),
    ]);
    const path = await download.path();
    const table = await readTable(new Uint8Array(readFileSync(path)));
    if (!table.ok) throw new Error(table.error);
    expect(table.headers).toContain("Mã số thuế");
    expect(table.rows.map((r) => r.cells[1])).toContain("Công ty Cổ phần Thương mại Điện tử Hoa Lư");
    expect(table.rows.map((r) => r.cells[5])).toContain(goodCode);
  });
});

/** The computed box and border of an input, to compare a URL or number field with a text field. */
async function inputStyle(locator: Locator) {
  return locator.evaluate((el) => {
    const style = getComputedStyle(el);
    return {
      width: Math.round(el.getBoundingClientRect().width),
      height: Math.round(el.getBoundingClientRect().height),
      padding: style.padding,
      border: `${style.borderTopWidth} ${style.borderTopStyle} ${style.borderTopColor}`,
      fontSize: style.fontSize,
    };
  });
}

describe("console layout (issue 24)", () => {
  it("styles URL and number fields like the text fields (monitoring, renewal settings, queue filters)", async () => {
    await page.goto(`${platform.url}/console/monitoring`);
    const text = await inputStyle(page.locator("#f-t-label"));
    expect(text.padding).toBe("8px");
    expect(text.width).toBeGreaterThan(200);
    for (const id of ["#f-capture-url", "#f-t-url", "#f-t-pageLimit"]) {
      expect(await inputStyle(page.locator(id)), id).toEqual(text);
    }

    await page.goto(`${platform.url}/console/coverage/settings`);
    const due = await inputStyle(page.getByLabel("Hạn ký (ngày thứ mấy của quý)", { exact: false }));
    expect(due.padding).toBe("8px");
    expect(due.border).toBe(text.border);
    expect(due.width).toBeGreaterThan(200);
    expect(await inputStyle(page.locator("#graceDays"))).toEqual(due);

    await page.goto(`${platform.url}/console/cases`);
    const platformFilter = await inputStyle(page.locator('input[name="platform"]'));
    for (const name of ["minAgeDays", "maxAgeDays"]) {
      const age = await inputStyle(page.locator(`input[name="${name}"]`));
      expect(age.padding, name).toBe(platformFilter.padding);
      expect(age.border, name).toBe(platformFilter.border);
      expect(age.height, name).toBe(platformFilter.height);
      expect(age.fontSize, name).toBe(platformFilter.fontSize);
      // Wide enough for a few digits and the spin buttons.
      expect(age.width, name).toBeGreaterThanOrEqual(100);
    }
  });
});

/** How many lines a cell's text takes (distinct tops of the rectangles of its text). */
async function textLines(cell: Locator): Promise<number> {
  return cell.evaluate((el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const tops = new Set(
      [...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)),
    );
    return tops.size;
  });
}

/**
 * The page does not scroll sideways, and every cell of the first rows, the last column's included, is on
 * the screen without scrolling anything sideways, each with its column's name.
 */
async function expectEveryColumnOnScreen(phone: Page) {
  const screen = await phone.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(screen.scrollWidth, "the page itself is not wider than the screen").toBeLessThanOrEqual(
    screen.innerWidth,
  );
  const columns = await phone.locator("table thead th").allTextContents();
  for (const row of (await phone.locator("table tbody tr").all()).slice(0, 3)) {
    const cells = await row.locator("td").all();
    expect(cells).toHaveLength(columns.length);
    for (const [i, cell] of cells.entries()) {
      const box = await cell.boundingBox();
      if (!box) throw new Error("cell not rendered");
      expect(box.x, `${columns[i]}: left edge`).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width, `${columns[i]}: right edge`).toBeLessThanOrEqual(screen.innerWidth);
    }
    for (const [i, cell] of cells.entries()) expect(await cell.getAttribute("data-label")).toBe(columns[i]);
  }
}

describe("registry layout (issue 24, item 14)", () => {
  it("keeps tax codes and document codes on one line", async () => {
    await page.goto(`${platform.url}/console/parties?group=ecommerce_platform`);
    const taxCodes = page.locator("tbody tr td:nth-child(3)");
    expect(await taxCodes.count()).toBeGreaterThan(0);
    for (const taxCode of await taxCodes.all()) {
      expect((await taxCode.textContent())?.trim()).toMatch(/^\d{10}(-\d{3})?$/);
      expect(await textLines(taxCode), (await taxCode.textContent()) ?? "").toBe(1);
    }

    await page.goto(`${platform.url}/registry`);
    const codes = page.locator('tbody a[href^="/verify/"]');
    expect(await codes.count()).toBeGreaterThan(0);
    for (const code of await codes.all()) {
      expect(await textLines(code), (await code.textContent()) ?? "").toBe(1);
    }
  });

  it("shows a phone every column of the registries, as cards, without the page overflowing", async () => {
    const phone = await newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await signInAs(phone, platform.url, "viewer.ct@demo.pledgewatch.vn");
    await phone.goto(`${platform.url}/console/parties`);
    expect(await phone.locator("tbody tr").count()).toBeGreaterThan(0);
    await expectEveryColumnOnScreen(phone);
    await phone.goto(`${platform.url}/registry`);
    expect(await phone.locator("tbody tr").count()).toBeGreaterThan(0);
    await expectEveryColumnOnScreen(phone);
  });

  it("links to the API documentation for staff only", async () => {
    const visitor = await newPage();
    for (const path of [
      "/registry",
      "/verify",
      "/tips",
      "/tips/track",
      `/sign/${"a".repeat(43)}`,
      "/sign-in",
    ]) {
      await visitor.goto(`${platform.url}${path}`);
      expect(await visitor.locator('a[href^="/api/docs"]').count(), path).toBe(0);
      expect(await visitor.getByText("Tài liệu API").count(), path).toBe(0);
    }
    await page.goto(`${platform.url}/console`);
    expect(await page.locator('a[href="/api/docs"]').count()).toBe(1);
  });
});
