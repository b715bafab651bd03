import { ConflictError, ForbiddenError, fieldIssues, InvalidError } from "@pledgewatch/core";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { AppEnv, Logger } from "./env";
import { createErrorHandler } from "./errors";
import { messages } from "./i18n";

function appThrowing(error: Error, lang: "vi" | "en" = "vi") {
  const logged: unknown[] = [];
  const logger: Logger = { info() {}, warn() {}, error: (...args) => void logged.push(args) };
  const app = new Hono<AppEnv>();
  app.use(async (c, next) => {
    c.set("requestId", "req-42");
    c.set("lang", lang);
    c.set("t", messages(lang));
    await next();
  });
  app.get("/api/boom", () => {
    throw error;
  });
  app.get("/page", () => {
    throw error;
  });
  app.onError(createErrorHandler(logger));
  return { app, logged };
}

describe("error handler", () => {
  it("answers an unexpected error with a bare 500 and logs the details", async () => {
    const { app, logged } = appThrowing(new Error("password=hunter2 at db.ts:12"));
    const res = await app.request("/api/boom");
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({
      error: { code: "internal", message: "Internal server error", requestId: "req-42" },
    });
    expect(text).not.toContain("hunter2");
    expect(JSON.stringify(logged)).toContain("hunter2");
    const page = await app.request("/page");
    expect(page.status).toBe(500);
    expect(await page.text()).not.toContain("hunter2");
  });

  it("does not echo the internal reason of a refusal", async () => {
    const { app } = appThrowing(new ForbiddenError("Role viewer of CT/37 may not parties.write"));
    const res = await app.request("/api/boom");
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({
      error: { code: "forbidden", message: "You may not do this", requestId: "req-42" },
    });
  });

  it("maps a conflict to 409", async () => {
    const { app } = appThrowing(new ConflictError("staff account: already exists"));
    expect((await app.request("/api/boom")).status).toBe(409);
  });

  it("words a bad query's issues from the catalogue, never zod's English or a bare colon", async () => {
    const Query = z.strictObject({
      state: z.enum(["open", "closed"]).optional(),
      q: z.string().max(5).optional(),
    });
    const input = { state: "nope", q: "far too long", foo: "1" };
    const result = Query.safeParse(input);
    if (result.success) throw new Error("expected failure");
    const error = new InvalidError("Invalid queue filter", fieldIssues(result.error, input));

    const vi = await (await appThrowing(error).app.request("/page")).text();
    expect(vi).toContain("<strong>foo</strong>: Trường này không được phép.");
    expect(vi).toContain("Không phải một lựa chọn hợp lệ.");
    expect(vi).toContain("Không được dài quá 5 ký tự.");
    expect(vi).not.toMatch(/Unrecognized|Invalid option|Too big|<li>\s*:/);

    const en = await (await appThrowing(error, "en").app.request("/page")).text();
    expect(en).toContain("This field is not allowed.");
    expect(en).toContain("At most 5 characters.");

    const api = await (await appThrowing(error).app.request("/api/boom")).json();
    expect(api.error.issues).toEqual(
      expect.arrayContaining([
        { field: "foo", message: "Unknown field", code: "unknown_field" },
        expect.objectContaining({ field: "q", code: "too_long", limit: 5 }),
        expect.objectContaining({ field: "state", code: "invalid_option" }),
      ]),
    );
  });
});
