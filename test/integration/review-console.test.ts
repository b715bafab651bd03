import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestPlatform } from "../support/platform";
import { flaggedCase } from "../support/review";

/** The review console's pages as a CT reviewer sees them (issue 24). */
let p: Awaited<ReturnType<typeof createTestPlatform>>;
let reviewer = { cookie: "", csrf: "" };

async function html(path: string): Promise<string> {
  const res = await p.app.request(path, { headers: { Cookie: reviewer.cookie } });
  expect(res.status, path).toBe(200);
  return res.text();
}

/** The decision form's violation type select: its options and the one selected. */
function typeSelect(page: string): { selected: string[]; first: string } {
  const select = /<select id="f-type"[^>]*>([\s\S]*?)<\/select>/.exec(page)?.[1] ?? "";
  const options = [...select.matchAll(/<option value="([^"]*)"( selected="")?/g)];
  return { selected: options.filter((o) => o[2]).map((o) => o[1] ?? ""), first: options[0]?.[1] ?? "?" };
}

beforeAll(async () => {
  p = await createTestPlatform();
  const cookie = await p.cookieFor("reviewer", "CT");
  const console = await (await p.app.request("/console", { headers: { Cookie: cookie } })).text();
  reviewer = { cookie, csrf: /name="_csrf" value="([^"]+)"/.exec(console)?.[1] ?? "" };
});

describe("the violation type on a new case's decision form (issue 24, item 9)", () => {
  it("preselects counterfeit for a counterfeit flag", async () => {
    const id = await flaggedCase(p);
    const form = typeSelect(await html(`/console/cases/${encodeURIComponent(id)}`));
    expect(form.selected).toEqual(["counterfeit"]);
  });

  it("preselects smuggled or unknown origin for goods without import stamps (issue 21, item 7)", async () => {
    const id = await flaggedCase(p, {
      item: {
        title: "Rượu vang Pháp hàng bãi, không tem nhập khẩu",
        text: "Hàng bãi giá tốt, không tem nhập khẩu.",
        price: null,
        category: "Đồ uống",
      },
    });
    const page = await html(`/console/cases/${encodeURIComponent(id)}`);
    expect(typeSelect(page).selected).toEqual(["smuggled_unknown_origin"]);
    expect(page).toContain("Hàng nhập lậu, không rõ nguồn gốc");
  });

  it("preselects nothing when the reasons point to no type, and a confirmation without one is refused in Vietnamese", async () => {
    const id = await flaggedCase(p, {
      item: {
        title: "iPhone 16 Pro Max 256GB mới nguyên seal",
        text: "Máy mới, giao nhanh.",
        price: 3_000_000,
        category: "Điện thoại",
      },
    });
    const detail = await p.app.request(`/api/v1/cases/${encodeURIComponent(id)}`, {
      headers: { Cookie: reviewer.cookie },
    });
    const rules = ((await detail.json()) as { case?: { ruleIds: string[] }; ruleIds?: string[] }).case
      ?.ruleIds;
    expect(rules?.length).toBeGreaterThan(0);
    expect(rules?.every((r) => r.startsWith("price."))).toBe(true);

    const page = await html(`/console/cases/${encodeURIComponent(id)}`);
    const form = typeSelect(page);
    expect(form.first).toBe("");
    expect(form.selected).toEqual([""]);
    expect(page).toContain("— Chọn loại vi phạm —");

    const res = await p.app.request(`/console/cases/${encodeURIComponent(id)}/decision`, {
      method: "POST",
      headers: {
        Cookie: reviewer.cookie,
        Origin: "http://localhost",
        "Content-Type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({
        _csrf: reviewer.csrf,
        kind: "confirm",
        type: "",
        legalBasis: "NĐ 98/2020",
        statement: "Hàng nhập lậu",
      }),
    });
    expect(res.status).toBe(400);
    const refused = await res.text();
    expect(refused).toContain("Vui lòng chọn loại vi phạm.");
    expect(refused).not.toContain("violation.type");
    const after = await p.app.request(`/api/v1/cases/${encodeURIComponent(id)}`, {
      headers: { Cookie: reviewer.cookie },
    });
    expect(JSON.stringify(await after.json())).not.toContain('"confirmed"');
  });
});

/** The page's text as a person reads it: tags and their attributes (option values, links) removed. */
const visibleText = (page: string) =>
  page
    .replace(/<script[\s\S]*?<\/script>/g, "")
    .replace(/<[^>]*>/g, " ")
    .replace(/\s+/g, " ");

describe("the queue as a spreadsheet (issue 21, item 7)", () => {
  it("exports every case of the filter, with rule titles and crawled text as plain strings, in the caller's scope only", async () => {
    const hostile = '=HYPERLINK("http://evil.example","Bấm") Giày rep 1:1';
    const id = await flaggedCase(p, { item: { title: hostile } });
    const page = await html("/console/cases");
    expect(page).toContain('href="/api/v1/cases/export?state=open&amp;format=xlsx"');

    const res = await p.app.request("/api/v1/cases/export?state=open&format=xlsx", {
      headers: { Cookie: reviewer.cookie },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(
      /^attachment; filename="ho-so-xu-ly-\d{4}-\d{2}-\d{2}\.xlsx"$/,
    );
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
    const sheet = book.worksheets[0];
    expect(sheet?.getRow(1).getCell(1).value).toBe("Mã hồ sơ");
    const row = sheet?.getRows(2, (sheet?.rowCount ?? 1) - 1)?.find((r) => r.getCell(1).value === id);
    expect(row?.getCell(2).value).toBe("Chờ xử lý");
    expect(row?.getCell(7).value).toBe(`'${hostile}`);
    expect(String(row?.getCell(10).value)).toContain("Tiếng lóng hàng giả");
    book.eachSheet((ws) =>
      ws.eachRow((r) => r.eachCell((cell) => expect(cell.type).not.toBe(ExcelJS.ValueType.Formula))),
    );
    const queue = await p.app.request("/api/v1/cases?state=open&limit=200", {
      headers: { Cookie: reviewer.cookie },
    });
    const listed = ((await queue.json()) as { items: unknown[] }).items.length;
    expect((sheet?.rowCount ?? 0) - 1).toBe(listed);

    // Another agency's reviewer gets its own queue: not this case.
    const other = await p.cookieFor("reviewer", "VHTT");
    const csv = await p.app.request("/api/v1/cases/export?format=csv", { headers: { Cookie: other } });
    expect(csv.status).toBe(200);
    expect(await csv.text()).not.toContain(id);
  });
});

describe("rules are named by their titles, not their ids (issue 24, item 13)", () => {
  it("in the queue, its rule filter, the case's reasons and the review metrics", async () => {
    const id = await flaggedCase(p);
    const queue = await html("/console/cases?state=open");
    expect(visibleText(queue)).toContain("Tiếng lóng hàng giả");
    expect(visibleText(queue)).not.toContain("counterfeit.slang");
    // The filter is a choice of rules by title, still sending the id.
    expect(queue).toMatch(
      /<select name="rule">[\s\S]*<option value="counterfeit\.slang"[^>]*>Tiếng lóng hàng giả</,
    );
    const filtered = await html("/console/cases?state=open&rule=counterfeit.slang");
    expect(filtered).toMatch(/<option value="counterfeit\.slang" selected="">/);

    const detail = await html(`/console/cases/${encodeURIComponent(id)}`);
    expect(visibleText(detail)).toContain("Tiếng lóng hàng giả");
    expect(visibleText(detail)).not.toContain("counterfeit.slang");

    const lead = await p.cookieFor("lead", "CT");
    const metrics = await (
      await p.app.request("/console/review/metrics", { headers: { Cookie: lead } })
    ).text();
    const rulesTable = /<table data-testid="metrics-rules">([\s\S]*?)<\/table>/.exec(metrics)?.[1] ?? "";
    expect(visibleText(rulesTable)).toContain("Tiếng lóng hàng giả");
    expect(visibleText(rulesTable)).not.toMatch(/[a-z_]+\.[a-z_]+/);
  });
});
