import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, request as httpRequest, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";

/**
 * S3's browser upload (POST Object with a policy) in front of fauxqs, which serves the REST API only and
 * takes request bodies of 11 MiB at most. A form post is checked as S3 checks it — the SigV4 signature of
 * the policy, its expiry, every condition, every form field covered by one, the file last — and then
 * stored in fauxqs (as a multipart upload above 8 MiB). Everything else is passed through to fauxqs.
 */
export interface S3PostFront {
  url: string;
  /** Each form post S3 accepted or refused, with its status (what the tests assert on). */
  posts: { status: number; key?: string; size?: number; code?: string }[];
  stop(): Promise<void>;
}

const MAX_FORM_BYTES = 64 * 1024 * 1024;
const PART_BYTES = 5 * 1024 * 1024;

class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function startS3PostFront(options: {
  target: string;
  s3: S3Client;
  credentials: { accessKeyId: string; secretAccessKey: string };
  region: string;
}): Promise<S3PostFront> {
  const target = new URL(options.target);
  const posts: S3PostFront["posts"] = [];

  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://front").pathname;
    const bucket = /^\/([a-z0-9.-]+)\/?$/.exec(path)?.[1];
    const isForm =
      req.method === "POST" && bucket && /^multipart\/form-data/i.test(req.headers["content-type"] ?? "");
    if (!isForm) {
      // The REST API: fauxqs answers it.
      const upstream = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on("error", () => {
        res.writeHead(502);
        res.end();
      });
      req.pipe(upstream);
      return;
    }
    void (async () => {
      try {
        const { status, location, key, size } = await acceptForm(req, bucket);
        posts.push({ status, key, size });
        res.writeHead(status, location ? { location } : {});
        res.end();
      } catch (error) {
        const refusal =
          error instanceof Refusal ? error : new Refusal(500, "InternalError", String(error).slice(0, 200));
        posts.push({ status: refusal.status, code: refusal.code });
        res.writeHead(refusal.status, { "content-type": "application/xml" });
        res.end(
          `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${refusal.code}</Code><Message>${refusal.message}</Message></Error>`,
        );
      }
    })();
  });

  async function acceptForm(req: IncomingMessage, bucket: string) {
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of req) {
      total += (chunk as Buffer).length;
      if (total > MAX_FORM_BYTES) throw new Refusal(400, "MaxPostPreDataLengthExceeded", "form too large");
      chunks.push(chunk as Buffer);
    }
    const form = await new Request("http://front/", {
      method: "POST",
      headers: { "content-type": req.headers["content-type"] ?? "" },
      body: Buffer.concat(chunks),
    }).formData();
    const entries = [...form.entries()];
    const fileIndex = entries.findIndex(([name]) => name === "file");
    if (fileIndex === -1) throw new Refusal(400, "InvalidArgument", "POST requires exactly one file upload");
    if (fileIndex !== entries.length - 1)
      throw new Refusal(400, "InvalidArgument", "the file must be the last field of the form");
    const file = entries[fileIndex]?.[1];
    if (!(file instanceof File)) throw new Refusal(400, "InvalidArgument", "file is not a file");
    const fields = new Map<string, string>();
    for (const [name, value] of entries.slice(0, fileIndex)) {
      if (typeof value !== "string") throw new Refusal(400, "InvalidArgument", `${name} is not text`);
      // S3 matches form field names case-insensitively.
      fields.set(name.toLowerCase(), value);
    }
    const field = (name: string) => fields.get(name.toLowerCase());
    fields.set("bucket", field("bucket") ?? bucket);
    if (field("bucket") !== bucket) throw new Refusal(403, "AccessDenied", "bucket field is not the bucket");

    // The signature: SigV4 of the base64 policy, under the key of the credential's scope.
    const policyText = field("Policy");
    const signature = field("X-Amz-Signature");
    const credential = field("X-Amz-Credential");
    if (!policyText || !signature || !credential || field("X-Amz-Algorithm") !== "AWS4-HMAC-SHA256")
      throw new Refusal(403, "AccessDenied", "the form carries no SigV4 policy");
    const [accessKeyId, date, region, service, terminal] = credential.split("/");
    if (
      accessKeyId !== options.credentials.accessKeyId ||
      region !== options.region ||
      service !== "s3" ||
      terminal !== "aws4_request" ||
      !date
    )
      throw new Refusal(403, "InvalidAccessKeyId", "unknown credential scope");
    const hmac = (key: Buffer | string, data: string) => createHmac("sha256", key).update(data).digest();
    const signingKey = hmac(
      hmac(hmac(hmac(`AWS4${options.credentials.secretAccessKey}`, date), region), "s3"),
      "aws4_request",
    );
    const expected = createHmac("sha256", signingKey).update(policyText).digest("hex");
    if (
      expected.length !== signature.length ||
      !timingSafeEqual(Buffer.from(expected), Buffer.from(signature))
    )
      throw new Refusal(403, "SignatureDoesNotMatch", "the policy's signature does not match");

    const policy = JSON.parse(Buffer.from(policyText, "base64").toString("utf8")) as {
      expiration: string;
      conditions: unknown[];
    };
    if (!(Date.parse(policy.expiration) > Date.now()))
      throw new Refusal(403, "AccessDenied", "Invalid according to Policy: Policy expired.");

    // Every condition holds, and every field (but the signature's own, the file and x-ignore-*) has one.
    const covered = new Set(["policy", "x-amz-signature", "file"]);
    let sizeRange: [number, number] | undefined;
    for (const condition of policy.conditions) {
      if (Array.isArray(condition)) {
        const [op, name, value] = condition as [string, string | number, string | number];
        if (op === "content-length-range") {
          sizeRange = [Number(name), Number(value)];
          continue;
        }
        const fieldName = String(name).replace(/^\$/, "").toLowerCase();
        covered.add(fieldName);
        const actual = fields.get(fieldName) ?? "";
        const ok =
          op === "eq" ? actual === value : op === "starts-with" ? actual.startsWith(String(value)) : false;
        if (!ok) throw new Refusal(403, "AccessDenied", `Invalid according to Policy: ${op} ${name}`);
      } else {
        for (const [name, value] of Object.entries(condition as Record<string, string>)) {
          covered.add(name.toLowerCase());
          if (fields.get(name.toLowerCase()) !== value)
            throw new Refusal(403, "AccessDenied", `Invalid according to Policy: ${name}`);
        }
      }
    }
    for (const name of fields.keys())
      if (!covered.has(name) && !name.startsWith("x-ignore-"))
        throw new Refusal(403, "AccessDenied", `Invalid according to Policy: Extra input fields: ${name}`);
    const size = file.size;
    if (sizeRange && size > sizeRange[1])
      throw new Refusal(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size");
    if (sizeRange && size < sizeRange[0])
      throw new Refusal(
        400,
        "EntityTooSmall",
        "Your proposed upload is smaller than the minimum allowed size",
      );

    // S3 writes the posted file's name in place of ${filename}, after the policy was checked.
    const key = field("key")?.replaceAll(`\${filename}`, file.name);
    if (!key) throw new Refusal(400, "InvalidArgument", "the form has no key");
    const contentType = field("Content-Type") ?? "binary/octet-stream";
    // Fields x-amz-meta-<name> become the object's user metadata.
    const Metadata = Object.fromEntries(
      [...fields].filter(([name]) => name.startsWith("x-amz-meta-")).map(([n, v]) => [n.slice(11), v]),
    );
    const body = new Uint8Array(await file.arrayBuffer());
    let etag: string | undefined;
    if (body.length <= 8 * 1024 * 1024) {
      etag = (
        await options.s3.send(
          new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType, Metadata }),
        )
      ).ETag;
    } else {
      const { UploadId } = await options.s3.send(
        new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ContentType: contentType, Metadata }),
      );
      const parts: { ETag: string; PartNumber: number }[] = [];
      for (let offset = 0, n = 1; offset < body.length; offset += PART_BYTES, n++) {
        const out = await options.s3.send(
          new UploadPartCommand({
            Bucket: bucket,
            Key: key,
            UploadId,
            PartNumber: n,
            Body: body.subarray(offset, offset + PART_BYTES),
          }),
        );
        parts.push({ ETag: out.ETag ?? "", PartNumber: n });
      }
      etag = (
        await options.s3.send(
          new CompleteMultipartUploadCommand({
            Bucket: bucket,
            Key: key,
            UploadId,
            MultipartUpload: { Parts: parts },
          }),
        )
      ).ETag;
    }
    const redirect = field("success_action_redirect");
    if (redirect) {
      const query = new URLSearchParams({ bucket, key, etag: etag ?? "" });
      return { status: 303, location: `${redirect}${redirect.includes("?") ? "&" : "?"}${query}`, key, size };
    }
    const status = Number(field("success_action_status") ?? 204);
    return { status: [200, 201].includes(status) ? status : 204, key, size };
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    posts,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
