import { GetObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { ConflictError, type DocumentStore, UnavailableError } from "@pledgewatch/core";

export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : "";
}

function httpStatus(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
}

/**
 * Translates an S3 error into the application's errors; the original stays in `cause`, for logs only.
 * A failed If-None-Match (412, or 409 when another conditional write to the key is in flight) means the
 * key is taken: a conflict. Anything else (throttling, 5xx, access denied) is "unavailable".
 */
export function translateS3Error(error: unknown, what: string): Error {
  const name = errorName(error);
  const status = httpStatus(error);
  if (name === "PreconditionFailed" || status === 412) {
    return new ConflictError(`${what}: a document with this key already exists`, { cause: error });
  }
  if (name === "ConditionalRequestConflict" || status === 409) {
    return new ConflictError(`${what}: another write to this key is in progress`, { cause: error });
  }
  if (name === "SlowDown" || name === "ThrottlingException" || status === 503) {
    return new UnavailableError(`${what}: document storage is busy`, { cause: error });
  }
  return new UnavailableError(`${what}: document storage error`, { cause: error });
}

/**
 * Signed documents in an S3 bucket (infra: the stateful stack's documents bucket, with Object Lock).
 *
 * Write-once: `put` sends If-None-Match: *, so S3 refuses a second object under a key (ConflictError)
 * instead of stacking a new version on it; the function's role may only put with that header, too
 * (infra/lib/platform.ts). Encryption is the bucket's default (SSE-S3). Each put carries a SHA-256
 * checksum that S3 verifies (and Object Lock requires an integrity checksum on every put).
 *
 * `get` returns null for an absent key: S3 says NoSuchKey only to a caller allowed s3:ListBucket on the
 * bucket (AccessDenied otherwise), which the role has.
 *
 * Note: if the SDK retries a put whose first attempt did land (a lost response), the retry gets 412 and
 * the call fails with a ConflictError although the document was stored.
 */
export function createS3DocumentStore(client: S3Client, bucket: string): DocumentStore {
  return {
    async put(key, body, contentType) {
      try {
        await client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: body,
            ContentType: contentType,
            ChecksumAlgorithm: "SHA256",
            IfNoneMatch: "*",
          }),
        );
      } catch (error) {
        throw translateS3Error(error, `document ${key}`);
      }
    },

    async get(key) {
      try {
        const out = await client.send(
          new GetObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: "ENABLED" }),
        );
        if (!out.Body) throw new Error("GetObject returned no body");
        return await out.Body.transformToByteArray();
      } catch (error) {
        if (errorName(error) === "NoSuchKey") return null;
        throw translateS3Error(error, `document ${key}`);
      }
    },
  };
}
