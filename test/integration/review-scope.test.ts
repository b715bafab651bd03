import type { Principal } from "@pledgewatch/core";
import { DEMO_STAFF } from "@pledgewatch/local";
import { beforeAll, describe, expect, it } from "vitest";
import { storedCapture } from "../support/monitoring";
import { createTestPlatform } from "../support/platform";
import { flaggedCase } from "../support/review";

/**
 * A reviewer of one agency can neither see nor act on another agency's cases: every route that names a
 * case answers 404 to staff of another agency (as if it did not exist), and the case is left unchanged.
 */
let p: Awaited<ReturnType<typeof createTestPlatform>>;
let caseId = "";
let takedownCaseId = "";
let artefactKey = "";
const outsiders = new Map<string, { cookie: string; csrf: string }>();
let ctReviewerId = "";

interface CaseRoute {
  method: "GET" | "POST";
  path: (id: string) => string;
  json?: (id: string) => unknown;
  form?: (id: string) => Record<string, string>;
}

const CASE_ROUTES: CaseRoute[] = [
  { method: "GET", path: (id) => `/api/v1/cases/${id}` },
  { method: "GET", path: (id) => `/api/v1/cases/${id}/artefact?key=${encodeURIComponent(artefactKey)}` },
  { method: "POST", path: (id) => `/api/v1/cases/${id}/claim`, json: () => ({}) },
  { method: "POST", path: (id) => `/api/v1/cases/${id}/release`, json: () => ({}) },
  { method: "POST", path: (id) => `/api/v1/cases/${id}/assign`, json: () => ({ staffId: ctReviewerId }) },
  {
    method: "POST",
    path: (id) => `/api/v1/cases/${id}/decision`,
    json: () => ({ kind: "dismiss", reason: "false_positive" }),
  },
  {
    method: "POST",
    path: (id) => `/api/v1/cases/${id}/decision`,
    json: () => ({ kind: "refer", toAgency: "VHTT", reason: "Lấy về" }),
  },
  { method: "POST", path: (id) => `/api/v1/cases/${id}/approval`, json: () => ({ approve: true }) },
  { method: "POST", path: (id) => `/api/v1/cases/${id}/reopen`, json: () => ({ reason: "x" }) },
  { method: "POST", path: (id) => `/api/v1/cases/${id}/close`, json: () => ({ reason: "x" }) },
  { method: "GET", path: (id) => `/console/cases/${id}` },
  {
    method: "GET",
    path: (id) => `/console/cases/${id}/artefact?key=${encodeURIComponent(artefactKey)}`,
  },
  { method: "POST", path: (id) => `/console/cases/${id}/claim`, form: () => ({}) },
  { method: "POST", path: (id) => `/console/cases/${id}/release`, form: () => ({}) },
  { method: "POST", path: (id) => `/console/cases/${id}/assign`, form: () => ({ staffId: ctReviewerId }) },
  {
    method: "POST",
    path: (id) => `/console/cases/${id}/decision`,
    form: () => ({ kind: "confirm", type: "counterfeit", legalBasis: "NĐ 98/2020", statement: "Hàng giả" }),
  },
  { method: "POST", path: (id) => `/console/cases/${id}/approval`, form: () => ({ approve: "yes" }) },
  { method: "POST", path: (id) => `/console/cases/${id}/reopen`, form: () => ({ reason: "x" }) },
  { method: "POST", path: (id) => `/console/cases/${id}/close`, form: () => ({ reason: "x" }) },
  // A quick case report names the case in its body.
  {
    method: "POST",
    path: () => "/api/v1/review/reports",
    json: (id) => ({ kind: "case_quick", caseId: id }),
  },
  {
    method: "POST",
    path: () => "/console/review/reports",
    form: (id) => ({ kind: "case_quick", caseId: id }),
  },
];

const ctReviewer = (): Principal => {
  const s = DEMO_STAFF.find((x) => x.role === "reviewer" && x.agency === "CT");
  if (!s) throw new Error("no CT reviewer");
  return {
    staffId: ctReviewerId,
    email: s.email,
    name: s.name,
    agency: "CT",
    province: s.province,
    role: "reviewer",
  };
};

async function snapshot(id: string) {
  return { case: await p.repositories.cases.get(id), log: await p.repositories.cases.log(id) };
}

async function send(route: CaseRoute, id: string, who: { cookie: string; csrf: string }) {
  const headers: Record<string, string> = { Cookie: who.cookie, Origin: "http://localhost" };
  let body: string | URLSearchParams | undefined;
  if (route.json) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(route.json(id));
  } else if (route.form) {
    headers["Content-Type"] = "application/x-www-form-urlencoded";
    body = new URLSearchParams({ _csrf: who.csrf, ...route.form(id) });
  }
  return p.app.request(route.path(id), { method: route.method, headers, body });
}

beforeAll(async () => {
  p = await createTestPlatform();
  for (const [agency, role] of [
    ["VHTT", "reviewer"],
    ["VHTT", "lead"],
    ["YT", "reviewer"],
    ["CT", "reviewer"],
  ] as const) {
    const cookie = await p.cookieFor(role, agency);
    const html = await (await p.app.request("/console", { headers: { Cookie: cookie } })).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? "";
    outsiders.set(`${agency}/${role}`, { cookie, csrf });
    if (agency === "CT") {
      const me = await (await p.app.request("/api/v1/me", { headers: { Cookie: cookie } })).json();
      ctReviewerId = (me as { staffId: string }).staffId;
    }
  }
  const stored = await storedCapture(p.repositories.monitoring, p.documents, ctReviewer());
  artefactKey = stored.artefactKey;
  caseId = await flaggedCase(p, { captureId: stored.capture.id });
  // A confirmed case with its takedown request.
  takedownCaseId = await flaggedCase(p, { captureId: stored.capture.id });
  await p.review.decide(ctReviewer(), takedownCaseId, {
    kind: "confirm",
    violation: { type: "counterfeit", legalBasis: "Nghị định 98/2020/NĐ-CP", statement: "Bán hàng giả" },
  });
});

describe("cases of another agency", () => {
  it("lists every case route the app serves", () => {
    const served = new Set(
      p.app.routes
        .filter((r) => r.method !== "ALL" && /\/cases\/(:id|\{id\})/.test(r.path))
        .map((r) => `${r.method} ${r.path.replace(/\{(\w+)\}/g, ":$1")}`),
    );
    const listed = new Set(
      CASE_ROUTES.map((r) => `${r.method} ${r.path(":id").split("?")[0]}`).filter((r) =>
        r.includes("/cases/"),
      ),
    );
    expect([...served].sort()).toEqual([...listed].sort());
  });

  for (const who of ["VHTT/reviewer", "VHTT/lead", "YT/reviewer"]) {
    for (const route of CASE_ROUTES) {
      // Leads' routes refuse a reviewer of any agency by role (403) before the case is looked up.
      const leadsOnly = /\/(approval|reopen|close)$/.test(route.path(":id"));
      const expected = leadsOnly && who.endsWith("reviewer") ? 403 : 404;
      it(`${route.method} ${route.path(":id").split("?")[0]} as ${who} → ${expected}, case unchanged`, async () => {
        for (const id of [caseId, takedownCaseId]) {
          const before = await snapshot(id);
          const res = await send(route, id, outsiders.get(who) as { cookie: string; csrf: string });
          expect(res.status).toBe(expected);
          const text = await res.text();
          expect(text).not.toContain("rep 1:1");
          expect(await snapshot(id)).toEqual(before);
        }
      });
    }
  }

  it("keeps them out of the queue and refuses to list another agency's queue", async () => {
    const vhtt = outsiders.get("VHTT/reviewer") as { cookie: string };
    const queue = await p.app.request("/api/v1/cases?state=open", { headers: { Cookie: vhtt.cookie } });
    expect(queue.status).toBe(200);
    const ids = ((await queue.json()) as { items: { id: string }[] }).items.map((c) => c.id);
    expect(ids).not.toContain(caseId);
    for (const path of [
      "/api/v1/cases?agency=CT",
      "/console/cases?agency=CT",
      "/api/v1/cases?state=takedown&agency=CT",
    ]) {
      const res = await p.app.request(path, { headers: { Cookie: vhtt.cookie } });
      expect(res.status, path).toBe(403);
    }
    const page = await (await p.app.request("/console/cases", { headers: { Cookie: vhtt.cookie } })).text();
    expect(page).not.toContain(caseId);
    // The owning agency sees both.
    const ct = outsiders.get("CT/reviewer") as { cookie: string };
    const own = await (await p.app.request("/api/v1/cases", { headers: { Cookie: ct.cookie } })).json();
    expect((own as { items: { id: string }[] }).items.map((c) => c.id)).toContain(caseId);
  });

  it("refuses a bulk dismissal of another agency's cases, case by case, changing nothing", async () => {
    const vhtt = outsiders.get("VHTT/reviewer") as { cookie: string; csrf: string };
    const before = await snapshot(caseId);
    const api = await p.app.request("/api/v1/cases/bulk-dismiss", {
      method: "POST",
      headers: { Cookie: vhtt.cookie, "Content-Type": "application/json" },
      body: JSON.stringify({ ids: [caseId], reason: "false_positive" }),
    });
    expect(api.status).toBe(200);
    expect(await api.json()).toMatchObject({
      dismissed: 0,
      results: [{ id: caseId, ok: false, code: "not_found" }],
    });
    const form = await p.app.request("/console/cases/bulk-dismiss", {
      method: "POST",
      headers: {
        Cookie: vhtt.cookie,
        "Content-Type": "application/x-www-form-urlencoded",
        Origin: "http://localhost",
      },
      body: new URLSearchParams({ _csrf: vhtt.csrf, ids: caseId, reason: "false_positive" }),
    });
    expect(form.status).toBe(303);
    expect(form.headers.get("location")).toBe("/console/cases?dismissed=0&failed=1");
    expect(await snapshot(caseId)).toEqual(before);
  });

  it("moves the case with a referral: the new agency sees it, the old one no longer does", async () => {
    const id = await flaggedCase(p);
    const ct = outsiders.get("CT/reviewer") as { cookie: string };
    const vhtt = outsiders.get("VHTT/reviewer") as { cookie: string };
    const referred = await p.app.request(`/api/v1/cases/${id}/decision`, {
      method: "POST",
      headers: { Cookie: ct.cookie, "Content-Type": "application/json" },
      body: JSON.stringify({ kind: "refer", toAgency: "VHTT", reason: "Quảng cáo của KOL" }),
    });
    expect(referred.status).toBe(200);
    expect((await p.app.request(`/api/v1/cases/${id}`, { headers: { Cookie: ct.cookie } })).status).toBe(404);
    const seen = await p.app.request(`/api/v1/cases/${id}`, { headers: { Cookie: vhtt.cookie } });
    expect(seen.status).toBe(200);
    const detail = (await seen.json()) as {
      case: { agency: string; routedBy: string };
      log: { event: { type: string } }[];
    };
    expect(detail.case).toMatchObject({ agency: "VHTT", routedBy: "referral" });
    expect(detail.log.at(-1)?.event).toMatchObject({ type: "referred" });
  });
});
