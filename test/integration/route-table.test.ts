import { ACTIONS, type Action, STAFF_ROLES, type StaffRole } from "@pledgewatch/core";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestPlatform } from "../support/platform";

/**
 * The route × role table: every route of the app, who may call it, and a request that succeeds for an
 * allowed caller. Every capability adds its routes here; the first test fails when a route is missing.
 */
interface RouteCase {
  method: "GET" | "POST";
  path: string | ((ctx: { staffId: string }) => string);
  access: "public" | Action;
  /** JSON body, or a form (true: just the session's CSRF token). */
  json?: () => unknown;
  form?: boolean;
  /** Status an allowed caller gets. */
  ok: number;
  /** Status a signed-in caller gets where it differs (the sign-in page sends them on to the console). */
  okSignedIn?: number;
}

let unique = 0;
const ROUTES: RouteCase[] = [
  { method: "GET", path: "/", access: "public", ok: 303 },
  { method: "GET", path: "/health", access: "public", ok: 200 },
  { method: "GET", path: "/static/app.css", access: "public", ok: 200 },
  { method: "GET", path: "/sign-in", access: "public", ok: 200, okSignedIn: 303 },
  // Without the form's CSRF token every caller is refused; that the form works is tested in http.test.ts.
  { method: "POST", path: "/sign-in", access: "public", ok: 403 },
  { method: "POST", path: "/sign-out", access: "console.view", form: true, ok: 303 },
  { method: "GET", path: "/console", access: "console.view", ok: 200 },
  { method: "GET", path: "/console/parties", access: "parties.read", ok: 200 },
  { method: "GET", path: "/console/staff", access: "staff.read", ok: 200 },
  { method: "GET", path: "/api/openapi.json", access: "public", ok: 200 },
  { method: "GET", path: "/api/docs", access: "public", ok: 200 },
  { method: "GET", path: "/api/docs/assets/init.js", access: "public", ok: 200 },
  { method: "GET", path: "/api/docs/assets/swagger-ui.css", access: "public", ok: 200 },
  { method: "GET", path: "/api/v1/me", access: "me.read", ok: 200 },
  { method: "GET", path: "/api/v1/provinces", access: "reference.read", ok: 200 },
  { method: "GET", path: "/api/v1/agencies", access: "reference.read", ok: 200 },
  { method: "GET", path: "/api/v1/signer-groups", access: "reference.read", ok: 200 },
  { method: "GET", path: "/api/v1/parties", access: "parties.read", ok: 200 },
  {
    method: "POST",
    path: "/api/v1/parties",
    access: "parties.write",
    json: () => ({ name: `Sàn thử ${unique++}`, group: "ecommerce_platform", provinces: ["37"] }),
    ok: 201,
  },
  { method: "GET", path: "/api/v1/staff", access: "staff.read", ok: 200 },
  {
    method: "POST",
    path: "/api/v1/staff",
    access: "staff.manage",
    json: () => ({
      email: `new${unique++}@demo.pledgewatch.vn`,
      name: "Cán bộ mới",
      agency: "CT",
      province: "37",
      role: "viewer",
      password: "a long enough password",
    }),
    ok: 201,
  },
  { method: "GET", path: ({ staffId }) => `/api/v1/staff/${staffId}`, access: "me.read", ok: 200 },
];

/** Route patterns as the app registers them, to compare with the table. */
const pattern = (route: RouteCase) =>
  `${route.method} ${typeof route.path === "string" ? route.path : route.path({ staffId: ":id" })}`;

let p: Awaited<ReturnType<typeof createTestPlatform>>;
const sessions = new Map<StaffRole, { cookie: string; csrf: string; staffId: string }>();

beforeAll(async () => {
  p = await createTestPlatform();
  for (const role of STAFF_ROLES) {
    const cookie = await p.cookieFor(role, "CT");
    const html = await (await p.app.request("/console", { headers: { Cookie: cookie } })).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? "";
    const me = (await (await p.app.request("/api/v1/me", { headers: { Cookie: cookie } })).json()) as {
      staffId: string;
    };
    sessions.set(role, { cookie, csrf, staffId: me.staffId });
  }
});

function expectedFor(route: RouteCase, role: StaffRole | "anonymous"): number {
  if (route.access === "public") return role === "anonymous" ? route.ok : (route.okSignedIn ?? route.ok);
  const path = pattern(route).split(" ")[1] ?? "";
  if (role === "anonymous") return path.startsWith("/api/") ? 401 : 303;
  const allowed = STAFF_ROLES.indexOf(role) >= STAFF_ROLES.indexOf(ACTIONS[route.access].minRole);
  return allowed ? route.ok : 403;
}

describe("route × role table", () => {
  it("lists every route the app serves", () => {
    const served = new Set(
      p.app.routes
        .filter((r) => r.method !== "ALL")
        .map((r) => `${r.method} ${r.path.replace(/\{(\w+)\}/g, ":$1")}`),
    );
    const listed = new Set(ROUTES.map(pattern));
    // The asset route is one pattern serving several files.
    listed.add("GET /api/docs/assets/:name");
    listed.delete("GET /api/docs/assets/swagger-ui.css");
    expect([...served].sort()).toEqual([...listed].sort());
  });

  for (const route of ROUTES) {
    for (const role of ["anonymous", ...STAFF_ROLES] as const) {
      it(`${pattern(route)} as ${role} → ${expectedFor(route, role)}`, async () => {
        const session = role === "anonymous" ? undefined : sessions.get(role);
        const headers: Record<string, string> = { Origin: "http://localhost" };
        if (session) headers.Cookie = session.cookie;
        let body: string | URLSearchParams | undefined;
        if (route.json) {
          headers["Content-Type"] = "application/json";
          body = JSON.stringify(route.json());
        } else if (route.form || route.method === "POST") {
          headers["Content-Type"] = "application/x-www-form-urlencoded";
          body = new URLSearchParams(route.form && session ? { _csrf: session.csrf } : {});
        }
        const path =
          typeof route.path === "string" ? route.path : route.path({ staffId: session?.staffId ?? "nobody" });
        const res = await p.app.request(path, { method: route.method, headers, body });
        expect(res.status).toBe(expectedFor(route, role));
        if (role === "anonymous" && route.access !== "public" && res.status === 303) {
          expect(res.headers.get("location")).toMatch(/^\/sign-in/);
        }
        if (route.form && session && role !== "anonymous" && res.status === 303) {
          // Signing out ended that session: sign in again for the next cases.
          const cookie = await p.cookieFor(role, "CT");
          const html = await (await p.app.request("/console", { headers: { Cookie: cookie } })).text();
          sessions.set(role, {
            ...session,
            cookie,
            csrf: /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? "",
          });
        }
      });
    }
  }
});
