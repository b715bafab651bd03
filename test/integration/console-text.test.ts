import { beforeAll, describe, expect, it } from "vitest";
import { freshTaxCode } from "../support/fixtures";
import { createTestPlatform } from "../support/platform";

/** Text staff read on console pages comes from the catalogues, never field keys or English (issue 24, item 13). */
let p: Awaited<ReturnType<typeof createTestPlatform>>;
let cookie = "";

const send = (method: string, body: unknown) => ({
  method,
  body: JSON.stringify(body),
  headers: { "Content-Type": "application/json", Cookie: cookie, Origin: "http://localhost" },
});

/** The page's text as a person reads it: tags and their attributes removed. */
const visibleText = (page: string) =>
  page
    .replace(/<script[\s\S]*?<\/script>/g, "")
    .replace(/<[^>]*>/g, " ")
    .replace(/\s+/g, " ");

beforeAll(async () => {
  p = await createTestPlatform();
  cookie = await p.cookieFor("reviewer", "CT");
});

describe("a party's history", () => {
  it("names the changed fields as the form does, in either language", async () => {
    const created = await p.app.request(
      "/api/v1/parties",
      send("POST", {
        name: "Công ty TNHH Thương mại Tràng An",
        group: "ecommerce_platform",
        provinces: ["37"],
        taxCode: freshTaxCode(7),
      }),
    );
    expect(created.status).toBe(201);
    const party = (await created.json()) as { id: string; version: number };
    const changed = await p.app.request(
      `/api/v1/parties/${party.id}`,
      send("PATCH", { version: party.version, notes: "Đã gọi điện nhắc ký", ward: "Phường Hoa Lư" }),
    );
    expect(changed.status).toBe(200);

    const page = async (lang: string) =>
      visibleText(
        await (
          await p.app.request(`/console/parties/${party.id}?lang=${lang}`, { headers: { Cookie: cookie } })
        ).text(),
      );
    const vi = await page("vi");
    expect(vi).toMatch(/Các trường đã đổi: (Xã\/phường, Ghi chú|Ghi chú, Xã\/phường)/);
    expect(vi).not.toMatch(/đã đổi: [^.]*\b(notes|ward)\b/);
    expect(await page("en")).toMatch(/Changed fields: (Ward, Notes|Notes, Ward)/);
  });
});
