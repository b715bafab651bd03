import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { DEMO_PASSWORD, type LocalPlatformOptions } from "@pledgewatch/local";
import chromium from "@sparticuz/chromium";
import { type Browser, type BrowserContextOptions, type Page, chromium as playwright } from "playwright-core";

/** Headless Chromium from @sparticuz/chromium: the same build the capture Lambda uses, installed by npm. */
export async function launchBrowser(): Promise<Browser> {
  return playwright.launch({
    executablePath: await chromium.executablePath(),
    args: [
      ...chromium.args,
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
    ],
    headless: true,
  });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** Runs axe-core in the page (through the DevTools protocol, so the page's CSP stays as it is). */
export async function seriousAccessibilityViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run: (ctx: Document, opts: object) => Promise<{ violations: AxeViolation[] }> };
      }
    ).axe;
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target })),
    }));
  });
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}

/**
 * The whole platform (DynamoDB Local in memory, demo data, HTTP server on a free port) and a browser page,
 * for one end-to-end test file. Call `stop` in afterAll.
 */
export async function startPlatformAndBrowser(
  viewport = { width: 1280, height: 900 },
  options: Partial<LocalPlatformOptions> = {},
) {
  const { startLocalPlatform } = await import("@pledgewatch/local");
  const { silentLogger } = await import("./platform");
  const platform = await startLocalPlatform({
    port: 0,
    host: "127.0.0.1",
    sessionTtlSeconds: 3600,
    logger: silentLogger,
    ...options,
  });
  const browser = await launchBrowser();
  const page = await (await browser.newContext({ viewport, acceptDownloads: true })).newPage();
  /** Another browser context (its own cookies): a second person, or a phone. */
  const newPage = async (options: BrowserContextOptions = {}) =>
    (await browser.newContext({ acceptDownloads: true, ...options })).newPage();
  return {
    platform,
    browser,
    page,
    newPage,
    async stop() {
      await browser.close();
      await platform.stop();
    },
  };
}

/** Signs a demo staff member in through the form, in this page's browser context. */
export async function signInAs(page: Page, baseUrl: string, email: string) {
  await page.goto(`${baseUrl}/sign-in`);
  await page.getByLabel("Email công vụ").fill(email);
  await page.getByLabel("Mật khẩu").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await page.waitForURL(`${baseUrl}/console`);
}

/** The newest outbox message whose subject contains `subject`, opened in an admin's page. */
export async function openMail(admin: Page, baseUrl: string, subject: string) {
  await admin.goto(`${baseUrl}/console/outbox`);
  await admin.getByRole("link", { name: subject }).first().click();
  return (await admin.getByTestId("mail-body").textContent()) ?? "";
}
