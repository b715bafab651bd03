import { describe, expect, it } from "vitest";
import { z } from "zod";
import { issuesFromZod } from "./errors";
import { safeNext } from "./routes/auth";

describe("issuesFromZod", () => {
  const Schema = z.strictObject({ name: z.string(), group: z.enum(["a", "b"]), tags: z.array(z.string()) });

  it("names unknown, missing and wrong fields", () => {
    const input = { name: 5, tags: ["x", 3], extra: true };
    const result = Schema.safeParse(input);
    if (result.success) throw new Error("expected failure");
    const issues = issuesFromZod(result.error, input);
    expect(issues).toEqual(
      expect.arrayContaining([
        { field: "extra", message: expect.stringContaining("unknown field") },
        { field: "group", message: expect.stringContaining("required") },
        { field: "name", message: expect.stringContaining("expected string") },
        { field: "tags.1", message: expect.stringContaining("expected string") },
      ]),
    );
    expect(issues).toHaveLength(4);
  });
});

describe("safeNext", () => {
  it("follows only same-site relative paths", () => {
    expect(safeNext("/console/parties")).toBe("/console/parties");
    expect(safeNext("https://evil.example")).toBe("/console");
    expect(safeNext("//evil.example")).toBe("/console");
    expect(safeNext("/\\evil.example")).toBe("/console");
    expect(safeNext(undefined)).toBe("/console");
  });
});
