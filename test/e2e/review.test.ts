import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { type Case, REVIEW_TICK_TASK, type ReviewReport } from "@pledgewatch/core";
import type { LocalPlatform } from "@pledgewatch/local";
import { foldText } from "@pledgewatch/rules";
import ExcelJS from "exceljs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  openMail,
  seriousAccessibilityViolations,
  signInAs,
  startPlatformAndBrowser,
} from "../support/browser";

const run = promisify(execFile);

// One case from flag to confirmed takedown, in a real browser: the demo marketplace is captured by the
// real pipeline (Chromium), the flagged listing of a pledged platform opens a case in Công Thương's queue,
// a reviewer confirms it, a lead approves, the platform answers on its token page, the listing goes, the
// re-capture confirms it and the case closes.
let platform: LocalPlatform;
let reviewer: Page;
let lead: Page;
let admin: Page;
let company: Page;
let stop: () => Promise<void>;
/** The case the first test walks to a confirmed takedown; the report test reports on it. */
let closedCase: Case | undefined;

beforeAll(async () => {
  let newPage: () => Promise<Page>;
  ({
    platform,
    page: reviewer,
    newPage,
    stop,
  } = await startPlatformAndBrowser(undefined, {
    scheduler: false,
    monitoring: { demoMarketPort: 0, dispatchSeconds: 3_600 },
  }));
  lead = await newPage();
  admin = await newPage();
  company = await newPage();
  await signInAs(reviewer, platform.url, "reviewer.ct@demo.pledgewatch.vn");
  await signInAs(lead, platform.url, "lead.ct@demo.pledgewatch.vn");
  await signInAs(admin, platform.url, "admin@demo.pledgewatch.vn");
}, 180_000);

afterAll(async () => {
  await stop?.();
});

/** The open case of a captured listing of the pledged demo platform, once the pipeline has made it. */
async function capturedCase(): Promise<Case> {
  let found: Case | undefined;
  await expect
    .poll(
      async () => {
        const res = await reviewer.request.get(`${platform.url}/api/v1/cases?state=open&platform=chopho`);
        const cases = ((await res.json()) as { items: Case[] }).items;
        found = cases.find((c) => c.party?.pledge && c.item.url?.includes("/san-pham/") && c.captureId);
        return Boolean(found);
      },
      { timeout: 120_000, interval: 1_000 },
    )
    .toBe(true);
  return found as Case;
}

describe("a case from flag to confirmed takedown", () => {
  it("walks the queue, the evidence view, confirmation, approval, the token page and the re-capture", async () => {
    const flagged = await capturedCase();
    expect(flagged).toMatchObject({ agency: "CT", routedBy: "listing", province: "37" });

    // The queue, ordered by priority; j moves to the first case, Enter would open it.
    await reviewer.goto(`${platform.url}/console/cases`);
    expect(await reviewer.locator("#queue tbody tr").count()).toBeGreaterThan(0);
    await reviewer.keyboard.press("j");
    expect(await reviewer.evaluate(() => document.activeElement?.className)).toBe("case-link");
    expect(await seriousAccessibilityViolations(reviewer)).toEqual([]);
    await reviewer.locator(`tr[data-case="${flagged.id}"] a.case-link`).click();
    await reviewer.waitForURL(new RegExp(`/console/cases/${flagged.id}$`));

    // The evidence view: the screenshot, the captured text with the rules' evidence highlighted.
    const shot = reviewer.locator("img.screenshot");
    await expect.poll(() => shot.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
    // The marks are the seller's own spelling ("f4ke", "R.E.P"); read as the rules read them.
    const marks = await reviewer.locator("mark").allTextContents();
    expect(foldText(marks.join(" "))).toMatch(/rep|fake|auth/);
    expect(await reviewer.getByRole("link", { name: flagged.party?.name ?? "" }).count()).toBe(1);
    expect(await seriousAccessibilityViolations(reviewer)).toEqual([]);

    // Claim (keyboard shortcut c), then confirm: the party has a current pledge, so a lead must approve.
    await reviewer.keyboard.press("c");
    await expect.poll(() => reviewer.locator("#case-state").textContent()).toBe("Đang xử lý");
    await reviewer.getByLabel("Loại vi phạm").selectOption("counterfeit");
    await reviewer.getByLabel("Ghi chú gửi nền tảng").fill("Đề nghị gỡ trong hạn.");
    await reviewer.getByRole("button", { name: "Xác nhận vi phạm" }).click();
    await expect.poll(() => reviewer.locator("#case-state").textContent()).toBe("Chờ phê duyệt");

    // The lead (a second person) approves.
    await lead.goto(`${platform.url}/console/cases/${flagged.id}`);
    await lead.getByRole("button", { name: "Phê duyệt", exact: true }).click();
    await expect.poll(() => lead.locator("#case-state").textContent()).toBe("Chờ gỡ bỏ");
    expect(await lead.locator("#takedown-state").textContent()).toBe("Đã gửi, chờ trả lời");
    expect(await seriousAccessibilityViolations(lead)).toEqual([]);

    // The platform's takedown contact gets the request with a single-use answer link.
    const mail = await openMail(admin, platform.url, "Yêu cầu gỡ bỏ");
    expect(mail).toContain(flagged.item.url ?? "");
    expect(mail).toContain("Đề nghị gỡ trong hạn.");
    const link = /http:\/\/[^\s]+\/takedown\/[A-Za-z0-9_-]+/.exec(mail)?.[0] ?? "";
    expect(link).not.toBe("");

    // The platform answers "removed" on the token page, and takes the listing down.
    await company.goto(link);
    expect(await company.getByRole("heading", { level: 1 }).textContent()).toBe(
      "Yêu cầu gỡ bỏ nội dung vi phạm",
    );
    expect(await seriousAccessibilityViolations(company)).toEqual([]);
    await company.getByLabel("Chúng tôi đã gỡ bỏ nội dung").check();
    await company.getByRole("button", { name: "Gửi trả lời" }).click();
    expect(await company.locator("#takedown-done").textContent()).toContain("Câu trả lời đã được ghi nhận");
    platform.demoMarket?.takeDown(new URL(flagged.item.url ?? "").pathname);
    // The link works once.
    await company.goto(link);
    expect(await company.locator("#takedown-form").count()).toBe(0);

    // The hourly tick re-captures the URL (the capture pipeline, Chromium), then reads the outcome.
    await expect
      .poll(
        async () => {
          await platform.runTask(REVIEW_TICK_TASK);
          const res = await reviewer.request.get(`${platform.url}/api/v1/cases/${flagged.id}`);
          return ((await res.json()) as { case: Case }).case.state;
        },
        { timeout: 90_000, interval: 500 },
      )
      .toBe("closed");

    await reviewer.goto(`${platform.url}/console/cases/${flagged.id}`);
    expect(await reviewer.locator("#case-state").textContent()).toBe("Đã đóng");
    expect(await reviewer.locator("#takedown-state").textContent()).toBe("Đã xác minh gỡ bỏ");
    const events = await reviewer
      .locator("#case-log tbody tr")
      .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-event")));
    expect(events).toEqual([
      "opened",
      ...events.slice(1, events.indexOf("claimed")),
      "claimed",
      "confirmation_proposed",
      "confirmed",
      "pledge_breached",
      "takedown_requested",
      "takedown_answered",
      "takedown_removal_confirmed",
    ]);
    expect(events.slice(1, events.indexOf("claimed")).every((e) => e === "merged")).toBe(true);
    expect(await seriousAccessibilityViolations(reviewer)).toEqual([]);

    // The pledge is marked breached.
    const pledge = await reviewer.request.get(
      `${platform.url}/api/v1/pledges/${flagged.party?.pledge?.documentCode ?? ""}`,
    );
    expect(((await pledge.json()) as { status: string }).status).toBe("breached");
    closedCase = flagged;
  });

  it("goes into a quick case report with its screenshot and into the week's campaign report", async () => {
    const done = closedCase;
    if (!done) throw new Error("the first test did not finish");
    const dir = mkdtempSync(join(tmpdir(), "pw-e2e-report-"));
    /** Waits for the newest report of a kind to be generated, and downloads a file of it. */
    async function fetchReport(kind: string, file: "pdf" | "xlsx"): Promise<string> {
      let id = "";
      await expect
        .poll(
          async () => {
            const res = await reviewer.request.get(`${platform.url}/api/v1/review/reports`);
            const items = ((await res.json()) as { items: ReviewReport[] }).items;
            const report = items.find((r) => r.kind === kind);
            id = report?.id ?? "";
            return report?.status;
          },
          { timeout: 60_000, interval: 500 },
        )
        .toBe("done");
      const body = await (
        await reviewer.request.get(`${platform.url}/console/review/reports/${id}/${file}`)
      ).body();
      const path = join(dir, `${kind}.${file}`);
      writeFileSync(path, body);
      return path;
    }

    // From the case page: the quick report, generated in the background, listed with its files.
    await reviewer.goto(`${platform.url}/console/cases/${done.id}`);
    await reviewer.getByRole("button", { name: "Lập báo cáo nhanh" }).click();
    await reviewer.waitForURL(/\/console\/review\/reports\?queued=1$/);
    expect(await reviewer.getByRole("status").textContent()).toContain("Báo cáo đang được lập");
    const quick = await fetchReport("case_quick", "pdf");
    const text = (await run("pdftotext", [quick, "-"])).stdout.replace(/\s+/g, " ");
    expect(text).toContain("BÁO CÁO NHANH VỤ VIỆC");
    expect(text).toContain(done.party?.name ?? "");
    expect(text).toContain("Kiểm tra lại: nội dung đã được gỡ bỏ");
    // The real capture's screenshot is the report's picture.
    const images = (await run("pdfimages", ["-list", quick])).stdout;
    expect(images.split("\n").filter((l) => /^\s*\d+\s+\d+\s+image /.test(l))).toHaveLength(1);

    // The week's campaign report, from the reports page; its takedown figures come from the case log.
    await reviewer.goto(`${platform.url}/console/review/reports`);
    expect(await seriousAccessibilityViolations(reviewer)).toEqual([]);
    await reviewer.locator("#form-campaign_weekly").getByRole("button", { name: "Lập báo cáo" }).click();
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(await fetchReport("campaign_weekly", "xlsx"));
    const figures = new Map<string, unknown>();
    book
      .getWorksheet("Tổng hợp")
      ?.eachRow((row) => figures.set(String(row.getCell(2).value), row.getCell(3).value));
    const detail = await reviewer.request.get(`${platform.url}/api/v1/cases/${done.id}`);
    const { log } = (await detail.json()) as { log: { event: { type: string } }[] };
    expect(log.some((e) => e.event.type === "takedown_removal_confirmed")).toBe(true);
    expect(figures.get("Hồ sơ kết luận có vi phạm")).toBeGreaterThanOrEqual(1);
    expect(figures.get("– Gỡ bỏ đúng hạn")).toBeGreaterThanOrEqual(1);
    expect(figures.get("Cam kết bị ghi nhận vi phạm")).toBeGreaterThanOrEqual(1);
    await reviewer.reload();
    expect(await reviewer.locator("#review-reports tbody tr").count()).toBeGreaterThanOrEqual(2);
  });
});
