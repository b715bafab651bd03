import { randomUUID } from "node:crypto";
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

const KEY = /^uploads\/(import|verify)\/[0-9a-f-]{36}$/;

/**
 * Uploads through S3 (packages/core/src/uploads/inbox.ts): a presigned POST whose policy binds the key
 * (uploads/<purpose>/<random>), the size (1 byte to the purpose's limit), the type and the redirect, for
 * five minutes. The uploads bucket keeps nothing for long (its lifecycle rule removes objects after a day)
 * and a taken file is deleted at once.
 */
export function createS3UploadInbox(
  client: S3Client,
  bucket: string,
  now: () => Date = () => new Date(),
): UploadInbox {
  return {
    async offer(purpose, { redirect }) {
      const { maxBytes, contentType } = UPLOAD_LIMITS[purpose];
      const key = `uploads/${purpose}/${randomUUID()}`;
      const fields: Record<string, string> = { "Content-Type": contentType };
      if (redirect) fields.success_action_redirect = redirect;
      try {
        const post = await createPresignedPost(client, {
          Bucket: bucket,
          Key: key,
          Fields: fields,
          Conditions: [
            ["content-length-range", 1, maxBytes],
            ["eq", "$Content-Type", contentType],
            ...(redirect ? [["eq", "$success_action_redirect", redirect] as ["eq", string, string]] : []),
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

    async take(purpose: UploadPurpose, key: string) {
      const match = KEY.exec(key);
      if (!match || match[1] !== purpose) return null;
      const { maxBytes, contentType } = UPLOAD_LIMITS[purpose];
      try {
        const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        const size = out.ContentLength ?? 0;
        const body = size > 0 && size <= maxBytes ? await out.Body?.transformToByteArray() : undefined;
        await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
        // The policy bound both; checked again here, as for anything read back from outside.
        if (!body || body.length > maxBytes || out.ContentType !== contentType) return null;
        return body;
      } catch (error) {
        if (errorName(error) === "NoSuchKey") return null;
        throw new UnavailableError("could not read the uploaded file", { cause: error });
      }
    },
  };
}
