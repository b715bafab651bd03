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
const KEY = "uploads/import/0b5c2d3e-1f2a-4b3c-8d4e-5f6a7b8c9d0e";

/** The part of GetObject's streaming body the inbox uses. */
const body = (bytes: Uint8Array) => ({ transformToByteArray: async () => bytes }) as never;

describe("the S3 upload inbox", () => {
  const mock = mockClient(s3);
  afterEach(() => mock.reset());

  it("offers a form whose signed policy binds the bucket, the key, the type, the size and the return page", async () => {
    const form = await inbox.offer("import", {
      redirect: "https://camket.example.gov.vn/console/imports/uploaded",
    });
    expect(form.key).toMatch(/^uploads\/import\/[0-9a-f-]{36}$/);
    expect(form.maxBytes).toBe(UPLOAD_LIMITS.import.maxBytes);
    expect(form.expiresAt).toBe("2026-12-07T01:05:00.000Z");
    expect(form.fields).toMatchObject({ key: form.key, "Content-Type": XLSX_TYPE, bucket: "uploads-bucket" });
    const policy = JSON.parse(Buffer.from(form.fields.Policy ?? "", "base64").toString("utf8")) as {
      conditions: unknown[];
    };
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        { bucket: "uploads-bucket" },
        { key: form.key },
        ["content-length-range", 1, 15 * 1024 * 1024],
        ["eq", "$Content-Type", XLSX_TYPE],
        ["eq", "$success_action_redirect", "https://camket.example.gov.vn/console/imports/uploaded"],
      ]),
    );
    expect(form.fields["X-Amz-Signature"]).toMatch(/^[0-9a-f]{64}$/);
    // Two offers never share a key.
    expect((await inbox.offer("import", {})).key).not.toBe(form.key);
  });

  it("takes a file once: read, then deleted", async () => {
    const file = new Uint8Array([1, 2, 3]);
    mock.on(GetObjectCommand).resolves({ Body: body(file), ContentLength: 3, ContentType: XLSX_TYPE });
    expect(await inbox.take("import", KEY)).toEqual(file);
    expect(mock.commandCalls(DeleteObjectCommand)[0]?.args[0].input).toEqual({
      Bucket: "uploads-bucket",
      Key: KEY,
    });
  });

  it("answers null for a key of another purpose or shape, without calling S3", async () => {
    expect(await inbox.take("verify", KEY)).toBeNull();
    expect(await inbox.take("import", "uploads/import/../../documents/x")).toBeNull();
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
