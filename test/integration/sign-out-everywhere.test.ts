import { beforeAll, describe, expect, it } from "vitest";
import { createTestPlatform } from "../support/platform";

let p: Awaited<ReturnType<typeof createTestPlatform>>;
beforeAll(async () => {
  p = await createTestPlatform();
});

const consolePage = (cookie: string) => p.app.request("/console", { headers: { Cookie: cookie } });
const csrfOf = async (cookie: string) =>
  /name="_csrf" value="([^"]+)"/.exec(await (await consolePage(cookie)).text())?.[1] ?? "";

describe("sign-out everywhere (issue 19, item 3)", () => {
  it("ends every session of the staff member on every device, and no one else's", async () => {
    const laptop = await p.cookieFor("reviewer", "CT");
    const phone = await p.cookieFor("reviewer", "CT");
    const colleague = await p.cookieFor("reviewer", "VHTT");
    for (const cookie of [laptop, phone, colleague]) expect((await consolePage(cookie)).status).toBe(200);
    const html = await (await consolePage(phone)).text();
    expect(html).toContain("Đăng xuất mọi thiết bị");

    const res = await p.app.request("/sign-out/everywhere", {
      method: "POST",
      body: new URLSearchParams({ _csrf: await csrfOf(phone) }),
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Origin: "http://localhost",
        Cookie: phone,
      },
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/sign-in");
    expect(res.headers.get("set-cookie")).toMatch(/pw_session=;/);
    // Both of the reviewer's sessions are gone: the console sends each device to the sign-in page.
    for (const cookie of [laptop, phone]) {
      const page = await consolePage(cookie);
      expect(page.status).toBe(303);
      expect(page.headers.get("location")).toMatch(/^\/sign-in/);
      expect((await p.app.request("/api/v1/me", { headers: { Cookie: cookie } })).status).toBe(401);
    }
    // The colleague of another office is still signed in.
    expect((await consolePage(colleague)).status).toBe(200);
  });

  it("needs the form's CSRF token, as every console form does", async () => {
    const cookie = await p.cookieFor("viewer", "CT");
    const res = await p.app.request("/sign-out/everywhere", {
      method: "POST",
      body: new URLSearchParams({}),
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Origin: "http://localhost",
        Cookie: cookie,
      },
    });
    expect(res.status).toBe(403);
    expect((await consolePage(cookie)).status).toBe(200);
  });
});
