import { createHash } from "node:crypto";
import { DeleteObjectCommand, GetObjectCommand, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import { UnavailableError, UPLOAD_LIMITS, XLSX_TYPE } from "@pledgewatch/core";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { createS3UploadInbox } from "./s3-upload-inbox";

const s3 = new S3Client({
  region: "ap-southeast-1",
  credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "secret" },
});
const inbox = createS3UploadInbox(s3, "uploads-bucket", () => new Date("2026-12-07T01:00:00Z"));
const KEY = "uploads/import/0b5c2d3e-1f2a-4b3c-8d4e-5f6a7b8c9d0e/Danh sách sàn.xlsx";
/** The uploader tag the inbox writes for staff id "staff-1" (first 32 hex of its SHA-256). */
const STAFF_1 = createHash("sha256").update("staff-1").digest("hex").slice(0, 32);

/** The part of GetObject's streaming body the inbox uses. */
const body = (bytes: Uint8Array) => ({ transformToByteArray: async () => bytes }) as never;

describe("the S3 upload inbox", () => {
  const mock = mockClient(s3);
  afterEach(() => mock.reset());

  it("offers a form whose signed policy binds the bucket, the key's folder, the type, the size, the return page and the uploader", async () => {
    const form = await inbox.offer("import", {
      redirect: "https://camket.example.gov.vn/console/imports/uploaded",
      uploader: "staff-1",
    });
    expect(form.key).toMatch(/^uploads\/import\/[0-9a-f-]{36}\/\$\{filename\}$/);
    const folder = form.key.replace(`\${filename}`, "");
    expect(form.maxBytes).toBe(UPLOAD_LIMITS.import.maxBytes);
    expect(form.expiresAt).toBe("2026-12-07T01:05:00.000Z");
    expect(form.fields).toMatchObject({
      key: form.key,
      "Content-Type": XLSX_TYPE,
      bucket: "uploads-bucket",
      "x-amz-meta-uploader": STAFF_1,
    });
    const policy = JSON.parse(Buffer.from(form.fields.Policy ?? "", "base64").toString("utf8")) as {
      conditions: unknown[];
    };
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        { bucket: "uploads-bucket" },
        ["starts-with", "$key", folder],
        ["content-length-range", 1, 15 * 1024 * 1024],
        ["eq", "$Content-Type", XLSX_TYPE],
        ["eq", "$success_action_redirect", "https://camket.example.gov.vn/console/imports/uploaded"],
        ["eq", "$x-amz-meta-uploader", STAFF_1],
      ]),
    );
    // No condition lets another file name's folder or an exact key through.
    expect(policy.conditions).not.toContainEqual({ key: form.key });
    expect(form.fields["X-Amz-Signature"]).toMatch(/^[0-9a-f]{64}$/);
    // Two offers never share a folder; a public offer (no uploader) carries no uploader field.
    const other = await inbox.offer("verify", {});
    expect(other.key).not.toBe(form.key);
    expect(other.fields).not.toHaveProperty("x-amz-meta-uploader");
  });

  it("takes a file once, with the name it was posted with: read, then deleted", async () => {
    const file = new Uint8Array([1, 2, 3]);
    mock.on(GetObjectCommand).resolves({
      Body: body(file),
      ContentLength: 3,
      ContentType: XLSX_TYPE,
      Metadata: { uploader: STAFF_1 },
    });
    expect(await inbox.take("import", KEY, { uploader: "staff-1" })).toEqual({
      bytes: file,
      fileName: "Danh sách sàn.xlsx",
    });
    expect(mock.commandCalls(DeleteObjectCommand)[0]?.args[0].input).toEqual({
      Bucket: "uploads-bucket",
      Key: KEY,
    });
  });

  it("leaves another uploader's file where it is, unread", async () => {
    let destroyed = false;
    const stream = {
      transformToByteArray: async () => new Uint8Array([1]),
      destroy: () => (destroyed = true),
    };
    mock.on(GetObjectCommand).resolves({
      Body: stream as never,
      ContentLength: 1,
      ContentType: XLSX_TYPE,
      Metadata: { uploader: STAFF_1 },
    });
    expect(await inbox.take("import", KEY, { uploader: "staff-2" })).toBeNull();
    expect(await inbox.take("import", KEY)).toBeNull();
    expect(destroyed).toBe(true);
    expect(mock.commandCalls(DeleteObjectCommand)).toHaveLength(0);
  });

  it("answers null for a key of another purpose or shape, without calling S3", async () => {
    expect(await inbox.take("verify", KEY)).toBeNull();
    expect(await inbox.take("import", "uploads/import/../../documents/x")).toBeNull();
    expect(
      await inbox.take("import", "uploads/import/0b5c2d3e-1f2a-4b3c-8d4e-5f6a7b8c9d0e/a/b.xlsx"),
    ).toBeNull();
    expect(
      await inbox.take("import", `uploads/import/0b5c2d3e-1f2a-4b3c-8d4e-5f6a7b8c9d0e/\${filename}`),
    ).toBeNull();
    expect(await inbox.take("import", "uploads/import/0b5c2d3e-1f2a-4b3c-8d4e-5f6a7b8c9d0e")).toBeNull();
    expect(await inbox.take("import", "documents/2026/abc.pdf")).toBeNull();
    expect(mock.calls()).toHaveLength(0);
  });

  it("refuses a file of another type or over the limit, and deletes it anyway", async () => {
    mock
      .on(GetObjectCommand)
      .resolves({ Body: body(new Uint8Array([60])), ContentLength: 1, ContentType: "text/html" });
    expect(await inbox.take("import", KEY)).toBeNull();
    mock.on(GetObjectCommand).resolves({
      Body: body(new Uint8Array([1])),
      ContentLength: UPLOAD_LIMITS.import.maxBytes + 1,
      ContentType: XLSX_TYPE,
    });
    expect(await inbox.take("import", KEY)).toBeNull();
    expect(mock.commandCalls(DeleteObjectCommand)).toHaveLength(2);
  });

  it("answers null for a key read already (NoSuchKey), and unavailable when S3 fails otherwise", async () => {
    mock
      .on(GetObjectCommand)
      .rejects(
        new S3ServiceException({ name: "NoSuchKey", $fault: "client", $metadata: { httpStatusCode: 404 } }),
      );
    expect(await inbox.take("import", KEY)).toBeNull();
    mock.on(GetObjectCommand).rejects(
      new S3ServiceException({
        name: "AccessDenied",
        $fault: "client",
        $metadata: { httpStatusCode: 403 },
      }),
    );
    await expect(inbox.take("import", KEY)).rejects.toBeInstanceOf(UnavailableError);
  });
});
