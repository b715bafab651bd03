import { ConflictError, ForbiddenError } from "@pledgewatch/core";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { AppEnv, Logger } from "./env";
import { createErrorHandler } from "./errors";

function appThrowing(error: Error) {
  const logged: unknown[] = [];
  const logger: Logger = { info() {}, warn() {}, error: (...args) => void logged.push(args) };
  const app = new Hono<AppEnv>();
  app.use(async (c, next) => {
    c.set("requestId", "req-42");
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
});
