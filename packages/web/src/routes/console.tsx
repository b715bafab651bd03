import type { Hono } from "hono";
import type { AppEnv, WebDeps } from "../env";
import { principalOf, publicRoute, requires } from "../middleware";
import { HomePage } from "../pages/home";
import { pageContext } from "../pages/page-context";
import { StaffPage } from "../pages/staff";

export function registerConsole(app: Hono<AppEnv>, deps: WebDeps) {
  app.get("/", publicRoute(), (c) => c.redirect(c.get("principal") ? "/console" : "/sign-in", 303));

  app.get("/console", requires("console.view"), (c) =>
    c.html(<HomePage page={pageContext(c)} sessionExpiresAt={c.get("sessionExpiresAt")} />),
  );

  app.get("/console/staff", requires("staff.read"), async (c) => {
    const staff = await deps.staff.list(principalOf(c));
    return c.html(<StaffPage page={pageContext(c)} staff={staff} />);
  });
}
