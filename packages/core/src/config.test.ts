import { describe, expect, it } from "vitest";
import { z } from "zod";
import { loadConfig } from "./config";

const Schema = z.object({ TABLE_NAME: z.string().min(1), PORT: z.coerce.number().int().default(3000) });

describe("loadConfig", () => {
  it("parses and applies defaults", () => {
    expect(loadConfig(Schema, { TABLE_NAME: "main" })).toEqual({ TABLE_NAME: "main", PORT: 3000 });
  });

  it("names every bad variable", () => {
    expect(() => loadConfig(Schema, { PORT: "abc" })).toThrow(/TABLE_NAME[\s\S]*PORT|PORT[\s\S]*TABLE_NAME/);
  });
});
