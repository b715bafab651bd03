import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  AdminAddUserToGroupCommand,
  AdminDisableUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminUpdateUserAttributesCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { freshTaxCode } from "../support/fixtures";
import { CookieClient } from "./harness/browser-less";
import { connect, type Deployment } from "./harness/deployment";
import { startHttpApi } from "./harness/http-api";
import type { LambdaEnvironment } from "./harness/lambda";
import {
  cognitoClient,
  createStaffUser,
  firstConsoleSignIn,
  type StaffUser,
  staffIdToken,
} from "./harness/staff";
import { totp } from "./harness/totp";

let deployment: Deployment;
let api: LambdaEnvironment;
let http: Awaited<ReturnType<typeof startHttpApi>>;

beforeAll(async () => {
  deployment = connect(inject("deployment"));
  api = await deployment.start("api");
  http = await startHttpApi(() => api);
});
afterAll(async () => {
  await http?.stop();
  await deployment?.stop();
});

const lead = {
  email: "lan.nguyen@soct.ninhbinh.gov.vn",
  name: "Nguyễn Thị Lan",
  group: "lead",
  agency: "CT",
  province: "37",
  temporaryPassword: "Tạm-thời-Lan-2026!",
  password: "Mật-khẩu-dài-2026!",
} as const;

/** A page's visible text, for messages. */
const textOf = (html: string) =>
  html
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ")
    .trim();

describe("the API bundle (functions/api.ts from cdk.out) behind the HTTP API", () => {
  it("answers its health check from the table the template gave it", async () => {
    const res = await fetch(`${http.url}/health`);
    expect(res.status, api.logs.join("\n")).toBe(200);
  });

  it("refuses an API call without credentials with a 401 JSON error", async () => {
    const res = await fetch(`${http.url}/api/v1/me`);
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe("unauthenticated");
  });

  it("walks a lead created as the runbook says through the first sign-in (new password, authenticator), asks the code ever after, and refuses them once disabled", async () => {
    const idp = cognitoClient(deployment.endpoints);
    const userPoolId = deployment.resource("PledgewatchStateful", "StaffUserPool");
    await createStaffUser(idp, userPoolId, lead);

    const browser = new CookieClient(http.url);
    const wrong = await browser.signIn(lead.email, "not the password");
    expect(wrong.status, textOf(await wrong.text()).slice(0, 2000)).toBe(401);

    // The temporary password asks for the user's own.
    const first = await browser.signIn(lead.email, lead.temporaryPassword);
    const newPasswordPage = await first.text();
    expect(first.status, api.logs.slice(-20).join("\n")).toBe(200);
    expect(newPasswordPage).toContain("Đặt mật khẩu mới");
    const mismatch = await browser.answerChallenge(newPasswordPage, {
      newPassword: lead.password,
      confirmPassword: `${lead.password}x`,
    });
    const mismatchPage = await mismatch.text();
    expect(mismatch.status).toBe(400);
    expect(mismatchPage).toContain("Hai mật khẩu không khớp.");
    const setup = await browser.answerChallenge(mismatchPage, {
      newPassword: lead.password,
      confirmPassword: lead.password,
    });
    const setupPage = await setup.text();

    // A lead must enrol an authenticator: its QR code and key, then a code from it.
    expect(setup.status, textOf(setupPage).slice(0, 1000)).toBe(200);
    expect(setupPage).toContain("Cài đặt ứng dụng xác thực");
    expect(setupPage).toMatch(/<img src="data:image\/png;base64,/);
    const secret = /<code id="totp-secret">([A-Z2-7]+)<\/code>/.exec(setupPage)?.[1] ?? "";
    expect(secret.length).toBeGreaterThanOrEqual(16);
    expect((await browser.request("/console")).status).toBe(303);
    const wrongCode = await browser.answerChallenge(setupPage, {
      code: totp(secret) === "000000" ? "111111" : "000000",
    });
    const wrongCodePage = await wrongCode.text();
    expect(wrongCode.status).toBe(400);
    expect(wrongCodePage).toContain("Mã không đúng");
    const enrolled = await browser.answerChallenge(wrongCodePage, { code: totp(secret) });
    expect(enrolled.status, textOf(await enrolled.clone().text()).slice(0, 1000)).toBe(303);
    expect(enrolled.headers.get("location")).toBe("/console");
    const home = await browser.request("/console");
    expect(home.status).toBe(200);
    expect(await home.text()).toContain(lead.name);

    // Signed out, the password alone opens nothing: the code is asked, and without it no session exists.
    const console = await (await browser.request("/console")).text();
    await browser.request("/sign-out", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ _csrf: CookieClient.field(console, "_csrf") }),
    });
    expect((await browser.request("/console")).status).toBe(303);
    const again = await browser.signIn(lead.email, lead.password);
    const codePage = await again.text();
    expect(again.status).toBe(200);
    expect(codePage).toContain("Nhập mã xác thực");
    expect(codePage).not.toContain(secret);
    expect((await browser.request("/console")).status).toBe(303);
    const signedIn = await browser.answerChallenge(codePage, { code: totp(secret) });
    expect(signedIn.status).toBe(303);
    expect((await browser.request("/console")).status).toBe(200);

    // Disabled in the pool: a new execution environment reads the user at once and ends the session; one
    // that read the user less than five minutes ago does so at its next recheck (unit-tested with a clock).
    await idp.send(new AdminDisableUserCommand({ UserPoolId: userPoolId, Username: lead.email }));
    const previous = api;
    api = await deployment.start("api");
    await previous.stop();
    const after = await browser.request("/console");
    expect(after.status).toBe(303);
    expect(after.headers.get("location")).toMatch(/^\/sign-in/);
    expect((await browser.signIn(lead.email, lead.password)).status).toBe(401);
    idp.destroy();
  });

  it("lists staff from the Cognito user pool, and follows it as the operator changes roles, provinces and accounts", async () => {
    const idp = cognitoClient(deployment.endpoints);
    const userPoolId = deployment.resource("PledgewatchStateful", "StaffUserPool");
    const person = (email: string, name: string, group: StaffUser["group"], province: string): StaffUser => ({
      email,
      name,
      group,
      // An office no other deployed test file uses: the files share one user pool and run in any order.
      agency: "VHTT",
      province,
      temporaryPassword: "Tạm-thời-CB-2026!",
      password: "Mật-khẩu-cán-bộ-2026!",
    });
    const head = person("truong.phong@sovhtt.ninhbinh.gov.vn", "Vũ Trưởng Phòng", "lead", "37");
    const reviewer = person("chuyen.vien@sovhtt.ninhbinh.gov.vn", "Phạm Chuyên Viên", "reviewer", "37");
    const elsewhere = person("can.bo@sovhtt.thanhhoa.gov.vn", "Đỗ Cán Bộ", "viewer", "38");
    for (const user of [head, reviewer, elsewhere]) await createStaffUser(idp, userPoolId, user);

    const browser = new CookieClient(http.url);
    await firstConsoleSignIn(browser, head);
    const rowsOf = async () => {
      const page = await (await browser.request("/console/staff")).text();
      return [
        ...page.matchAll(/<tr><td>([^<]+)<\/td><td>[^<]+<\/td><td>([^<]+)<\/td><td>([^<]+)<\/td><\/tr>/g),
      ]
        .map(([, name, role, status]) => `${name} · ${role} · ${status}`)
        .sort();
    };
    // Only the office's own staff: the CT users of the other tests (province 37 as well) are not listed.
    expect(await rowsOf()).toEqual([
      "Phạm Chuyên Viên · Xử lý · Đang hoạt động",
      "Vũ Trưởng Phòng · Lãnh đạo · Đang hoạt động",
    ]);

    // The operator makes the reviewer a lead, and moves the viewer of province 38 into 37 but disables them.
    await idp.send(
      new AdminRemoveUserFromGroupCommand({
        UserPoolId: userPoolId,
        Username: reviewer.email,
        GroupName: "reviewer",
      }),
    );
    await idp.send(
      new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: reviewer.email, GroupName: "lead" }),
    );
    await idp.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: userPoolId,
        Username: elsewhere.email,
        UserAttributes: [{ Name: "custom:province", Value: "37" }],
      }),
    );
    await idp.send(new AdminDisableUserCommand({ UserPoolId: userPoolId, Username: elsewhere.email }));
    // A new execution environment reads the pool at once (a warm one within five minutes, unit-tested).
    const previous = api;
    api = await deployment.start("api");
    await previous.stop();
    expect(await rowsOf()).toEqual([
      "Phạm Chuyên Viên · Lãnh đạo · Đang hoạt động",
      "Vũ Trưởng Phòng · Lãnh đạo · Đang hoạt động",
      "Đỗ Cán Bộ · Xem · Đã khóa",
    ]);
    idp.destroy();
  });

  it("imports a 15 MB workbook through S3, from the console's form and over the API, and answers 413 in Vietnamese on the direct path", async () => {
    const idp = cognitoClient(deployment.endpoints);
    const userPoolId = deployment.resource("PledgewatchStateful", "StaffUserPool");
    const clerk: StaffUser = {
      email: "nhap.lieu@soct.ninhbinh.gov.vn",
      name: "Hồ Nhập Liệu",
      group: "reviewer",
      agency: "CT",
      province: "37",
      temporaryPassword: "Tạm-thời-NL-2026!",
      password: "Mật-khẩu-nhập-liệu-2026!",
    };
    await createStaffUser(idp, userPoolId, clerk);
    idp.destroy();

    // A real workbook of 15 MB: three platforms, and a photo (incompressible) as offices' lists often carry.
    const workbook = async (names: string[]) => {
      const book = new ExcelJS.Workbook();
      const sheet = book.addWorksheet("Danh sách");
      sheet.addRow(["Tên", "Mã số thuế", "Tỉnh/thành"]);
      for (const name of names) sheet.addRow([name, freshTaxCode(7), "Ninh Bình"]);
      const photo = book.addImage({ buffer: randomBytes(15_000_000) as never, extension: "png" });
      sheet.addImage(photo, "E2:H12");
      return Buffer.from(await book.xlsx.writeBuffer());
    };
    const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    const fromConsole = await workbook(["Sàn Chợ Phố Núi", "Sàn Tràng An Mart", "Sàn Hoa Lư Online"]);
    expect(fromConsole.length).toBeGreaterThan(15_000_000);
    expect(fromConsole.length).toBeLessThanOrEqual(15 * 1024 * 1024);

    // The console: the page's form posts the file to S3, S3 sends the browser back, the preview follows.
    const browser = new CookieClient(http.url);
    await firstConsoleSignIn(browser, clerk);
    const page = await browser.request("/console/imports?group=ecommerce_platform");
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("tối đa 15 MB");
    const stored = await CookieClient.postToS3(
      html,
      new Blob([fromConsole], { type: XLSX }),
      "Danh sách sàn quý 4.xlsx",
    );
    expect(stored.status, await stored.clone().text()).toBe(303);
    const back = new URL(stored.headers.get("location") ?? "");
    expect(back.origin).toBe(deployment.environment("api").PUBLIC_BASE_URL);
    expect(back.pathname).toBe("/console/imports/uploaded");
    const previewed = await browser.request(`${back.pathname}${back.search}`);
    expect(previewed.status).toBe(303);
    const jobPath = previewed.headers.get("location") ?? "";
    expect(jobPath).toMatch(/^\/console\/imports\/[^/]+$/);
    const job = (await (await browser.request(`/api/v1/imports/${jobPath.split("/").pop()}`)).json()) as {
      counts: { rows: number; create: number };
      group: string;
      fileName: string;
    };
    expect(job.group).toBe("ecommerce_platform");
    // The clerk's own name for the file, which S3 put in the key, is the one the import list shows.
    expect(job.fileName).toBe("Danh sách sàn quý 4.xlsx");
    expect(job.counts).toMatchObject({ rows: 3, create: 3 });
    // The upload was read once and removed: the same return address finds nothing.
    const replay = await browser.request(`${back.pathname}${back.search}`);
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain("Không tìm thấy tệp vừa tải lên");

    // The API: ask for a form, post the file to S3 with it, then preview it by its key.
    // (A colleague with a script: the runbook's user, their token got as an operator's script gets one.)
    const token = await staffIdToken(deployment, {
      ...clerk,
      email: "tich.hop@soct.ninhbinh.gov.vn",
      name: "Lý Tích Hợp",
    });
    const bearer = { authorization: `Bearer ${token}`, "content-type": "application/json" };
    const offered = await fetch(`${http.url}/api/v1/uploads`, {
      method: "POST",
      headers: bearer,
      body: JSON.stringify({ purpose: "import" }),
    });
    expect(offered.status).toBe(201);
    const form = (await offered.json()) as {
      url: string;
      fields: Record<string, string>;
      key: string;
      maxBytes: number;
    };
    expect(form.maxBytes).toBe(15 * 1024 * 1024);
    const upload = new FormData();
    for (const [name, value] of Object.entries(form.fields)) upload.append(name, value);
    expect(form.key).toMatch(/^uploads\/import\/[0-9a-f-]{36}\/\$\{filename\}$/);
    upload.append(
      "file",
      new Blob([await workbook(["Sàn Cúc Phương Shop", "Sàn Tam Cốc Việt"])], { type: XLSX }),
      "san-2.xlsx",
    );
    expect((await fetch(form.url, { method: "POST", body: upload })).status).toBe(204);
    const storedKey = form.key.replace(`\${filename}`, "san-2.xlsx");
    // The upload is its caller's: the clerk, who did not ask for this form, finds nothing at its key, and
    // the file stays for its owner.
    const notTheirs = await browser.request(
      `/console/imports/uploaded?group=ecommerce_platform&key=${encodeURIComponent(storedKey)}`,
    );
    expect(notTheirs.status).toBe(400);
    const viaApi = await fetch(`${http.url}/api/v1/imports/uploaded`, {
      method: "POST",
      headers: bearer,
      body: JSON.stringify({ key: storedKey, group: "ecommerce_platform" }),
    });
    expect(viaApi.status).toBe(201);
    expect(await viaApi.json()).toMatchObject({ counts: { create: 2 }, fileName: "san-2.xlsx" });
    const again = await fetch(`${http.url}/api/v1/imports/uploaded`, {
      method: "POST",
      headers: bearer,
      body: JSON.stringify({ key: storedKey, group: "ecommerce_platform" }),
    });
    expect(again.status).toBe(404);

    // The direct path on AWS takes what fits in a Lambda request: a larger file gets a 413 in Vietnamese
    // that names the upload path (and over 6 MB with base64, API Gateway's own 413, never a 502).
    const direct = new FormData();
    direct.set("group", "ecommerce_platform");
    direct.set("file", new Blob([randomBytes(4 * 1024 * 1024 + 200_000)], { type: XLSX }), "lon.xlsx");
    const refused = await fetch(`${http.url}/api/v1/imports`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
      body: direct,
    });
    expect(refused.status).toBe(413);
    const error = ((await refused.json()) as { error: { code: string; message: string } }).error;
    expect(error.code).toBe("payload_too_large");
    expect(error.message).toContain("POST /api/v1/uploads");
    const huge = new FormData();
    huge.set("group", "ecommerce_platform");
    huge.set("file", new Blob([randomBytes(7 * 1024 * 1024)], { type: XLSX }), "rat-lon.xlsx");
    const gateway = await fetch(`${http.url}/api/v1/imports`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
      body: huge,
    });
    expect(gateway.status).toBe(413);
  });

  it("loads a regulator's watchlist from the console's form, through API Gateway's base64 body, as a Health lead (issue 23)", async () => {
    const healthLead: StaffUser = {
      email: "lanh.dao.duoc@soyt.ninhbinh.gov.vn",
      name: "Trần Dược Chính",
      group: "lead",
      agency: "YT",
      province: "37",
      temporaryPassword: "Tạm-thời-YT-2026!",
      password: "Danh-sách-thuốc-giả-2026!",
    };
    const idp = cognitoClient(deployment.endpoints);
    await createStaffUser(idp, deployment.resource("PledgewatchStateful", "StaffUserPool"), healthLead);
    idp.destroy();
    const browser = new CookieClient(http.url);
    await firstConsoleSignIn(browser, healthLead);
    const page = await (await browser.request("/console/rules/watch.counterfeit-drugs")).text();
    const form = new FormData();
    form.set("_csrf", CookieClient.field(page, "_csrf"));
    form.set("expectedVersion", CookieClient.field(page, "expectedVersion"));
    const csv = readFileSync(
      join(import.meta.dirname, "..", "fixtures", "flagging", "watchlists", "counterfeit-drugs.csv"),
    );
    form.set("file", new Blob([csv], { type: "text/csv" }), "thong-bao-thuoc-gia.csv");
    const loaded = await browser.request("/console/rules/watch.counterfeit-drugs/watchlist", {
      method: "POST",
      body: form,
    });
    expect(loaded.status, textOf(await loaded.clone().text()).slice(0, 300)).toBe(303);
    const after = await (await browser.request("/console/rules/watch.counterfeit-drugs")).text();
    expect(textOf(after)).toContain("nạp từ tệp “thong-bao-thuoc-gia.csv” (3 dòng)");
    const rule = (await (await browser.request("/api/v1/rules/watch.counterfeit-drugs")).json()) as {
      rule: { entries: { name: string }[]; source: { file: string; loadedBy: string } };
    };
    expect(rule.rule.entries.map((e) => e.name)).toContain("Paradol Extra");
    expect(rule.rule.source).toMatchObject({ file: "thong-bao-thuoc-gia.csv", loadedBy: healthLead.name });
  });
});
