import { spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DecisionSchema, LineErrorSchema } from "@pledgewatch/core";
import { describe, expect, it } from "vitest";
import { seedRuleSet } from "../seed/index";

const ROOT = join(import.meta.dirname, "..", "..", "..", "..");
// The same command a user types; npx finds the workspace's `pledgewatch` bin in node_modules/.bin.
const run = (input: string, args: string[] = []) =>
  spawnSync("npx", ["--no-install", "pledgewatch", "flag", ...args], {
    cwd: ROOT,
    input,
    encoding: "utf8",
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });

describe("npx pledgewatch flag", { timeout: 60_000 }, () => {
  it("writes one decision or error per input line, in order, and goes on after bad lines", () => {
    const lines = [
      JSON.stringify({
        id: "a",
        kind: "listing",
        platform: "shopee",
        title: "Giày Nike hàng rep 1:1",
        price: 350000,
      }),
      "{not json",
      JSON.stringify({ id: "c", kind: "bogus", platform: "x", title: "?" }),
      "",
      JSON.stringify({ id: "e", kind: "post", platform: "tiktok", title: "Nồi cơm điện", seller: null }),
    ];
    const result = run(`${lines.join("\n")}\n`);
    expect(result.status).toBe(0);
    const out = result.stdout
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(out).toHaveLength(5);
    expect(DecisionSchema.parse(out[0])).toMatchObject({ id: "a", flagged: true, agency: "CT" });
    expect(out[0].reasons[0]).toMatchObject({ rule: "counterfeit.slang", evidence: "hàng rep 1:1" });
    expect(LineErrorSchema.parse(out[1])).toMatchObject({ line: 2, error: { code: "invalid_json" } });
    expect(LineErrorSchema.parse(out[2])).toMatchObject({
      line: 3,
      id: "c",
      error: { code: "invalid_item" },
    });
    expect(out[2].error.issues[0].field).toBe("kind");
    expect(LineErrorSchema.parse(out[3])).toMatchObject({ line: 4, error: { message: "empty line" } });
    expect(DecisionSchema.parse(out[4])).toMatchObject({
      id: "e",
      flagged: false,
      agency: null,
      reasons: [],
    });
    expect(result.stderr).toContain("5 lines, 1 flagged, 3 errors");
  });

  it("reads a rule set from a file", () => {
    const dir = mkdtempSync(join(tmpdir(), "pw-rules-"));
    const set = seedRuleSet();
    set.version = 7;
    for (const rule of set.rules) rule.enabled = rule.id !== "counterfeit.slang";
    writeFileSync(join(dir, "rules.json"), JSON.stringify(set));
    const result = run(
      `${JSON.stringify({ id: "a", kind: "listing", platform: "x", title: "hàng fake" })}\n`,
      ["--rules", join(dir, "rules.json")],
    );
    expect(JSON.parse(result.stdout)).toMatchObject({ id: "a", flagged: false, ruleSetVersion: 7 });
  });

  it("uses worker threads on a large input and writes what one thread writes, in order", () => {
    const lines = Array.from({ length: 6_000 }, (_, n) =>
      JSON.stringify({
        id: `l-${n}`,
        kind: "listing",
        platform: "shopee",
        title: n % 4 === 0 ? `Túi xách hàng fake loại 1 mẫu ${n}` : `Túi xách nữ da bò mẫu ${n}`,
        text: "Giao hàng toàn quốc, kiểm tra hàng trước khi thanh toán, đổi trả trong 7 ngày.",
        price: 650_000,
      }),
    );
    const input = `${lines.join("\n")}\n`;
    expect(input.length).toBeGreaterThan(1 << 20);
    const threaded = run(input, ["--threads", "2"]);
    const one = run(input, ["--threads", "1"]);
    expect(threaded.status).toBe(0);
    expect(threaded.stderr).toContain("6000 lines, 1500 flagged, 0 errors (rule set v1, 2 threads)");
    expect(one.stderr).toContain("6000 lines, 1500 flagged, 0 errors (rule set v1)");
    expect(threaded.stdout).toBe(one.stdout);
    expect(
      threaded.stdout
        .trimEnd()
        .split("\n")
        .map((l) => JSON.parse(l).id),
    ).toEqual(lines.map((_, n) => `l-${n}`));
  });

  it("starts its workers early when the input is a file over one batch, and stops them on a bad rule file", () => {
    const dir = mkdtempSync(join(tmpdir(), "pw-flag-file-"));
    const file = join(dir, "listings.jsonl");
    const lines = Array.from({ length: 5_000 }, (_, n) =>
      JSON.stringify({
        id: `f-${n}`,
        kind: "listing",
        platform: "shopee",
        title: n % 5 === 0 ? `Đồng hồ Rolex super fake mẫu ${n}` : `Đồng hồ treo tường gỗ mẫu ${n}`,
        text: "Giao hàng toàn quốc, kiểm tra hàng trước khi thanh toán, đổi trả trong 7 ngày. ".repeat(2),
      }),
    );
    writeFileSync(file, `${lines.join("\n")}\n`);
    const fromFile = (args: string[]) => {
      const fd = openSync(file, "r");
      try {
        return spawnSync("npx", ["--no-install", "pledgewatch", "flag", ...args], {
          cwd: ROOT,
          stdio: [fd, "pipe", "pipe"],
          encoding: "utf8",
          timeout: 60_000,
          maxBuffer: 64 * 1024 * 1024,
        });
      } finally {
        closeSync(fd);
      }
    };
    const threaded = fromFile(["--threads", "2"]);
    const one = run(`${lines.join("\n")}\n`, ["--threads", "1"]);
    expect(threaded.status).toBe(0);
    expect(threaded.stderr).toContain("5000 lines, 1000 flagged, 0 errors (rule set v1, 2 threads)");
    expect(threaded.stdout).toBe(one.stdout);
    // The early workers do not keep the process alive when the run stops before using them.
    writeFileSync(join(dir, "bad.json"), "{}");
    const bad = fromFile(["--rules", join(dir, "bad.json")]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("is not a rule set");
  });

  it("refuses a thread count that is not a whole number from 1 to 64", () => {
    for (const bad of ["0", "many", "1.5", "65"]) {
      const result = run("", ["--threads", bad]);
      expect(result.status, bad).toBe(2);
      expect(result.stderr).toContain("--threads takes a whole number from 1 to 64");
    }
  });

  it("refuses an unknown command with the usage", () => {
    const result = spawnSync("npx", ["--no-install", "pledgewatch", "frobnicate"], {
      cwd: ROOT,
      encoding: "utf8",
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("usage: pledgewatch flag");
  });
});
