import { createHash, randomUUID } from "node:crypto";
import { DeleteObjectCommand, GetObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { createPresignedPost } from "@aws-sdk/s3-presigned-post";
import {
  UnavailableError,
  UPLOAD_LIMITS,
  UPLOAD_POLICY_SECONDS,
  type UploadInbox,
  type UploadPurpose,
} from "@pledgewatch/core";
import { errorName } from "./s3-document-store";

/** A stored upload's key: its purpose, the offer's random part, and the file's own name (no folders). */
const KEY = /^uploads\/(import|verify)\/[0-9a-f-]{36}\/([^/]{1,255})$/;

/** What S3 writes in place of this in a form's key: the name of the file posted (POST Object). */
const FILENAME = `\${filename}`;

/** The uploader as the object's metadata carries it: a digest, so no address or id sits in the bucket. */
const uploaderTag = (uploader: string) => createHash("sha256").update(uploader).digest("hex").slice(0, 32);

/** A file name fit to show: NFC, no control characters, at most 200 characters. */
function displayName(raw: string): string {
  const name = [...raw.normalize("NFC")]
    .filter((ch) => ch >= " " && ch !== "\u007f")
    .join("")
    .trim();
  return name.slice(0, 200) || "tep-tai-len";
}

/**
 * Uploads through S3 (packages/core/src/uploads/inbox.ts): a presigned POST whose policy binds the key
 * (uploads/<purpose>/<random>/ then the file's own name, which S3 fills in), the size (1 byte to the
 * purpose's limit), the type, the redirect and, for staff, the uploader (as metadata), for five minutes.
 * The uploads bucket keeps nothing for long (its lifecycle rule removes objects after a day) and a taken
 * file is deleted at once.
 */
export function createS3UploadInbox(
  client: S3Client,
  bucket: string,
  now: () => Date = () => new Date(),
): UploadInbox {
  return {
    async offer(purpose, { redirect, uploader }) {
      const { maxBytes, contentType } = UPLOAD_LIMITS[purpose];
      const prefix = `uploads/${purpose}/${randomUUID()}/`;
      const key = `${prefix}${FILENAME}`;
      const fields: Record<string, string> = { "Content-Type": contentType };
      if (redirect) fields.success_action_redirect = redirect;
      if (uploader) fields["x-amz-meta-uploader"] = uploaderTag(uploader);
      try {
        const post = await createPresignedPost(client, {
          Bucket: bucket,
          Key: key,
          Fields: fields,
          // For a key ending in ${filename} the SDK binds the key by its prefix (starts-with).
          Conditions: [
            ["content-length-range", 1, maxBytes],
            ["eq", "$Content-Type", contentType],
            ...Object.entries(fields)
              .filter(([name]) => name !== "Content-Type")
              .map(([name, value]) => ["eq", `$${name}`, value] as ["eq", string, string]),
          ],
          Expires: UPLOAD_POLICY_SECONDS,
        });
        return {
          url: post.url,
          fields: post.fields,
          key,
          maxBytes,
          contentType,
          expiresAt: new Date(now().getTime() + UPLOAD_POLICY_SECONDS * 1000).toISOString(),
        };
      } catch (error) {
        throw new UnavailableError("could not make an upload form", { cause: error });
      }
    },

    async take(purpose: UploadPurpose, key: string, { uploader } = {}) {
      const match = KEY.exec(key);
      if (!match || match[1] !== purpose || match[2] === FILENAME) return null;
      const { maxBytes, contentType } = UPLOAD_LIMITS[purpose];
      try {
        const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        if ((out.Metadata?.uploader ?? "") !== (uploader ? uploaderTag(uploader) : "")) {
          // Someone else's upload: left for its owner (or the bucket's expiry), nothing of it read.
          (out.Body as { destroy?: () => void } | undefined)?.destroy?.();
          return null;
        }
        const size = out.ContentLength ?? 0;
        const body = size > 0 && size <= maxBytes ? await out.Body?.transformToByteArray() : undefined;
        if (!body) (out.Body as { destroy?: () => void } | undefined)?.destroy?.();
        await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
        // The policy bound both; checked again here, as for anything read back from outside.
        if (!body || body.length > maxBytes || out.ContentType !== contentType) return null;
        return { bytes: body, fileName: displayName(match[2] ?? "") };
      } catch (error) {
        if (errorName(error) === "NoSuchKey") return null;
        throw new UnavailableError("could not read the uploaded file", { cause: error });
      }
    },
  };
}
