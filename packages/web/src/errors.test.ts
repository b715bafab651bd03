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
        { field: "extra", message: "Unknown field", code: "unknown_field" },
        { field: "group", message: "Required field is missing", code: "required" },
        { field: "name", message: expect.stringContaining("expected string"), code: "invalid_type" },
        { field: "tags.1", message: expect.stringContaining("expected string"), code: "invalid_type" },
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

describe("fieldIssues", () => {
  it("keeps a schema's own message without a code, and finds a missing field without the input", () => {
    const Schema = z.object({
      name: z.string().min(10, "Tên quá ngắn"),
      age: z.number().min(18),
      city: z.string(),
    });
    const result = Schema.safeParse({ name: "An", age: 3 });
    if (result.success) throw new Error("expected failure");
    expect(issuesFromZod(result.error)).toEqual([
      { field: "name", message: "Tên quá ngắn" },
      expect.objectContaining({ field: "age", code: "too_small", limit: 18 }),
      { field: "city", message: "Required field is missing", code: "required" },
    ]);
  });
});
