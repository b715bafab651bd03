import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { PutSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SQSClient } from "@aws-sdk/client-sqs";
import { generateAuthorityCredentials } from "@pledgewatch/documents";
import { PDFDocument } from "pdf-lib";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { freshTaxCode } from "../support/fixtures";
import { PLATFORM_SIGN_FORM } from "../support/signing";
import { CookieClient } from "./harness/browser-less";
import { connect, type Deployment } from "./harness/deployment";
import { startHttpApi } from "./harness/http-api";
import type { LambdaEnvironment } from "./harness/lambda";
import { pollOnce } from "./harness/sqs-poller";
import { staffIdToken } from "./harness/staff";
import { CREDENTIALS, REGION } from "./harness/stand-ins";

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

const client = <T>(Client: new (config: object) => T, endpoint: string | undefined) =>
  new Client({ region: REGION, endpoint, credentials: CREDENTIALS, forcePathStyle: true });

/** `pdfsig`'s report of a PDF (poppler-utils, as the README's check of a sealed pledge). */
function pdfsig(pdf: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), "pledgewatch-pdfsig-"));
  try {
    const file = join(dir, "pledge.pdf");
    writeFileSync(file, pdf);
    return execFileSync("pdfsig", [file], { encoding: "utf8" });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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
      temporaryPassword: "Tạm-thời-Hoa-2026!",
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
    const formPage = await ready.text();
    expect(formPage).toContain("Đã xác thực email.");

    const declarations = Object.fromEntries(
      Object.entries(PLATFORM_SIGN_FORM.declarations).map(([key, value]) => [`declarations.${key}`, value]),
    );
    const signForm = () =>
      form({
        _csrf: CookieClient.field(formPage, "_csrf"),
        signerName: PLATFORM_SIGN_FORM.signerName,
        signerTitle: PLATFORM_SIGN_FORM.signerTitle,
        typedSignature: PLATFORM_SIGN_FORM.typedSignature,
        consent: "yes",
        privacyConsent: "yes",
        ...declarations,
      });
    const s3 = client(S3Client, deployment.endpoints.AWS_ENDPOINT_URL_S3);
    const bucket = deployment.resource("PledgewatchStateful", "DocumentsBucket");
    const storedKeys = async () =>
      ((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []).map((o) => o.Key ?? "");
    const keysBefore = await storedKeys();

    // Before the operator stores the certificate, the secret holds CloudFormation's placeholder: signing
    // fails, nothing is stored, and the signer may try again.
    const early = await signer.request(path, signForm());
    expect(early.status).toBe(500);
    expect(api.logs.join("\n")).toMatch(/is not JSON/);
    expect(await storedKeys()).toEqual(keysBefore);

    // The operator stores the issuing authority's sealing certificate, as the README's runbook says: the
    // stack output names the secret, put-secret-value stores {"p12Base64", "passphrase"}.
    const authority = await generateAuthorityCredentials({
      commonName: "Sở Công Thương tỉnh Ninh Bình",
      organization: "Ủy ban nhân dân tỉnh Ninh Bình",
      province: "Ninh Bình",
    });
    const secrets = client(SecretsManagerClient, deployment.endpoints.AWS_ENDPOINT_URL_SECRETS_MANAGER);
    await secrets.send(
      new PutSecretValueCommand({
        SecretId: deployment.output("PledgewatchStateful", "SealCredentialsSecretName"),
        SecretString: JSON.stringify({
          p12Base64: Buffer.from(authority.p12).toString("base64"),
          passphrase: authority.passphrase,
        }),
      }),
    );
    secrets.destroy();

    // Sign: the API bundle renders, seals and stores the PDF in the documents bucket.
    const signed = await signer.request(path, signForm());
    expect(signed.status, api.logs.slice(-5).join("\n")).toBe(303);
    const done = await (await signer.request(path)).text();
    expect(done).toContain("Đã ký cam kết");
    const documentCode = /CK-\d{4}Q\d-[0-9A-Z]{8}/.exec(done)?.[0] ?? "";
    expect(documentCode).not.toBe("");

    const keys = await storedKeys();
    const key = keys.find((k) => k.includes(documentCode)) ?? "";
    expect(key, JSON.stringify(keys)).not.toBe("");
    // New in the bucket: the sealed pledge, and the signing's audit event checkpointed beside it (write-once).
    const added = keys.filter((k) => !keysBefore.includes(k));
    expect(added.filter((k) => !k.startsWith("audit-anchors/"))).toEqual([key]);
    expect(added.filter((k) => k.startsWith("audit-anchors/"))).toHaveLength(1);
    const stored = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    expect(stored.ContentType).toBe("application/pdf");
    const pdf = await (stored.Body?.transformToByteArray() ?? Promise.resolve(new Uint8Array()));
    const report = pdfsig(pdf);
    expect(report).toContain("Signature is Valid");
    expect(report).toContain("Sở Công Thương tỉnh Ninh Bình");

    // The signer's download is the stored file.
    const download = await signer.request(`${path}/document`);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(Buffer.from(pdf))).toBe(true);

    // The signed copy goes out from the jobs bundle, which takes the task off the jobs queue.
    const sqs = client(SQSClient, deployment.endpoints.AWS_ENDPOINT_URL_SQS);
    const jobs = await deployment.start("jobs");
    const jobsQueue = {
      url: deployment.resource("PledgewatchStateful", "JobsQueue"),
      arn: deployment.resource("PledgewatchStateful", "JobsQueue", "Arn"),
    };
    let copy: StoredMail | undefined;
    for (let attempt = 0; attempt < 10 && !copy; attempt++) {
      await pollOnce(sqs, jobsQueue, jobs, 10);
      copy = (await sentMail()).find(
        (m) => JSON.stringify(m).includes(partyEmail) && JSON.stringify(m).includes("Bản cam kết đã ký"),
      );
    }
    sqs.destroy();
    expect(copy, jobs.logs.slice(-5).join("\n")).toBeDefined();
    expect(JSON.stringify(copy)).toContain(documentCode);

    // Anyone can check the file at /verify. On AWS its form posts the PDF straight to S3 (a presigned POST
    // whose policy binds the key, the type and the size), and S3 sends the browser back to the site, where
    // the function reads the file from S3 once: no request to the function carries the file.
    const visitor = new CookieClient(http.url);
    const verifyWith = async (file: Blob, name: string) => {
      const page = await visitor.request("/verify");
      const html = await page.text();
      expect(page.headers.get("content-security-policy")).toContain(
        `form-action 'self' ${deployment.endpoints.AWS_ENDPOINT_URL_S3}`,
      );
      const stored = await CookieClient.postToS3(html, file, name);
      expect(stored.status, await stored.clone().text()).toBe(303);
      const back = new URL(stored.headers.get("location") ?? "");
      expect(back.origin).toBe(deployment.environment("api").PUBLIC_BASE_URL);
      expect(back.pathname).toBe("/verify/uploaded");
      return {
        res: await visitor.request(`${back.pathname}${back.search}`),
        again: `${back.pathname}${back.search}`,
      };
    };
    const verdict = await verifyWith(
      new Blob([Buffer.from(pdf)], { type: "application/pdf" }),
      `${documentCode}.pdf`,
    );
    expect(verdict.res.status).toBe(200);
    const verdictPage = await verdict.res.text();
    expect(verdictPage).toContain("Tệp này là bản cam kết do hệ thống cấp và chưa bị thay đổi.");
    expect(verdictPage).toContain(documentCode);
    // Each upload is read once: the same return address finds nothing the second time.
    const replay = await visitor.request(verdict.again);
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain("Vui lòng chọn một tệp PDF.");

    // One byte changed inside the signed range (the binary comment after the header) is told apart.
    const tampered = Buffer.from(pdf);
    tampered[11] = (tampered[11] ?? 0) ^ 0x01;
    const altered = await verifyWith(new Blob([tampered], { type: "application/pdf" }), "altered.pdf");
    expect(await altered.res.text()).toContain("nội dung đã bị thay đổi sau khi ký");

    // A 20 MB PDF goes the same way (no Lambda payload near it) and is checked: it carries no signature.
    const large = await PDFDocument.create();
    large.addPage();
    await large.attach(randomBytes(19_900_000), "du-lieu.bin", { mimeType: "application/octet-stream" });
    const largeBytes = await large.save();
    expect(largeBytes.length).toBeGreaterThan(19_900_000);
    expect(largeBytes.length).toBeLessThanOrEqual(20 * 1024 * 1024);
    const largeVerdict = await verifyWith(
      new Blob([Buffer.from(largeBytes)], { type: "application/pdf" }),
      "lon.pdf",
    );
    expect(largeVerdict.res.status).toBe(200);
    expect(await largeVerdict.res.text()).toContain("Tệp không có chữ ký số");
    // S3 itself refuses what the policy does not allow: over 20 MiB, or another type.
    const verifyForm = await (await visitor.request("/verify")).text();
    const over = await CookieClient.postToS3(
      verifyForm,
      new Blob([randomBytes(20 * 1024 * 1024 + 1)], { type: "application/pdf" }),
      "qua-lon.pdf",
    );
    expect(over.status).toBe(400);
    expect(await over.text()).toContain("EntityTooLarge");
    const wrongType = await CookieClient.postToS3(
      verifyForm,
      new Blob(["<html>"], { type: "text/html" }),
      "a.html",
      {
        "Content-Type": "text/html",
      },
    );
    expect(wrongType.status).toBe(403);

    // The direct path takes what fits in a Lambda request: a larger file sent with the request is answered
    // by the function with a 413 in Vietnamese that points to the form (over 6 MB with base64, API Gateway
    // answers 413 itself, never a 502).
    const direct = new FormData();
    direct.set(
      "file",
      new Blob([randomBytes(4 * 1024 * 1024 + 200_000)], { type: "application/pdf" }),
      "thang.pdf",
    );
    const refused = await visitor.request("/verify", { method: "POST", body: direct });
    expect(refused.status).toBe(413);
    expect(await refused.text()).toContain("Tệp lớn hơn 4 MB không gửi kèm yêu cầu được");
    const gateway = new FormData();
    gateway.set("file", new Blob([randomBytes(5 * 1024 * 1024)], { type: "application/pdf" }), "thang.pdf");
    expect((await visitor.request("/verify", { method: "POST", body: gateway })).status).toBe(413);
    s3.destroy();
  });
});
