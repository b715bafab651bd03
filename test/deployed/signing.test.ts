import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { freshTaxCode } from "../support/fixtures";
import { CookieClient } from "./harness/browser-less";
import { connect, type Deployment } from "./harness/deployment";
import { startHttpApi } from "./harness/http-api";
import type { LambdaEnvironment } from "./harness/lambda";
import { staffIdToken } from "./harness/staff";

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

interface StoredMail {
  to?: string;
  destination?: { to?: string[] };
  subject?: string;
  body?: { text?: string; html?: string };
}

/** What the SES stand-in received, newest last. */
async function sentMail(): Promise<StoredMail[]> {
  const res = await fetch(`${deployment.endpoints.AWS_ENDPOINT_URL_SESV2}/store`);
  const { emails } = (await res.json()) as { emails: StoredMail[] };
  return emails;
}

describe("pledge signing through the API bundle, with SES", () => {
  it("invites a party: the e-mail goes out through SES with the public site's link, which opens the signing page, and the e-mailed code checks in", async () => {
    const reviewer = {
      email: "hoa.le@soct.ninhbinh.gov.vn",
      name: "Lê Thị Hoa",
      group: "reviewer",
      agency: "CT",
      province: "37",
      password: "Mời-ký-cam-kết-2026",
    } as const;
    const token = await staffIdToken(deployment, reviewer);
    const headers = {
      authorization: `Bearer ${token}`,
      "content-type": "application/json",
    };

    const partyEmail = "phapche@hoalu-shop.example.vn";
    const created = await fetch(`${http.url}/api/v1/parties`, {
      method: "POST",
      headers,
      body: JSON.stringify({
        name: "Công ty TNHH Thương mại điện tử Hoa Lư",
        group: "ecommerce_platform",
        provinces: ["37"],
        taxCode: freshTaxCode(),
        contacts: [{ name: "Phạm Văn Đức", title: "Trưởng phòng pháp chế", email: partyEmail }],
      }),
    });
    const createdBody = await created.clone().text();
    expect(created.status, createdBody).toBe(201);
    const party = (await created.json()) as { id: string };
    const invited = await fetch(`${http.url}/api/v1/parties/${party.id}/invitations`, {
      method: "POST",
      headers,
    });
    expect(invited.status, api.logs.slice(-5).join("\n")).toBe(201);

    const mail = (await sentMail()).filter((m) => JSON.stringify(m).includes(partyEmail));
    expect(mail).toHaveLength(1);
    const text = JSON.stringify(mail[0]);
    expect(text).toContain("Mời ký cam kết");
    const link = /https:\/\/camket\.example\.gov\.vn(\/sign\/[\w-]+)/.exec(text);
    expect(link?.[1]).toBeDefined();

    const path = link?.[1] ?? "";
    const signer = new CookieClient(http.url);
    const page = await signer.request(path);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toMatch(/Ký bản cam kết Quý/);

    // The one-time code goes out through SES too, and checks in.
    const form = (fields: Record<string, string>) => ({
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields),
    });
    const asked = await signer.request(`${path}/code`, form({ _csrf: CookieClient.field(html, "_csrf") }));
    expect(asked.status).toBe(200);
    const askedPage = await asked.text();
    expect(askedPage).toContain("Đã gửi mã đến");
    const codeMail = (await sentMail()).filter((m) => JSON.stringify(m).includes(partyEmail)).at(-1);
    expect(JSON.stringify(codeMail)).toContain("Mã xác thực ký cam kết");
    const code = /\b(\d{6})\b/.exec(JSON.stringify(codeMail?.subject ?? codeMail))?.[1] ?? "";
    expect(code).toMatch(/^\d{6}$/);
    const wrong = await signer.request(
      `${path}/verify`,
      form({ _csrf: CookieClient.field(askedPage, "_csrf"), code: code === "000000" ? "111111" : "000000" }),
    );
    expect(wrong.status).toBe(400);
    const verified = await signer.request(
      `${path}/verify`,
      form({ _csrf: CookieClient.field(askedPage, "_csrf"), code }),
    );
    expect(verified.status).toBe(303);
    const ready = await signer.request(path);
    expect(await ready.text()).toContain("Đã xác thực email.");
  });
});
