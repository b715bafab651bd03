import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { LocalPlatform } from "@pledgewatch/local";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  openMail as openMailAs,
  seriousAccessibilityViolations,
  signInAs,
  startPlatformAndBrowser,
} from "../support/browser";

const run = promisify(execFile);

let platform: LocalPlatform;
let staff: Page;
let admin: Page;
let signer: Page;
let stop: () => Promise<void>;

const signIn = (page: Page, email: string) => signInAs(page, platform.url, email);
/** The newest outbox message whose subject contains `subject`, opened in the admin's browser. */
const openMail = (subject: string) => openMailAs(admin, platform.url, subject);

beforeAll(async () => {
  let newPage: (options?: object) => Promise<Page>;
  ({ platform, page: staff, newPage, stop } = await startPlatformAndBrowser());
  admin = await newPage();
  // The signer is on a phone: small screen, touch, mobile user agent.
  signer = await newPage({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    userAgent:
      "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Mobile Safari/537.36",
  });
  await signIn(staff, "reviewer.ct@demo.pledgewatch.vn");
  await signIn(admin, "admin@demo.pledgewatch.vn");
});

afterAll(async () => {
  await stop?.();
});

describe("signing a pledge on a phone", () => {
  it("invites, verifies the code from the outbox, signs with a drawn signature and gets a sealed PDF", async () => {
    // Staff invite a national platform from its page; they never see the link.
    await staff.goto(`${platform.url}/console/parties?group=ecommerce_platform`);
    await staff.getByRole("link", { name: "Công ty TNHH Shopee" }).click();
    await staff.getByRole("button", { name: /Gửi lời mời ký cam kết/ }).click();
    await staff.waitForURL(/pledge=invited/);
    expect(await staff.getByTestId("invitation-status").first().textContent()).toBe("Đang chờ ký");
    expect(await staff.content()).not.toContain("/sign/");

    const invitation = await openMail("Mời ký cam kết");
    const link = /http:\/\/\S+\/sign\/[\w-]+/.exec(invitation)?.[0];
    expect(link).toBeDefined();

    await signer.goto(link ?? "");
    expect(await signer.getByRole("heading", { level: 1 }).textContent()).toMatch(/^Ký bản cam kết Quý/);
    expect(await signer.getByText("BẢN CAM KẾT").count()).toBeGreaterThan(0);
    expect(await seriousAccessibilityViolations(signer)).toEqual([]);
    // No placeholder left unformatted anywhere on the page (issue 24, item 10).
    expect(await signer.locator("main").textContent()).not.toMatch(/\{\w+\}/);
    expect(await signer.locator("#f-code-hint").textContent()).toBe("Mã gồm 6 chữ số, có hiệu lực 10 phút.");
    await signer.getByRole("button", { name: "Gửi mã xác thực" }).click();
    await signer.getByText(/Đã gửi mã đến/).waitFor();
    // Back on the phone's screen: the confirmation and the code field, focused (issue 24, item 11).
    const onScreen = (selector: string) =>
      signer.locator(selector).evaluate((el) => {
        const r = el.getBoundingClientRect();
        return r.top >= 0 && r.bottom <= window.innerHeight;
      });
    expect(await onScreen("#f-code")).toBe(true);
    expect(await onScreen("#next-step [role=status]")).toBe(true);
    await expect.poll(() => signer.evaluate(() => document.activeElement?.id)).toBe("f-code");
    expect(await signer.evaluate(() => window.scrollY)).toBeGreaterThan(0);
    expect(await signer.locator("main").textContent()).not.toMatch(/\{\w+\}/);

    await openMail("Mã xác thực ký cam kết");
    const subject = (await admin.getByRole("heading", { level: 1 }).textContent()) ?? "";
    const code = /(\d{6})/.exec(subject)?.[1] ?? "";
    expect(code).toMatch(/^\d{6}$/);
    await signer.getByLabel("Mã xác thực (6 chữ số)").fill(code);
    await signer.getByRole("button", { name: "Xác thực", exact: true }).click();
    await signer.getByText("Đã xác thực email.").waitFor();
    expect(await seriousAccessibilityViolations(signer)).toEqual([]);

    await signer.getByLabel("Họ và tên người ký").fill("Nguyễn Thị Hồng Nhung");
    await signer.getByLabel("Chức vụ, chức danh").fill("Giám đốc pháp chế");
    expect(await signer.locator("textarea").count()).toBe(2);
    await signer
      .locator("textarea[name='declarations.sellerObligations']")
      .fill("Mọi người bán ký cam kết chất lượng trước khi mở gian hàng.");
    await signer
      .locator("textarea[name='declarations.violationTools']")
      .fill("Bộ lọc từ khóa, nhận diện hình ảnh và đội kiểm duyệt 24/7.");
    await signer.locator("input[name='declarations.takedownContactName']").fill("Trần Văn Bình");
    await signer.locator("input[name='declarations.takedownContactEmail']").fill("gokhoi@example.vn");
    await signer.locator("input[name='declarations.takedownContactPhone']").fill("0912 345 678");
    await signer.locator("input[name='declarations.takedownResponseHours']").fill("24");
    await signer.getByLabel("Gõ họ và tên để ký").fill("Nguyễn Thị Hồng Nhung");

    // A drawn signature: a stroke across the pad.
    const pad = signer.locator("#signature-pad");
    await pad.scrollIntoViewIfNeeded();
    const box = await pad.boundingBox();
    if (!box) throw new Error("no signature pad");
    await signer.mouse.move(box.x + 20, box.y + box.height * 0.7);
    await signer.mouse.down();
    for (let i = 1; i <= 20; i++) {
      await signer.mouse.move(
        box.x + 20 + (i * (box.width - 40)) / 20,
        box.y + box.height * (0.3 + 0.4 * (i % 2)),
      );
    }
    await signer.mouse.up();
    await signer.getByLabel(/Tôi đã đọc, hiểu và cam kết/).check();
    await signer.getByLabel(/Tôi đã đọc Thông báo xử lý dữ liệu cá nhân/).check();
    // A double tap on submit still signs once.
    await signer.getByRole("button", { name: "Ký và gửi cam kết" }).dblclick();
    await signer.getByRole("heading", { name: "Đã ký cam kết" }).waitFor({ timeout: 30_000 });

    const [download] = await Promise.all([
      signer.waitForEvent("download"),
      signer.getByRole("link", { name: "Tải bản cam kết (PDF)" }).click(),
    ]);
    const dir = mkdtempSync(join(tmpdir(), "pw-e2e-"));
    const file = join(dir, "signed.pdf");
    await download.saveAs(file);

    const text = (await run("pdftotext", ["-enc", "UTF-8", file, "-"])).stdout.normalize("NFC");
    expect(text).toContain("Nguyễn Thị Hồng Nhung");
    expect(text).toContain("Công ty TNHH Shopee");
    const verified = await run("pdfsig", [file]);
    expect(verified.stdout).toContain("Signature is Valid");
    await run("qpdf", ["--check", file]);

    // One byte changed inside the signed content: the seal no longer holds.
    const bytes = readFileSync(file);
    const at = bytes.indexOf("/Producer");
    bytes[at + 2] = bytes[at + 2] === 0x72 ? 0x52 : 0x72;
    const tampered = join(dir, "tampered.pdf");
    writeFileSync(tampered, bytes);
    const broken = await run("pdfsig", [tampered]).then(
      (r) => r.stdout,
      (e: { stdout?: string }) => e.stdout ?? "",
    );
    expect(broken).not.toContain("Signature is Valid");
    expect(broken).toMatch(/Signature is Invalid|Digest Mismatch|not valid/i);

    // The public check: the original file is ours and unchanged; the tampered one is not.
    await signer.goto(`${platform.url}/verify`);
    await signer.getByLabel("Tệp PDF (tối đa 20 MB)").setInputFiles(file);
    await signer.getByRole("button", { name: "Kiểm tra tệp" }).click();
    expect(await signer.getByTestId("verify-message").textContent()).toContain("chưa bị thay đổi");
    expect(await signer.getByTestId("verify-status").textContent()).toBe("Còn hiệu lực");
    await signer.getByLabel("Tệp PDF (tối đa 20 MB)").setInputFiles(tampered);
    await signer.getByRole("button", { name: "Kiểm tra tệp" }).click();
    expect(await signer.getByTestId("verify-message").textContent()).toContain("đã bị thay đổi");

    // Staff see exactly one signed pledge, downloadable from the console.
    await staff.reload();
    expect(await staff.getByTestId("pledge-status").count()).toBe(1);
    expect(await staff.getByTestId("pledge-status").first().textContent()).toBe("Còn hiệu lực");
  });

  it("lists the pledge in the public registry and answers a code lookup", async () => {
    await signer.goto(`${platform.url}/registry?family=platform`);
    expect(await signer.getByRole("cell", { name: /Công ty TNHH Shopee/ }).count()).toBe(1);
    expect(await seriousAccessibilityViolations(signer)).toEqual([]);
    await signer.getByRole("link", { name: /^CK-/ }).first().click();
    expect(await signer.getByTestId("verify-status").textContent()).toBe("Còn hiệu lực");
    expect(await seriousAccessibilityViolations(signer)).toEqual([]);
  });
});
