import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SESv2Client, SendEmailCommand } from "@aws-sdk/client-sesv2";
import { ConflictError, InvalidError, type OutgoingEmail, UnavailableError } from "@pledgewatch/core";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { createS3DocumentStore } from "./s3-document-store";
import { createSecretSealCredentials } from "./secret-seal-credentials";
import { createSesMailer } from "./ses-mailer";

const s3 = new S3Client({ region: "ap-southeast-1" });
const s3Mock = mockClient(s3);
const ses = new SESv2Client({ region: "ap-southeast-1" });
const sesMock = mockClient(ses);
const secrets = new SecretsManagerClient({ region: "ap-southeast-1" });
const secretsMock = mockClient(secrets);

function awsError(name: string, httpStatusCode: number, extra: Record<string, unknown> = {}) {
  return Object.assign(new Error(name), { name, $metadata: { httpStatusCode }, ...extra });
}

/** What a promise rejected with (fails the test if it resolved). */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (error: unknown) => error as Error,
  );
}

/** A GetObject body: what the SDK's stream mixin offers, reduced to what the adapter calls. */
function body(bytes: Uint8Array) {
  return { transformToByteArray: async () => bytes } as never;
}

beforeEach(() => {
  s3Mock.reset();
  sesMock.reset();
  secretsMock.reset();
});

describe("S3 document store", () => {
  const store = createS3DocumentStore(s3, "documents-bucket");
  const pdf = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x37]);

  it("puts write-once: If-None-Match *, a SHA-256 checksum, the content type, the bucket's own encryption", async () => {
    s3Mock.on(PutObjectCommand).resolves({});
    await store.put("pledges/p-1/signed.pdf", pdf, "application/pdf");
    const [call] = s3Mock.commandCalls(PutObjectCommand);
    const input = call?.args[0].input;
    expect(input).toMatchObject({
      Bucket: "documents-bucket",
      Key: "pledges/p-1/signed.pdf",
      Body: pdf,
      ContentType: "application/pdf",
      ChecksumAlgorithm: "SHA256",
      IfNoneMatch: "*",
    });
    expect(input).not.toHaveProperty("ServerSideEncryption");
  });

  it("turns a failed precondition (the key is taken) into a conflict, keeping the cause", async () => {
    s3Mock.on(PutObjectCommand).rejects(awsError("PreconditionFailed", 412));
    const error = await store.put("k", pdf, "application/pdf").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).cause).toMatchObject({ name: "PreconditionFailed" });
  });

  it("turns throttling and server errors into 'unavailable'", async () => {
    s3Mock
      .on(PutObjectCommand)
      .rejectsOnce(awsError("SlowDown", 503))
      .rejectsOnce(awsError("InternalError", 500));
    await expect(store.put("k", pdf, "application/pdf")).rejects.toBeInstanceOf(UnavailableError);
    await expect(store.put("k", pdf, "application/pdf")).rejects.toBeInstanceOf(UnavailableError);
  });

  it("gets the bytes, asking S3 to verify the checksum", async () => {
    s3Mock.on(GetObjectCommand).resolves({ Body: body(pdf) });
    expect(await store.get("k")).toEqual(pdf);
    expect(s3Mock.commandCalls(GetObjectCommand)[0]?.args[0].input).toMatchObject({
      Bucket: "documents-bucket",
      Key: "k",
      ChecksumMode: "ENABLED",
    });
  });

  it("gets null for an absent key, 'unavailable' when S3 is busy", async () => {
    s3Mock
      .on(GetObjectCommand)
      .rejectsOnce(awsError("NoSuchKey", 404))
      .rejectsOnce(awsError("SlowDown", 503));
    expect(await store.get("missing")).toBeNull();
    await expect(store.get("k")).rejects.toBeInstanceOf(UnavailableError);
  });
});

// ---- MIME decoding, just enough to read back what the mailer builds --------------------------------------

interface MimePart {
  headers: Map<string, string>;
  body: string;
}

/** Splits header block and body; unfolds headers (CRLF + whitespace), names lowercased. */
function parsePart(raw: string): MimePart {
  const split = raw.indexOf("\r\n\r\n");
  const head = raw.slice(0, split).replace(/\r\n[ \t]/g, " ");
  const headers = new Map<string, string>();
  for (const line of head.split("\r\n")) {
    const colon = line.indexOf(":");
    headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body: raw.slice(split + 4) };
}

/** RFC 2047 "B" words, joined (whitespace between adjacent encoded-words is dropped). */
function decodeEncodedWords(value: string): string {
  const words = [...value.matchAll(/=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=/g)].map((m) => m[1] ?? "");
  expect(value.replace(/=\?UTF-8\?B\?[A-Za-z0-9+/=]*\?=/g, "").trim()).toBe("");
  return Buffer.concat(words.map((w) => Buffer.from(w, "base64"))).toString("utf8");
}

/** RFC 2231 filename (single or in sections) from a Content-Disposition value. */
function decodeFilename(disposition: string): string {
  const plain = /filename="([^"]*)"/.exec(disposition);
  if (plain) return plain[1] ?? "";
  const sections = [...disposition.matchAll(/filename\*(?:(\d+)\*)?=([^;\s]+)/g)]
    .sort((a, b) => Number(a[1] ?? 0) - Number(b[1] ?? 0))
    .map((m) => m[2] ?? "");
  const joined = sections.join("");
  expect(joined.startsWith("UTF-8''")).toBe(true);
  return decodeURIComponent(joined.slice("UTF-8''".length));
}

function decodeBase64Body(part: MimePart): Buffer {
  const lines = part.body.trimEnd().split("\r\n");
  for (const line of lines) expect(line.length).toBeLessThanOrEqual(76);
  return Buffer.from(lines.join(""), "base64");
}

function parseMultipart(raw: string): { headers: Map<string, string>; parts: MimePart[] } {
  const message = parsePart(raw);
  const boundary = /boundary="([^"]+)"/.exec(message.headers.get("content-type") ?? "")?.[1];
  if (!boundary) throw new Error("no boundary");
  const closing = message.body.indexOf(`\r\n--${boundary}--`);
  expect(closing).toBeGreaterThan(0);
  const parts = message.body
    .slice(0, closing)
    .split(`--${boundary}\r\n`)
    .slice(1)
    .map((part) => parsePart(part.replace(/\r\n$/, "")));
  return { headers: message.headers, parts };
}

describe("SES mailer", () => {
  const mailer = createSesMailer(ses, {
    from: "no-reply@pledgewatch.example.gov.vn",
    configurationSet: "pw",
  });
  const subject = "Bản cam kết đã ký của Công ty TNHH Thương mại Hà Nội — số 37/2026/CK-QLTT";
  const text = "Kính gửi Quý công ty,\nĐính kèm là bản cam kết đã được ký số.\n\nTrân trọng.";

  function sentInput() {
    const [call] = sesMock.commandCalls(SendEmailCommand);
    if (!call) throw new Error("nothing sent");
    return call.args[0].input;
  }

  it("sends a message without attachments as Simple content, UTF-8, through the configuration set", async () => {
    sesMock.on(SendEmailCommand).resolves({ MessageId: "m-1" });
    await mailer.send({ to: "a@example.vn", subject, text, kind: "invitation" });
    expect(sentInput()).toEqual({
      FromEmailAddress: "no-reply@pledgewatch.example.gov.vn",
      Destination: { ToAddresses: ["a@example.vn"] },
      ConfigurationSetName: "pw",
      EmailTags: [{ Name: "kind", Value: "invitation" }],
      Content: {
        Simple: {
          Subject: { Data: subject, Charset: "UTF-8" },
          Body: { Text: { Data: text, Charset: "UTF-8" } },
        },
      },
    });
  });

  it("sends a message with attachments as a raw MIME message that decodes back to the original", async () => {
    sesMock.on(SendEmailCommand).resolves({ MessageId: "m-2" });
    const pdf = new Uint8Array(5000).map((_, i) => (i * 37) % 256);
    const filename = "Bản cam kết đã ký — Công ty TNHH Thương mại Hà Nội (số 37-2026).pdf";
    const xml = new TextEncoder().encode("<a/>");
    await mailer.send({
      to: "a@example.vn",
      subject,
      text,
      kind: "signed_copy",
      partyId: "p-1",
      attachments: [
        { filename, contentType: "application/pdf", content: pdf },
        { filename: "evidence.xml", contentType: "application/xml", content: xml },
      ],
    });
    const input = sentInput();
    expect(input.Content?.Simple).toBeUndefined();
    expect(input).toMatchObject({
      FromEmailAddress: "no-reply@pledgewatch.example.gov.vn",
      Destination: { ToAddresses: ["a@example.vn"] },
      ConfigurationSetName: "pw",
      EmailTags: [{ Name: "kind", Value: "signed_copy" }],
    });
    const data = input.Content?.Raw?.Data;
    if (!data) throw new Error("no raw data");
    const raw = new TextDecoder().decode(data);

    // 7-bit clean, CRLF line ends only, no line over 78 characters.
    expect(/^[\x20-\x7e\r\n]*$/.test(raw)).toBe(true);
    expect(raw.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
    for (const line of raw.split("\r\n")) expect(line.length).toBeLessThanOrEqual(78);

    const message = parseMultipart(raw);
    expect(message.headers.get("from")).toBe("no-reply@pledgewatch.example.gov.vn");
    expect(message.headers.get("to")).toBe("a@example.vn");
    expect(message.headers.get("mime-version")).toBe("1.0");
    expect(message.headers.get("content-type")).toMatch(/^multipart\/mixed; boundary="/);
    expect(decodeEncodedWords(message.headers.get("subject") ?? "")).toBe(subject);

    expect(message.parts).toHaveLength(3);
    const [textPart, pdfPart, xmlPart] = message.parts as [MimePart, MimePart, MimePart];
    expect(textPart.headers.get("content-type")).toBe("text/plain; charset=UTF-8");
    expect(textPart.headers.get("content-transfer-encoding")).toBe("base64");
    expect(decodeBase64Body(textPart).toString("utf8")).toBe(text.replace(/\n/g, "\r\n"));

    expect(pdfPart.headers.get("content-type")).toMatch(/^application\/pdf; name="[\x20-\x7e]+"$/);
    expect(pdfPart.headers.get("content-transfer-encoding")).toBe("base64");
    expect(decodeFilename(pdfPart.headers.get("content-disposition") ?? "")).toBe(filename);
    expect(pdfPart.headers.get("content-disposition")).toMatch(/^attachment;/);
    expect(new Uint8Array(decodeBase64Body(pdfPart))).toEqual(pdf);

    expect(decodeFilename(xmlPart.headers.get("content-disposition") ?? "")).toBe("evidence.xml");
    expect(decodeBase64Body(xmlPart).toString("utf8")).toBe("<a/>");
  });

  it("refuses line breaks in the recipient, subject or a filename (header injection) and sends nothing", async () => {
    sesMock.on(SendEmailCommand).resolves({});
    const base: OutgoingEmail = { to: "a@example.vn", subject: "s", text: "t", kind: "otp" };
    const attachment = { filename: "a.pdf", contentType: "application/pdf", content: new Uint8Array(1) };
    const bad: OutgoingEmail[] = [
      { ...base, to: "a@example.vn\r\nBcc: victim@example.com" },
      { ...base, to: "a@example.vn\nBcc: victim@example.com" },
      { ...base, to: "a@example.vn, victim@example.com" },
      { ...base, subject: "Hello\r\nBcc: victim@example.com" },
      { ...base, subject: "Hello\nX-Injected: 1", attachments: [attachment] },
      { ...base, attachments: [{ ...attachment, filename: 'a.pdf"\r\nContent-Type: text/html' }] },
      { ...base, attachments: [{ ...attachment, contentType: "text/html\r\nX-Injected: 1" }] },
    ];
    for (const message of bad) {
      await expect(mailer.send(message), JSON.stringify(message)).rejects.toBeInstanceOf(InvalidError);
    }
    expect(sesMock.commandCalls(SendEmailCommand)).toHaveLength(0);
  });

  it("refuses a sender that is not a single address", () => {
    expect(() => createSesMailer(ses, { from: "a@example.vn\r\nBcc: b@example.vn" })).toThrow(/sender/);
  });

  it("maps throttling and rejections to 'unavailable' with a message that says what to check", async () => {
    sesMock
      .on(SendEmailCommand)
      .rejectsOnce(awsError("TooManyRequestsException", 429))
      .rejectsOnce(awsError("MessageRejected", 400))
      .rejectsOnce(awsError("MailFromDomainNotVerifiedException", 400));
    const message: OutgoingEmail = { to: "a@example.vn", subject: "s", text: "t", kind: "otp" };
    const errors = [];
    for (let i = 0; i < 3; i++) errors.push(await mailer.send(message).catch((e: unknown) => e));
    for (const error of errors) expect(error).toBeInstanceOf(UnavailableError);
    expect((errors[0] as Error).message).toMatch(/busy|quota/);
    expect((errors[1] as Error).message).toMatch(/rejected.*verified.*sandbox/);
    expect((errors[2] as Error).message).toMatch(/MAIL FROM domain is not verified/);
    expect((errors[1] as Error).cause).toMatchObject({ name: "MessageRejected" });
  });
});

describe("seal credentials from Secrets Manager", () => {
  const p12 = new Uint8Array([0x30, 0x82, 0x01, 0x02, 0xff, 0x00, 0x7f]);
  const secretString = JSON.stringify({
    // As `openssl base64` writes it: wrapped lines are accepted.
    p12Base64: `${Buffer.from(p12).toString("base64").slice(0, 4)}\n${Buffer.from(p12).toString("base64").slice(4)}`,
    passphrase: "mật khẩu bí mật",
  });

  it("parses the secret once and shares the one request between concurrent first calls", async () => {
    secretsMock.on(GetSecretValueCommand).resolves({ SecretString: secretString });
    const credentials = createSecretSealCredentials(secrets, "pledgewatch/seal");
    const [a, b] = await Promise.all([credentials(), credentials()]);
    const c = await credentials();
    expect(a).toEqual({ p12, passphrase: "mật khẩu bí mật" });
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(secretsMock.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    expect(secretsMock.commandCalls(GetSecretValueCommand)[0]?.args[0].input).toEqual({
      SecretId: "pledgewatch/seal",
    });
  });

  it("names the secret when its value is not JSON or misses a field, without quoting the value", async () => {
    secretsMock
      .on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: "hunter2-not-json" })
      .resolvesOnce({ SecretString: JSON.stringify({ p12Base64: "c2VjcmV0" }) })
      .resolvesOnce({ SecretString: JSON.stringify({ p12Base64: "not base64!", passphrase: "hunter2" }) })
      .resolvesOnce({ SecretBinary: new Uint8Array(1) });
    const credentials = createSecretSealCredentials(secrets, "pledgewatch/seal");
    const notJson = await rejection(credentials());
    expect(notJson.message).toMatch(/secret pledgewatch\/seal is not JSON.*p12Base64.*passphrase/);
    expect(notJson.message).not.toContain("hunter2");
    expect(notJson.cause).toBeUndefined();

    // A failure is not cached: each call reads again.
    const missing = await rejection(credentials());
    expect(missing.message).toMatch(/secret pledgewatch\/seal is invalid \(passphrase: /);
    expect(missing.message).not.toContain("c2VjcmV0");

    const badBase64 = await rejection(credentials());
    expect(badBase64.message).toMatch(/secret pledgewatch\/seal is invalid \(p12Base64: /);
    expect(badBase64.message).not.toContain("hunter2");

    await expect(credentials()).rejects.toThrow(/secret pledgewatch\/seal has no string value/);
    expect(secretsMock.commandCalls(GetSecretValueCommand)).toHaveLength(4);
  });

  it("says which secret cannot be read, and makes throttling retryable", async () => {
    secretsMock
      .on(GetSecretValueCommand)
      .rejectsOnce(awsError("ResourceNotFoundException", 400))
      .rejectsOnce(awsError("ThrottlingException", 400));
    const credentials = createSecretSealCredentials(secrets, "pledgewatch/seal");
    await expect(credentials()).rejects.toThrow(
      /cannot read secret pledgewatch\/seal \(ResourceNotFoundException\)/,
    );
    await expect(credentials()).rejects.toBeInstanceOf(UnavailableError);
  });
});
