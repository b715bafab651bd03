import { randomUUID } from "node:crypto";
import { GetObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { DOWNLOAD_LINK_SECONDS, type DownloadLinks, UnavailableError } from "@pledgewatch/core";

/**
 * Large downloads on AWS (packages/core/src/uploads/inbox.ts): the response is copied to the uploads
 * bucket under downloads/<random> and handed over as a presigned GET of five minutes that carries the
 * response's type, disposition and caching; the bucket's lifecycle rule removes the copy after a day.
 */
export function createS3DownloadLinks(client: S3Client, bucket: string, origin: string): DownloadLinks {
  return {
    origin,
    async link(body, headers) {
      const key = `downloads/${randomUUID()}`;
      try {
        await client.send(
          new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: headers.contentType }),
        );
        return await getSignedUrl(
          client,
          new GetObjectCommand({
            Bucket: bucket,
            Key: key,
            ResponseContentType: headers.contentType,
            ResponseContentDisposition: headers.contentDisposition,
            ResponseCacheControl: headers.cacheControl ?? "private, no-store",
          }),
          { expiresIn: DOWNLOAD_LINK_SECONDS },
        );
      } catch (error) {
        throw new UnavailableError("could not hand over the download", { cause: error });
      }
    },
  };
}
