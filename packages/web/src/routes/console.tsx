import { can, DAY_MS, type Principal } from "@pledgewatch/core";
import type { Hono } from "hono";
import type { AppEnv, WebDeps } from "../env";
import { principalOf, publicRoute, requires } from "../middleware";
import { HomePage, type TodaysWork } from "../pages/home";
import { pageContext } from "../pages/page-context";
import { StaffPage } from "../pages/staff";

export function registerConsole(app: Hono<AppEnv>, deps: WebDeps) {
  app.get("/", publicRoute(), (c) => c.redirect(c.get("principal") ? "/console" : "/sign-in", 303));

  app.get("/console", requires("console.view"), async (c) =>
    c.html(
      <HomePage
        page={pageContext(c)}
        sessionExpiresAt={c.get("sessionExpiresAt")}
        today={await todaysWork(deps, principalOf(c))}
      />,
    ),
  );

  app.get("/console/staff", requires("staff.read"), async (c) => {
    const staff = await deps.staff.list(principalOf(c));
    return c.html(<StaffPage page={pageContext(c)} staff={staff} />);
  });
}

/** One page of a queue: at most this many cases are counted (the page says "200+" beyond). */
const COUNTED = 200;

/**
 * The home page's day (issue 21, item 6): the person's queue and its oldest case, the cases they work
 * on, for leads the confirmations waiting for their approval, the takedown requests waiting for the
 * platform, and the quarter's coverage of their scope. Each comes from the service the linked page uses,
 * with the same scope checks.
 */
async function todaysWork(deps: WebDeps, actor: Principal): Promise<TodaysWork> {
  const state = async (s: "open" | "assigned" | "awaiting_approval" | "takedown") =>
    (await deps.review.queue(actor, { state: s, limit: COUNTED })).cases;
  const [open, assigned, takedown, coverage, approvals] = await Promise.all([
    state("open"),
    state("assigned"),
    state("takedown"),
    deps.coverage.read(actor, undefined),
    can(actor, "cases.approve") ? state("awaiting_approval") : undefined,
  ]);
  const more = open.length >= COUNTED;
  // The queue comes by priority, not age: its oldest case is known only when all of it was read.
  const oldest = more
    ? undefined
    : open.reduce<string | undefined>((min, c) => (!min || c.openedAt < min ? c.openedAt : min), undefined);
  const oldestDays = oldest
    ? Math.floor((deps.clock.now().getTime() - new Date(oldest).getTime()) / DAY_MS)
    : undefined;
  return {
    open: { count: open.length, more, oldestDays },
    mine: assigned.filter((c) => c.assignee?.staffId === actor.staffId).length,
    takedowns: takedown.length,
    ...(approvals ? { approvals: approvals.length } : {}),
    coverage: coverage.total,
  };
}
