import type { Context } from "hono";
import type { AppEnv } from "../env";
import type { PageContext } from "./layout";

export function pageContext(c: Context<AppEnv>): PageContext {
  return {
    lang: c.get("lang"),
    t: c.get("t"),
    principal: c.get("principal"),
    csrfToken: c.get("csrfToken"),
    path: c.req.path,
  };
}
