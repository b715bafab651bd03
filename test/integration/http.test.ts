import { DEMO_PASSWORD } from "@pledgewatch/local";
import { beforeAll, describe, expect, it } from "vitest";
import { freshTaxCode } from "../support/fixtures";
import { createTestPlatform } from "../support/platform";

let p: Awaited<ReturnType<typeof createTestPlatform>>;
beforeAll(async () => {
  p = await createTestPlatform();
});

const json = (body: unknown, cookie?: string) => ({
  method: "POST",
  body: typeof body === "string" ? body : JSON.stringify(body),
  headers: { "Content-Type": "application/json", ...(cookie ? { Cookie: cookie } : {}) },
});

const validParty = () => ({
  name: "Công ty TNHH Thương mại Hoa Lư",
  group: "ecommerce_platform",
  provinces: ["37"],
  taxCode: freshTaxCode(),
});

describe("health", () => {
  it("answers 200 when the database answers", async () => {
    const res = await p.app.request("/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", database: "ok" });
  });
});

describe("sign-in", () => {
  it("signs a demo account in, shows the console in Vietnamese, and signs out", async () => {
    const { res, cookie } = await p.signIn("reviewer.ct@demo.pledgewatch.vn");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/console");
    expect(res.headers.get("set-cookie")).toMatch(/pw_session=[^;]+;.*HttpOnly/i);
    expect(res.headers.get("set-cookie")).toMatch(/SameSite=Lax/i);

    const home = await p.app.request("/console", { headers: { Cookie: cookie ?? "" } });
    const html = await home.text();
    expect(home.status).toBe(200);
    expect(html).toContain('lang="vi"');
    expect(html).toContain("Xin chào, Lê Văn Minh");
    expect(html).toContain("Sở Công Thương");

    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? "";
    const out = await p.app.request("/sign-out", {
      method: "POST",
      body: new URLSearchParams({ _csrf: csrf }),
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Origin: "http://localhost",
        Cookie: cookie ?? "",
      },
    });
    expect(out.status).toBe(303);
    const after = await p.app.request("/api/v1/me", { headers: { Cookie: cookie ?? "" } });
    expect(after.status).toBe(401);
  });

  it("shows the console in English when asked, and remembers it", async () => {
    const cookie = await p.cookieFor("viewer", "YT");
    const res = await p.app.request("/console?lang=en", { headers: { Cookie: cookie } });
    const html = await res.text();
    expect(html).toContain('lang="en"');
    expect(html).toContain("Department of Health");
    expect(res.headers.get("set-cookie")).toContain("pw_lang=en");
  });

  it("refuses a sign-in form without its CSRF token", async () => {
    const res = await p.app.request(
      "/sign-in",
      {
        method: "POST",
        body: new URLSearchParams({ email: "reviewer.ct@demo.pledgewatch.vn", password: DEMO_PASSWORD }),
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "http://localhost" },
      },
      { remoteAddress: "10.1.1.1" },
    );
    expect(res.status).toBe(403);
    expect(res.headers.get("set-cookie") ?? "").not.toContain("pw_session");
  });

  it("refuses a cross-site form post", async () => {
    const res = await p.app.request("/sign-in", {
      method: "POST",
      body: new URLSearchParams({ email: "x@example.vn", password: "x" }),
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "https://evil.example" },
    });
    expect(res.status).toBe(403);
  });

  it("says the same thing for a wrong password and an unknown account, in Vietnamese", async () => {
    const wrong = await p.signIn("lead.ct@demo.pledgewatch.vn", "wrong password!", "10.2.0.1");
    const unknown = await p.signIn("nobody@demo.pledgewatch.vn", "wrong password!", "10.2.0.2");
    expect(wrong.res.status).toBe(401);
    expect(unknown.res.status).toBe(401);
    expect(await wrong.res.text()).toContain("Email hoặc mật khẩu không đúng.");
    expect(await unknown.res.text()).toContain("Email hoặc mật khẩu không đúng.");
  });

  it("locks an account after repeated failures, even from different addresses", async () => {
    for (let i = 0; i < 5; i++) {
      expect(
        (await p.signIn("lead.yt@demo.pledgewatch.vn", "wrong password!", `10.3.0.${i}`)).res.status,
      ).toBe(401);
    }
    const locked = await p.signIn("lead.yt@demo.pledgewatch.vn", DEMO_PASSWORD, "10.3.1.1");
    expect(locked.res.status).toBe(429);
    expect(locked.res.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(locked.cookie).toBeUndefined();
    expect(await locked.res.text()).toContain("Đăng nhập sai quá nhiều lần");
  });

  it("redirects a console page without a session to sign-in, keeping where the user was going", async () => {
    const res = await p.app.request("/console/parties");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/sign-in?next=%2Fconsole%2Fparties");
  });
});

describe("JSON API errors", () => {
  it("gives 401 without a session", async () => {
    const res = await p.app.request("/api/v1/parties");
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: "unauthenticated" } });
  });

  it("gives 400 naming the body for malformed JSON", async () => {
    const cookie = await p.cookieFor("reviewer");
    const res = await p.app.request("/api/v1/parties", json('{"name": "x",', cookie));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: "invalid", issues: [{ field: "body" }] } });
  });

  it("gives 400 naming an unknown field", async () => {
    const cookie = await p.cookieFor("reviewer");
    const res = await p.app.request("/api/v1/parties", json({ ...validParty(), nickname: "Hoa Lư" }, cookie));
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { issues: { field: string }[] } };
    expect(body.error.issues.map((i) => i.field)).toEqual(["nickname"]);
  });

  it("gives 400 naming a missing field", async () => {
    const cookie = await p.cookieFor("reviewer");
    const { provinces: _missing, ...withoutProvinces } = validParty();
    const res = await p.app.request("/api/v1/parties", json(withoutProvinces, cookie));
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { issues: { field: string; message: string }[] } };
    expect(body.error.issues).toEqual([
      { field: "provinces", message: "Required field is missing", code: "required" },
    ]);
  });

  it("gives 415 for a body that is not JSON, and 403 when such a post comes without a same-site Origin", async () => {
    const cookie = await p.cookieFor("reviewer");
    const headers = { "Content-Type": "text/plain", Cookie: cookie };
    const sameSite = await p.app.request("/api/v1/parties", {
      method: "POST",
      body: "name=x",
      headers: { ...headers, Origin: "http://localhost" },
    });
    expect(sameSite.status).toBe(415);
    expect(await sameSite.json()).toMatchObject({ error: { code: "unsupported_media_type" } });
    // text/plain is a content type a cross-site page can post without pre-flight: Hono's csrf() refuses it.
    const noOrigin = await p.app.request("/api/v1/parties", { method: "POST", body: "name=x", headers });
    expect(noOrigin.status).toBe(403);
    // A bearer token beside the cookie changes nothing: the cookie is the ambient credential checked.
    const withBoth = await p.app.request("/api/v1/parties", {
      method: "POST",
      body: "name=x",
      headers: { ...headers, Authorization: "Bearer x.y.z" },
    });
    expect(withBoth.status).toBe(403);
    // A bearer call with no cookie is no browser's form: it passes the Origin check and meets the token's.
    const bearerOnly = await p.app.request("/api/v1/parties", {
      method: "POST",
      body: "name=x",
      headers: { "Content-Type": "text/plain", Authorization: "Bearer x.y.z" },
    });
    expect(bearerOnly.status).toBe(401);
  });

  it("refuses a viewer what a reviewer may do", async () => {
    const viewer = await p.cookieFor("viewer");
    const reviewer = await p.cookieFor("reviewer");
    const refused = await p.app.request("/api/v1/parties", json(validParty(), viewer));
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { code: "forbidden" } });
    const created = await p.app.request("/api/v1/parties", json(validParty(), reviewer));
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ agency: "CT", family: "platform", provinces: ["37"] });
  });

  it("refuses a reviewer work in another agency or province; an admin may", async () => {
    const reviewer = await p.cookieFor("reviewer", "CT");
    const doctor = {
      name: "BS. Trần Văn Bình",
      group: "doctor",
      provinces: ["37"],
      practisingCertificate: "004321/NBI-CCHN",
    };
    expect((await p.app.request("/api/v1/parties", json(doctor, reviewer))).status).toBe(403);
    expect(
      (await p.app.request("/api/v1/parties", json({ ...validParty(), provinces: ["79"] }, reviewer))).status,
    ).toBe(403);
    expect((await p.app.request("/api/v1/parties?agency=YT", { headers: { Cookie: reviewer } })).status).toBe(
      403,
    );
    const admin = await p.cookieFor("admin");
    expect((await p.app.request("/api/v1/parties", json(doctor, admin))).status).toBe(201);
  });

  it("gives 409 naming the identifier when another party holds it", async () => {
    const reviewer = await p.cookieFor("reviewer", "CT");
    const first = validParty();
    expect((await p.app.request("/api/v1/parties", json(first, reviewer))).status).toBe(201);
    const res = await p.app.request(
      "/api/v1/parties",
      json({ ...validParty(), taxCode: first.taxCode }, reviewer),
    );
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({
      error: { code: "conflict", message: expect.stringContaining(first.taxCode) },
    });
  });

  it("gives 409 when a staff email is taken", async () => {
    const admin = await p.cookieFor("admin");
    const body = {
      email: "viewer.ct@demo.pledgewatch.vn",
      name: "Trùng Email",
      agency: "CT",
      province: "37",
      role: "viewer",
      password: "a long enough password",
    };
    const res = await p.app.request("/api/v1/staff", json(body, admin));
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: { code: "conflict" } });
  });

  it("gives 404 as JSON for an unknown API route and as a page elsewhere", async () => {
    const api = await p.app.request("/api/v1/nothing-here");
    expect(api.status).toBe(404);
    expect(await api.json()).toMatchObject({ error: { code: "not_found" } });
    const page = await p.app.request("/nothing-here");
    expect(page.status).toBe(404);
    expect(await page.text()).toContain("Không tìm thấy trang");
  });

  it("serves an OpenAPI 3.1 document generated from the schemas, and its browsable page", async () => {
    const doc = (await (await p.app.request("/api/openapi.json")).json()) as {
      openapi: string;
      paths: Record<string, Record<string, { requestBody?: unknown }>>;
      components: { schemas: Record<string, { required?: string[]; additionalProperties?: boolean }> };
    };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/api/v1/me",
        "/api/v1/parties",
        "/api/v1/staff",
        "/api/v1/staff/{id}",
        "/api/v1/provinces",
      ]),
    );
    const body = doc.paths["/api/v1/parties"]?.post?.requestBody as {
      content: { "application/json": { schema: { required?: string[]; additionalProperties?: boolean } } };
    };
    const schema = body.content["application/json"].schema;
    expect(schema.required).toEqual(expect.arrayContaining(["name", "group", "provinces"]));
    expect(schema.additionalProperties).toBe(false);
    const page = await p.app.request("/api/docs");
    expect(await page.text()).toContain("/api/docs/assets/swagger-ui-bundle.js");
    const bundle = await p.app.request("/api/docs/assets/swagger-ui-bundle.js");
    expect(bundle.status).toBe(200);
    expect((await bundle.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
    expect((await p.app.request("/api/docs/assets/..%2Fpackage.json")).status).toBe(404);
  });

  it("answers 503 without internals when the database fails", async () => {
    const broken = await createTestPlatform({ seed: false });
    // Drop the table under the app: every database call now fails.
    const { DeleteTableCommand } = await import("@aws-sdk/client-dynamodb");
    const cookieless = await broken.app.request("/api/v1/me");
    expect(cookieless.status).toBe(401);
    await broken.clients.client.send(new DeleteTableCommand({ TableName: broken.tableName }));
    const res = await broken.app.request("/sign-in", {
      method: "POST",
      body: new URLSearchParams({ email: "a@b.vn", password: "x", _csrf: "t" }),
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Origin: "http://localhost",
        Cookie: "pw_csrf=t",
      },
    });
    const text = await res.text();
    expect(res.status).toBe(503);
    expect(text).not.toMatch(/ResourceNotFound|stack|at .*\.ts/);
    const health = await broken.app.request("/health");
    expect(health.status).toBe(503);
  });
});
