import type { Hono } from "hono";
import type { AppEnv } from "../env";
import { publicRoute } from "../middleware";
import { APP_CSS, REVIEW_JS, SIGNATURE_JS } from "../static";

export function registerStatic(app: Hono<AppEnv>) {
  app.get("/static/app.css", publicRoute(), (c) => {
    c.header("Content-Type", "text/css; charset=utf-8");
    c.header("Cache-Control", "public, max-age=3600");
    return c.body(APP_CSS);
  });
  app.get("/static/signature.js", publicRoute(), (c) => {
    c.header("Content-Type", "text/javascript; charset=utf-8");
    c.header("Cache-Control", "public, max-age=3600");
    return c.body(SIGNATURE_JS);
  });
  app.get("/static/review.js", publicRoute(), (c) => {
    c.header("Content-Type", "text/javascript; charset=utf-8");
    c.header("Cache-Control", "public, max-age=3600");
    return c.body(REVIEW_JS);
  });
}
