import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { ConflictError, NotFoundError } from "../errors";
import type { DeadLetters } from "./ports";
import { CAPTURE_TASK } from "./service";

/** What a console id of a dead letter carries, signed: the source's id and what a re-drive must know. */
const SealedLetterSchema = z.object({
  id: z.string().min(1),
  type: z.string(),
  jobId: z.string().optional(),
});

function keyOf(secret: Uint8Array): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, "pledgewatch", "dead-letter ids", 32));
}

function sign(key: Buffer, body: string): Buffer {
  return createHmac("sha256", key).update(body).digest();
}

/**
 * The dead letters as the console shows them. Each letter's id is the source's id sealed with an HMAC
 * under a platform secret: the SQS adapter's id carries the message body it sends back to the work queue,
 * and without the seal whoever may re-drive could send any task, with any actor in its payload, to the
 * workers. A re-drive of a failed capture reopens its job first (otherwise the re-driven message would
 * find the job failed and fail again at once); what the job is comes from the sealed id, because SQS
 * hides a message it has just shown and a second read would not find it. Each id re-drives once
 * (`firstUse`, atomic): SQS accepts a second delete of a message already deleted, so a double click would
 * otherwise send the task twice. A new listing gives new ids.
 */
export function consoleDeadLetters(
  source: DeadLetters,
  monitoring: { reopenJob(jobId: string): Promise<void> },
  secret: () => Promise<Uint8Array>,
  firstUse: (key: string) => Promise<boolean>,
): DeadLetters {
  return {
    async list(limit) {
      const key = keyOf(await secret());
      return (await source.list(limit)).map((letter) => {
        const jobId =
          letter.type === CAPTURE_TASK && typeof letter.payload.jobId === "string"
            ? letter.payload.jobId
            : undefined;
        const body = Buffer.from(
          JSON.stringify({ id: letter.id, type: letter.type, ...(jobId ? { jobId } : {}) }),
        ).toString("base64url");
        return { ...letter, id: `${body}.${sign(key, body).toString("base64url")}` };
      });
    },
    async redrive(id) {
      const [body = "", mac = "", ...rest] = id.split(".");
      const expected = sign(keyOf(await secret()), body);
      const given = Buffer.from(mac, "base64url");
      if (rest.length > 0 || given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw new NotFoundError("No such dead letter");
      }
      const letter = SealedLetterSchema.safeParse(
        JSON.parse(Buffer.from(body, "base64url").toString("utf8")),
      );
      if (!letter.success) throw new NotFoundError("No such dead letter");
      if (!(await firstUse(`redrive:${mac}`)))
        throw new ConflictError("This dead letter was re-driven already");
      if (letter.data.type === CAPTURE_TASK && letter.data.jobId) {
        await monitoring.reopenJob(letter.data.jobId);
      }
      await source.redrive(letter.data.id);
    },
  };
}
