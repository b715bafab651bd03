import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLocalPlatform } from "@pledgewatch/local";
import { describe, expect, it } from "vitest";
import { createTestTables, testSealCredentials } from "../support/platform";

// What the request log keeps of a path that carries a secret: the app's own log, the one log that has
// paths (the API Gateway access log has none; infra/test/api-stack.test.ts).
describe("the request log", () => {
  it("keeps no signing token, takedown token or tip tracking code", async () => {
    const lines: { message: string; extra: Record<string, unknown>[] }[] = [];
    const record = (message: string, ...extra: Record<string, unknown>[]) =>
      void lines.push({ message, extra });
    const { clients, tables } = await createTestTables();
    const platform = createLocalPlatform({
      clients,
      tables,
      files: mkdtempSync(join(tmpdir(), "pledgewatch-log-")),
      logger: { info: record, warn: record, error: record },
      stage: "test",
      sealCredentials: testSealCredentials,
    });
    const secrets = ["SignTokenAbcdefghijklmnop123", "TakedownTokenQrstuvwxyz456", "7KX3-M9QP-ABCD-EFGH"];
    await platform.app.request(`/sign/${secrets[0]}`);
    await platform.app.request(`/sign/${secrets[0]}/code`, { method: "POST" });
    await platform.app.request(`/takedown/${secrets[1]}`);
    await platform.app.request(`/api/v1/tips/${secrets[2]}`);
    const paths = lines.filter((l) => l.message === "request").map((l) => l.extra[0]?.path);
    expect(paths).toEqual([
      "/sign/[redacted]",
      "/sign/[redacted]/code",
      "/takedown/[redacted]",
      "/api/v1/tips/[redacted]",
    ]);
    const everything = JSON.stringify(lines);
    for (const secret of secrets) expect(everything).not.toContain(secret);
  });
});
