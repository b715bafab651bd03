import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { type Clock, type Principal, percent } from "@pledgewatch/core";
import { DEMO_STAFF, seedDemoPledges, stableId } from "@pledgewatch/local";
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestPlatform } from "../support/platform";

const run = promisify(execFile);

/** After the default due day of Quý I/2026 (14 February): the unsigned are overdue. */
const clock = {
  at: new Date("2026-02-20T03:00:00Z"),
  now() {
    return new Date(this.at);
  },
} satisfies Clock & { at: Date };

function principal(email: string): Principal {
  const s = DEMO_STAFF.find((p) => p.email === email);
  if (!s) throw new Error(email);
  return {
    staffId: stableId("staff", s.email),
    email: s.email,
    name: s.name,
    agency: s.agency,
    province: "37",
    role: s.role,
  };
}

let platform: Awaited<ReturnType<typeof createTestPlatform>>;
const dir = mkdtempSync(join(tmpdir(), "pw-report-"));

beforeAll(async () => {
  platform = await createTestPlatform({ clock });
  // The demo's five pledges, through the real flow; one of them then recorded as breached.
  await seedDemoPledges(platform.signing, platform.outbox);
  await platform.tasks.idle();
  const press = await platform.repositories.signing.getPledge(stableId("party", "press-0"), "2026-Q1");
  if (!press) throw new Error("demo pledge missing");
  await platform.repositories.signing.updatePledge(
    press,
    { ...press, status: "breached", statusReason: "Đăng quảng cáo thực phẩm chức năng sai sự thật" },
    null,
    [],
  );
}, 180_000);

describe("the quarterly coverage report", () => {
  it("starts from the demo data (npm start's seed and five signed pledges) with counters equal to a recount", async () => {
    const check = await platform.coverage.reconcile({ repair: false });
    expect(check.drift).toEqual([]);
    expect(check.parties).toBeGreaterThanOrEqual(200);
    const national = await platform.coverage.read(principal("admin@demo.pledgewatch.vn"), "2026-Q1");
    // The five demo pledges; the national platform among them counts in each of its provinces.
    expect(national.total.signed).toBeGreaterThan(5);
  });

  it("is generated in the background, stored, and its PDF and XLSX read back with the same numbers", async () => {
    const lead = principal("lead.vhtt@demo.pledgewatch.vn");
    const queued = await platform.coverage.requestReport(lead, { quarter: "2026-Q1" });
    expect(queued).toMatchObject({ status: "queued", agency: "VHTT", province: "37" });
    await platform.tasks.idle();
    const [report] = await platform.coverage.listReports(lead);
    expect(report).toMatchObject({
      id: queued.id,
      status: "done",
      progress: 100,
      requestedBy: { name: lead.name },
    });

    const view = await platform.coverage.read(lead, "2026-Q1");
    expect(view.total.signed).toBe(2);

    const pdf = (await platform.coverage.reportFile(lead, queued.id, "pdf")).bytes;
    const pdfPath = join(dir, "report.pdf");
    writeFileSync(pdfPath, pdf);
    const info = (await run("pdfinfo", [pdfPath])).stdout;
    const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
    expect(pages).toBeGreaterThanOrEqual(2);
    const layout = (await run("pdftotext", ["-layout", pdfPath, "-"])).stdout.normalize("NFC");
    // Words as read, whatever the line breaks of table cells.
    const text = layout.replace(/\s+/g, " ");
    expect(text).toContain("BÁO CÁO KẾT QUẢ KÝ CAM KẾT QUÝ I/2026");
    expect(text).toContain("Sở Văn hóa, Thể thao và Du lịch – Ninh Bình");
    expect(text).toContain("Đối tượng quá hạn chưa ký");
    expect(text).toContain("Cam kết bị vi phạm trong quý (1)");
    expect(text).toContain("Đăng quảng cáo thực phẩm chức năng sai sự thật");
    expect(text).toContain("GIÁM ĐỐC SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH");
    expect(text).toContain("(Ký, ghi rõ họ tên và đóng dấu)");
    const pct = view.total.percent.toFixed(1).replace(".", ",");
    expect(text).toContain(
      `Tổng số đối tượng phải ký: ${view.total.obligated.toLocaleString("vi-VN")}; đã ký: ${view.total.signed}`,
    );
    expect(text).toContain(`${pct} %`);

    // The charts are vector drawings, not images, in the bars' colours on page 1.
    expect((await run("pdfimages", ["-list", pdfPath])).stdout.trim().split("\n").length).toBe(2);
    await run("pdftoppm", ["-r", "72", "-f", "1", "-l", "1", pdfPath, join(dir, "page")]);
    const ppm = readFileSync(join(dir, "page-1.ppm"));
    const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(ppm.subarray(0, 30).toString("latin1"));
    expect(header).not.toBeNull();
    const pixels = ppm.subarray(header?.[0].length ?? 0);
    let red = 0;
    let track = 0;
    for (let i = 0; i + 2 < pixels.length; i += 3) {
      const [r, g, b] = [pixels[i] ?? 0, pixels[i + 1] ?? 0, pixels[i + 2] ?? 0];
      if (r > 170 && g < 80 && b < 80) red++;
      if (r === g && g === b && r > 225 && r < 243) track++;
    }
    // Coverage far below 60 %: short red bars and a red column on the bars' light-gray tracks.
    expect(red).toBeGreaterThan(40);
    expect(track).toBeGreaterThan(2000);

    // The XLSX: the same tables, the same numbers.
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await platform.coverage.reportFile(lead, queued.id, "xlsx")).bytes as never);
    expect(workbook.worksheets.map((w) => w.name)).toEqual([
      "Tổng hợp",
      "Theo sở",
      "Theo nhóm",
      "Theo tỉnh",
      "Xu hướng",
      "Quá hạn",
      "Vi phạm",
    ]);
    const summary = workbook.getWorksheet("Tổng hợp");
    const value = (label: string) =>
      summary?.getSheetValues().find((row) => Array.isArray(row) && row[1] === label)?.[2 as never];
    expect(value("Phải ký")).toBe(view.total.obligated);
    expect(value("Đã ký")).toBe(view.total.signed);
    expect(value("Tỷ lệ (%)")).toBe(percent(view.total));
    const families = workbook.getWorksheet("Theo nhóm");
    for (const row of view.byFamily) {
      const line = families
        ?.getSheetValues()
        .find(
          (r) =>
            Array.isArray(r) && typeof r[1] === "string" && r[2] === row.obligated && r[3] === row.signed,
        );
      expect(line, row.family).toBeDefined();
      // The PDF's table row carries the same counts.
      expect(layout).toMatch(new RegExp(`${row.obligated.toLocaleString("vi-VN")}\\s+${row.signed}\\s+`));
    }
    const overdueSheet = workbook.getWorksheet("Quá hạn");
    const overdueRows = (overdueSheet?.rowCount ?? 1) - 1;
    expect(text).toContain(`Đối tượng quá hạn chưa ký (${overdueRows.toLocaleString("vi-VN")})`);
    // The drill-down agrees: the unsigned whose due date (grace included) has passed.
    const unsigned = await platform.coverage.unsigned(lead, { agency: "VHTT", province: "37" });
    expect(unsigned.next).toBeUndefined();
    expect(unsigned.items.length).toBe(view.total.obligated - view.total.signed);
    expect(overdueRows).toBe(unsigned.items.filter((i) => i.overdue).length);
    expect(overdueRows).toBeGreaterThan(50);
    const breached = workbook.getWorksheet("Vi phạm");
    expect(breached?.getRow(2).getCell(3).value).toBe("Đăng quảng cáo thực phẩm chức năng sai sự thật");
  }, 180_000);

  it("is only listed and served within the requester's scope", async () => {
    const ctLead = principal("lead.ct@demo.pledgewatch.vn");
    const [report] = await platform.coverage.listReports(principal("lead.vhtt@demo.pledgewatch.vn"));
    expect(await platform.coverage.listReports(ctLead)).toEqual([]);
    await expect(platform.coverage.reportFile(ctLead, report?.id ?? "", "pdf")).rejects.toThrow(/not found/i);
    await expect(
      platform.coverage.requestReport(principal("viewer.vhtt@demo.pledgewatch.vn"), { quarter: "2026-Q1" }),
    ).rejects.toThrow();
  });

  it("a platform composed without a movable clock (as on AWS) answers the time-travel routes with 404", async () => {
    const admin = await platform.cookieFor("admin");
    const api = await platform.app.request("/api/v1/clock", {
      method: "PUT",
      headers: { Cookie: admin, "Content-Type": "application/json" },
      body: JSON.stringify({ at: "2027-01-01T00:00:00+07:00" }),
    });
    expect(api.status).toBe(404);
    expect((await platform.app.request("/console/clock", { headers: { Cookie: admin } })).status).toBe(404);
    expect(platform.clock.now()).toEqual(clock.now());
  });
});
