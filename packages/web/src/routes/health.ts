import type { Hono } from "hono";
import type { AppEnv, WebDeps } from "../env";
import { publicRoute } from "../middleware";

export function registerHealth(app: Hono<AppEnv>, deps: WebDeps) {
  app.get("/health", publicRoute(), async (c) => {
    c.header("Cache-Control", "no-store");
    try {
      await deps.health.check();
      return c.json({ status: "ok", stage: deps.stage, database: "ok", time: new Date().toISOString() }, 200);
    } catch (error) {
      deps.logger.warn("health check failed", {
        requestId: c.get("requestId"),
        error: error instanceof Error ? error.message : String(error),
      });
      return c.json({ status: "unavailable", stage: deps.stage, database: "unavailable" }, 503);
    }
  });
}
