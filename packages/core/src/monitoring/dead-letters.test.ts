import { describe, expect, it } from "vitest";
import { ConflictError, NotFoundError } from "../errors";
import { consoleDeadLetters } from "./dead-letters";
import type { DeadLetter, DeadLetters } from "./ports";
import { CAPTURE_TASK } from "./service";

/** A source whose ids carry the body a re-drive sends, as the SQS adapter's do. */
function bodyCarryingSource(letters: DeadLetter[]) {
  const sent: string[] = [];
  const source: DeadLetters = {
    list: async () => letters,
    redrive: async (id) => {
      sent.push(Buffer.from(id, "base64url").toString("utf8"));
    },
  };
  return { source, sent };
}

const secret = async () => new Uint8Array(32).fill(7);
/** Each key's first use only, as the platform's atomic counter answers. */
function onceEach() {
  const used = new Set<string>();
  return async (key: string) => {
    if (used.has(key)) return false;
    used.add(key);
    return true;
  };
}
const letterWith = (
  body: object,
  type = "renewal.tick",
  payload: Record<string, unknown> = {},
): DeadLetter => ({
  id: Buffer.from(JSON.stringify(body)).toString("base64url"),
  type,
  payload,
});

describe("console dead letters", () => {
  it("re-drives a listed letter by its sealed id, and reopens a failed capture's job first", async () => {
    const capture = letterWith({ type: CAPTURE_TASK, payload: { jobId: "job-1" } }, CAPTURE_TASK, {
      jobId: "job-1",
    });
    const { source, sent } = bodyCarryingSource([capture]);
    const reopened: string[] = [];
    const letters = consoleDeadLetters(
      source,
      { reopenJob: async (id) => void reopened.push(id) },
      secret,
      onceEach(),
    );
    const [listed] = await letters.list(10);
    expect(listed?.id).not.toBe(capture.id);
    await letters.redrive(listed?.id ?? "");
    expect(reopened).toEqual(["job-1"]);
    expect(sent).toEqual([JSON.stringify({ type: CAPTURE_TASK, payload: { jobId: "job-1" } })]);
    // A second click sends nothing more.
    await expect(letters.redrive(listed?.id ?? "")).rejects.toBeInstanceOf(ConflictError);
    expect(sent).toHaveLength(1);
  });

  it("refuses an id it did not seal: a forged body, a source id, another secret's seal", async () => {
    const { source, sent } = bodyCarryingSource([letterWith({ type: "renewal.tick", payload: {} })]);
    const letters = consoleDeadLetters(source, { reopenJob: async () => {} }, secret, onceEach());
    const [listed] = await letters.list(10);
    const [body = "", mac = ""] = (listed?.id ?? "").split(".");
    const sealed = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as { id: string };
    const forgedSource = Buffer.from(
      JSON.stringify({ type: "pledges.invite_many", payload: { actor: { role: "admin", province: "01" } } }),
    ).toString("base64url");
    const forged = Buffer.from(JSON.stringify({ ...sealed, id: forgedSource })).toString("base64url");
    const other = consoleDeadLetters(
      source,
      { reopenJob: async () => {} },
      async () => new Uint8Array(32).fill(8),
      onceEach(),
    );
    const [otherListed] = await other.list(10);
    for (const id of [`${forged}.${mac}`, sealed.id, forgedSource, "", `${body}.`, otherListed?.id ?? ""]) {
      await expect(letters.redrive(id)).rejects.toBeInstanceOf(NotFoundError);
    }
    expect(sent).toEqual([]);
  });
});
