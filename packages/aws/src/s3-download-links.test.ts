import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { UnavailableError } from "@pledgewatch/core";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { createS3DownloadLinks } from "./s3-download-links";

const s3 = new S3Client({
  region: "ap-southeast-1",
  credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "secret" },
});
const links = createS3DownloadLinks(
  s3,
  "uploads-bucket",
  "https://uploads-bucket.s3.ap-southeast-1.amazonaws.com",
);

describe("S3 download links", () => {
  const mock = mockClient(s3);
  afterEach(() => mock.reset());

  it("copies the file under downloads/ and links to it for five minutes, with its headers", async () => {
    mock.on(PutObjectCommand).resolves({});
    const body = new Uint8Array([1, 2, 3]);
    const url = new URL(
      await links.link(body, {
        contentType: "application/pdf",
        contentDisposition: 'attachment; filename="bc.pdf"',
      }),
    );
    const put = mock.commandCalls(PutObjectCommand)[0]?.args[0].input;
    expect(put).toMatchObject({ Bucket: "uploads-bucket", Body: body, ContentType: "application/pdf" });
    expect(put?.Key).toMatch(/^downloads\/[0-9a-f-]{36}$/);
    expect(url.origin).toBe("https://uploads-bucket.s3.ap-southeast-1.amazonaws.com");
    expect(url.pathname).toBe(`/${put?.Key}`);
    expect(url.searchParams.get("X-Amz-Expires")).toBe("300");
    expect(url.searchParams.get("X-Amz-Signature")).toMatch(/^[0-9a-f]{64}$/);
    expect(url.searchParams.get("response-content-type")).toBe("application/pdf");
    expect(url.searchParams.get("response-content-disposition")).toBe('attachment; filename="bc.pdf"');
    expect(url.searchParams.get("response-cache-control")).toBe("private, no-store");
  });

  it("is unavailable when the copy cannot be written", async () => {
    mock.on(PutObjectCommand).rejects(new Error("SlowDown"));
    await expect(links.link(new Uint8Array([1]), { contentType: "image/png" })).rejects.toBeInstanceOf(
      UnavailableError,
    );
  });
});
