import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConflictError } from "@pledgewatch/core";
import { afterAll, describe, expect, it } from "vitest";
import { createFolderDocumentStore } from "./documents";

const root = mkdtempSync(join(tmpdir(), "pledgewatch-docs-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("the folder document store", () => {
  it("keeps a document whole and write-once, leaving no partial file behind", async () => {
    const store = createFolderDocumentStore(root);
    const body = new TextEncoder().encode('{"seq":1}');
    await store.put("audit-anchors/p1/0000000001.json", body, "application/json");
    await expect(
      store.put("audit-anchors/p1/0000000001.json", new Uint8Array([1]), "application/json"),
    ).rejects.toBeInstanceOf(ConflictError);
    expect(await store.get("audit-anchors/p1/0000000001.json")).toEqual(body);
    expect(readdirSync(join(root, "audit-anchors", "p1"))).toEqual(["0000000001.json"]);
    // Two writers of one key at once: exactly one wins, the other is told, the file is the winner's.
    const writes = await Promise.allSettled(
      ["a", "b"].map((v) =>
        store.put("k/race.txt", new TextEncoder().encode(v.repeat(100_000)), "text/plain"),
      ),
    );
    expect(writes.filter((w) => w.status === "fulfilled")).toHaveLength(1);
    const stored = new TextDecoder().decode((await store.get("k/race.txt")) ?? new Uint8Array());
    expect(["a".repeat(100_000), "b".repeat(100_000)]).toContain(stored);
    expect(readdirSync(join(root, "k"))).toEqual(["race.txt"]);
  });
});
