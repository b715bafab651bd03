import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import {
  type CaseLogEntry,
  type CaseSource,
  createTravelClock,
  type Decision,
  type FlagItem,
  type Principal,
  type ReviewReport,
  reportPeriod,
  type TravelClock,
  VIOLATION_LABELS_VI,
  VIOLATION_TYPES,
  type ViolationType,
} from "@pledgewatch/core";
import { DEMO_STAFF, stableId } from "@pledgewatch/local";
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestPlatform } from "../support/platform";

/**
 * The review reports on DynamoDB Local: cases of Sở VHTT Ninh Bình worked through the real intake,
 * review and takedown services over five weeks of a travelling clock, then the quarterly advertising
 * review, the monthly quality-claims review, the weekly campaign report and a quick case report
 * generated in the background, their PDFs read back with pdftotext and their XLSX with exceljs, and
 * every number compared with this test's own recount of the case logs (read per case, not through the
 * log index the reports use).
 */
const run = promisify(execFile);
const HOUR = 3_600_000;
let p: Awaited<ReturnType<typeof createTestPlatform>>;
let clock: TravelClock;
const dir = mkdtempSync(join(tmpdir(), "pw-review-report-"));
const caseIds: string[] = [];

function staff(
  role: "viewer" | "reviewer" | "lead" | "admin",
  agency: "CT" | "VHTT" | "YT" = "VHTT",
): Principal {
  const s = DEMO_STAFF.find((x) => x.role === role && (role === "admin" || x.agency === agency));
  if (!s) throw new Error(`no demo ${role} of ${agency}`);
  return {
    staffId: stableId("staff", s.email),
    email: s.email,
    name: s.name,
    agency: s.agency,
    province: s.province,
    role,
  };
}

const later = (hours: number) => clock.travelTo(new Date(clock.now().getTime() + hours * HOUR));

async function open(
  kind: FlagItem["kind"],
  agency: "CT" | "VHTT",
  source: CaseSource = { kind: "capture" },
  itemId = `rr${randomUUID().replace(/-/g, "")}`,
): Promise<string> {
  const evaluation: Decision = {
    id: itemId,
    flagged: true,
    score: 0.75,
    agency,
    reasons: [
      {
        rule: "vhtt.exaggerated",
        evidence: "chữa khỏi hoàn toàn",
        legalBasis: "Luật Quảng cáo 2012, Điều 8",
        field: "title",
        start: 0,
        end: 19,
        version: 1,
        agency,
        weight: 0.6,
        explanation: "Quảng cáo phóng đại công dụng",
      },
    ],
    ruleSetVersion: 1,
  };
  const result = await p.intake({
    item: {
      id: itemId,
      kind,
      platform: "facebook",
      title: "Chữa khỏi hoàn toàn đau lưng sau 7 ngày – cam kết 100%",
      text: "Sản phẩm thảo dược số 1",
      price: 590000,
      seller: "Thảo Dược Xanh",
      url: `https://www.facebook.com/ads/${itemId}`,
    },
    evaluation,
    source,
    province: "37",
    partyId: stableId("party", "platform-6"),
  });
  if (!result) throw new Error("not opened");
  if (!caseIds.includes(result.case.id)) caseIds.push(result.case.id);
  return result.case.id;
}

const violation = (type: ViolationType) => ({
  type,
  legalBasis: "Luật Quảng cáo 2012, Điều 8; Nghị định 38/2021/NĐ-CP",
  statement: "Nội dung quảng cáo khẳng định công dụng chữa bệnh không có căn cứ.",
});

/** The answer link of the newest takedown e-mail for a case's request. */
async function answerLink(takedownId: string): Promise<string> {
  const request = await p.repositories.cases.getTakedown(takedownId);
  const mail = (await p.outbox.list(100)).find(
    (m) => m.kind === "takedown_request" && m.to === request?.contact.email,
  );
  const token = /\/takedown\/([A-Za-z0-9_-]+)/.exec(mail?.text ?? "")?.[1];
  if (!token) throw new Error("no takedown e-mail");
  return token;
}

let quickCase = "";
let referredAway = "";

beforeAll(async () => {
  clock = createTravelClock();
  // Thursday 05/11/2026 08:00 in Ninh Bình: the first day of the campaign week "2026-11-05".
  clock.travelTo(new Date("2026-11-05T01:00:00Z"));
  p = await createTestPlatform({ clock });
  const reviewer = staff("reviewer");

  // 1. An ad, confirmed as false advertising; the platform disputes the takedown.
  const a = await open("ad", "VHTT");
  later(2);
  await p.review.claim(reviewer, a);
  later(1);
  await p.review.decide(reviewer, a, { kind: "confirm", violation: violation("false_advertising") });
  const takedownId = (await p.repositories.cases.get(a))?.takedownId ?? "";
  later(3);
  await p.takedowns.answer(await answerLink(takedownId), {
    answer: "disputed",
    reason: "Sản phẩm đã được cấp phép lưu hành.",
  });
  quickCase = a;

  // 2. A post from a public tip, a second tip merged into it, dismissed as a false positive.
  const tipItem = `rr-tip-${randomUUID().slice(0, 8)}`;
  const b = await open("post", "VHTT", { kind: "tip", tipId: "tip-1" }, tipItem);
  later(1);
  await open("post", "VHTT", { kind: "tip", tipId: "tip-2" }, tipItem);
  await p.review.decide(reviewer, b, { kind: "dismiss", reason: "false_positive" });

  // 3. An ad confirmed as a false quality claim (the monthly review's subject).
  const c = await open("ad", "VHTT");
  later(1);
  await p.review.decide(reviewer, c, { kind: "confirm", violation: violation("false_quality_claim") });

  // 4. An ad referred to Health; 5. a Công Thương listing referred here, confirmed as false advertising.
  referredAway = await open("ad", "VHTT");
  await p.review.decide(reviewer, referredAway, {
    kind: "refer",
    toAgency: "YT",
    reason: "Thực phẩm bảo vệ sức khỏe thuộc Sở Y tế",
  });
  const e = await open("listing", "CT");
  await p.review.decide(staff("reviewer", "CT"), e, {
    kind: "refer",
    toAgency: "VHTT",
    reason: "Nội dung quảng cáo",
  });
  later(2);
  await p.review.decide(reviewer, e, { kind: "confirm", violation: violation("false_advertising") });

  // 6. An ad nobody has looked at yet.
  await open("ad", "VHTT");

  // 7. The next week: an ad confirmed as counterfeit (in the month and the quarter, not the first week).
  clock.travelTo(new Date("2026-11-13T03:00:00Z"));
  const g = await open("ad", "VHTT");
  later(4);
  await p.review.decide(reviewer, g, { kind: "confirm", violation: violation("counterfeit") });

  await p.tasks.idle();
  // Into December: November and its first week are over; the quarter is not.
  clock.travelTo(new Date("2026-12-02T02:00:00Z"));
}, 180_000);

/** This test's own recount, from each case's log (not the log index), for Sở VHTT in [from, to). */
async function recount(from: string, to: string, focus: readonly ViolationType[]) {
  const logs: CaseLogEntry[][] = await Promise.all(caseIds.map((id) => p.repositories.cases.log(id)));
  const inPeriod = (e: CaseLogEntry) => e.at >= from && e.at < to;
  const here = (e: CaseLogEntry) => inPeriod(e) && e.agency === "VHTT";
  const all = logs.flat();
  const confirmedBy = Object.fromEntries(VIOLATION_TYPES.map((t) => [t, 0])) as Record<ViolationType, number>;
  let dismissed = 0;
  for (const log of logs) {
    const last = log
      .filter((e) => here(e) && ["confirmed", "dismissed", "reopened"].includes(e.event.type))
      .at(-1);
    if (last?.event.type === "confirmed") confirmedBy[last.event.violation.type]++;
    if (last?.event.type === "dismissed") dismissed++;
  }
  const confirmed = Object.values(confirmedBy).reduce((x, y) => x + y, 0);
  return {
    flags: all.filter((e) => here(e) && (e.event.type === "opened" || e.event.type === "merged")).length,
    tips: all.filter(
      (e) =>
        here(e) && (e.event.type === "opened" || e.event.type === "merged") && e.event.source.kind === "tip",
    ).length,
    opened: all.filter((e) => here(e) && e.event.type === "opened").length,
    referredIn: all.filter((e) => inPeriod(e) && e.event.type === "referred" && e.event.toAgency === "VHTT")
      .length,
    referredOut: all.filter(
      (e) => inPeriod(e) && e.event.type === "referred" && e.event.fromAgency === "VHTT",
    ).length,
    confirmed,
    confirmedBy,
    focusConfirmed: focus.reduce((n, t) => n + confirmedBy[t], 0),
    dismissed,
    requested: all.filter((e) => here(e) && e.event.type === "takedown_requested").length,
  };
}

async function generate(actor: Principal, input: Record<string, string>): Promise<ReviewReport> {
  const queued = await p.reviewReports.request(actor, input);
  expect(queued.status).toBe("queued");
  await p.tasks.idle();
  const done = await p.reviewReports.get(actor, queued.id);
  expect(done).toMatchObject({ status: "done", progress: 100, requestedBy: { name: actor.name } });
  expect((await p.reviewReports.list(actor)).map((r) => r.id)).toContain(queued.id);
  return done;
}

async function pdfText(actor: Principal, report: ReviewReport): Promise<string> {
  const { bytes } = await p.reviewReports.file(actor, report.id, "pdf");
  const path = join(dir, `${report.id}.pdf`);
  writeFileSync(path, bytes);
  const { stdout } = await run("pdftotext", ["-layout", path, "-"]);
  return stdout.normalize("NFC");
}

/** The text with every run of whitespace as one space: titles and table cells wrap across lines. */
const flat = (text: string) => text.replace(/\s+/g, " ");

async function workbook(actor: Principal, report: ReviewReport) {
  const { bytes } = await p.reviewReports.file(actor, report.id, "xlsx");
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(Buffer.from(bytes) as never);
  return book;
}

/** Label → number of the workbook's summary sheet. */
function summary(book: ExcelJS.Workbook): Map<string, number> {
  const out = new Map<string, number>();
  book.getWorksheet("Tổng hợp")?.eachRow((row, n) => {
    const value = row.getCell(3).value;
    if (n > 1 && typeof value === "number") out.set(String(row.getCell(2).value), value);
  });
  return out;
}

/** The number pdftotext shows at the end of a table row's line that starts with the label. */
function pdfFigure(text: string, label: string): number | undefined {
  const line = text.split("\n").find((l) => l.trim().startsWith(label));
  const match = /(\d[\d.]*)\s*$/.exec(line ?? "");
  return match ? Number(match[1]?.replace(/\./g, "")) : undefined;
}

async function checkPeriodic(
  kind: "advertising_quarterly" | "quality_monthly" | "campaign_weekly",
  period: string,
  focus: readonly ViolationType[],
) {
  const lead = staff("lead");
  const report = await generate(lead, { kind, period });
  const expected = await recount(report.from, report.to, focus);
  const book = await workbook(lead, report);
  const sheet = summary(book);
  const text = await pdfText(lead, report);
  const figures: [string, number][] = [
    ["Cảnh báo và phản ánh tiếp nhận", expected.flags],
    ["Trong đó: phản ánh của người dân", expected.tips],
    ["Hồ sơ mới mở", expected.opened],
    ["Hồ sơ do đơn vị khác chuyển đến", expected.referredIn],
    ["Hồ sơ chuyển cho đơn vị khác", expected.referredOut],
    ["Hồ sơ kết luận có vi phạm", expected.confirmed],
    ["Trong đó: thuộc phạm vi báo cáo", expected.focusConfirmed],
    ["Hồ sơ kết luận không xử lý", expected.dismissed],
    ["Yêu cầu gỡ bỏ đã gửi", expected.requested],
  ];
  for (const [label, n] of figures) {
    expect(sheet.get(label), `XLSX ${label}`).toBe(n);
    expect(pdfFigure(text, label), `PDF ${label}`).toBe(n);
  }
  const byType = new Map<string, number>();
  book.getWorksheet("Theo loại vi phạm")?.eachRow((row, n) => {
    if (n > 1) byType.set(String(row.getCell(1).value), Number(row.getCell(3).value));
  });
  for (const t of VIOLATION_TYPES)
    expect(byType.get(VIOLATION_LABELS_VI[t]), t).toBe(expected.confirmedBy[t]);
  const listed = (book.getWorksheet("Vi phạm")?.rowCount ?? 1) - 1;
  expect(listed).toBe(expected.focusConfirmed);
  return { report, expected, text, book };
}

describe("review reports", () => {
  it("the quarterly false-advertising review equals a recount of the case logs", async () => {
    const { report, expected, text, book } = await checkPeriodic("advertising_quarterly", "2026-Q4", [
      "false_advertising",
      "health_claim",
    ]);
    // The figures themselves, so a recount that agreed with a wrong report would still fail.
    expect(expected).toMatchObject({
      flags: 7,
      tips: 2,
      opened: 6,
      referredIn: 1,
      referredOut: 1,
      confirmed: 4,
      focusConfirmed: 2,
      dismissed: 1,
      requested: 4,
    });
    // The quarter had not ended: it counts up to the request, and says so.
    expect(report.to).toBe(report.requestedAt);
    const words = flat(text);
    expect(words).toContain("BÁO CÁO ĐÁNH GIÁ RÀ SOÁT QUẢNG CÁO SAI SỰ THẬT, GÂY NHẦM LẪN");
    expect(words).toContain("Quý IV/2026");
    expect(words).toContain("kỳ chưa kết thúc");
    expect(words).toContain("Sở Văn hóa, Thể thao và Du lịch – Ninh Bình");
    expect(words).toContain("GIÁM ĐỐC SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH");
    // The legal basis, whole (its column is wide enough not to break a word).
    expect(words).toContain("38/2021/NĐ-CP");
    // The disputed takedown, as the handling of the first violation.
    const rows = book.getWorksheet("Vi phạm");
    expect(String(rows?.getRow(2).getCell(11).value)).toBe("Nền tảng phản đối yêu cầu gỡ bỏ");
    expect(String(rows?.getRow(2).getCell(2).value)).toBe(quickCase);
    // The violator: the registered party behind the ad.
    expect(String(rows?.getRow(2).getCell(5).value)).toBe("Facebook (Meta Platforms)");
  });

  it("the monthly quality-claims review and the weekly campaign report equal the recount of their periods", async () => {
    const month = await checkPeriodic("quality_monthly", "2026-11", ["false_quality_claim"]);
    expect(month.expected).toMatchObject({ confirmed: 4, focusConfirmed: 1 });
    expect(month.report.to).toBe(reportPeriod("quality_monthly", "2026-11").to.toISOString());
    expect(month.text).not.toContain("kỳ chưa kết thúc");
    const week = await checkPeriodic("campaign_weekly", "2026-11-05", VIOLATION_TYPES);
    // The counterfeit ad of the next week is left out.
    expect(week.expected).toMatchObject({ confirmed: 3, focusConfirmed: 3, opened: 5 });
    expect(flat(week.text)).toContain("Tuần 05/11/2026 – 11/11/2026");
  });

  it("the quick case report has every field the plans list, and the log's numbers", async () => {
    const lead = staff("lead");
    const report = await generate(lead, { kind: "case_quick", caseId: quickCase });
    const log = await p.repositories.cases.log(quickCase);
    const text = flat(await pdfText(lead, report));
    for (const field of [
      "1. Thời gian",
      "2. Địa điểm",
      "3. Đơn vị chủ trì",
      "4. Đơn vị phối hợp",
      "5. Đối tượng vi phạm",
      "6. Hành vi vi phạm",
      "7. Tang vật, hàng hóa",
      "8. Kết quả xử lý ban đầu",
      "9. Tư liệu hình ảnh",
    ])
      expect(text).toContain(field);
    expect(text).toContain("BÁO CÁO NHANH VỤ VIỆC");
    expect(text).toContain("Quảng cáo sai sự thật, gây nhầm lẫn");
    expect(text).toContain("Nền tảng trả lời: phản đối");
    expect(text).toContain("590.000 đ");
    const fields = new Map<string, unknown>();
    const book = await workbook(lead, report);
    book.getWorksheet("Báo cáo nhanh")?.eachRow((row) => {
      fields.set(String(row.getCell(1).value), row.getCell(2).value);
    });
    const flags = log.filter((e) => e.event.type === "opened" || e.event.type === "merged").length;
    expect(fields.get("Số cảnh báo")).toBe(flags);
    expect(fields.get("Số bước xử lý")).toBe(log.length);
    expect(fields.get("Đơn vị chủ trì")).toBe("Sở Văn hóa, Thể thao và Du lịch Ninh Bình");
    expect(fields.get("Đối tượng vi phạm")).toBeTruthy();
    expect((book.getWorksheet("Diễn biến")?.rowCount ?? 0) - 1).toBe(log.length);
    expect(log.map((e) => e.event.type)).toEqual([
      "opened",
      "claimed",
      "confirmed",
      "takedown_requested",
      "takedown_answered",
    ]);
  });

  it("names the coordinating unit of a referred case", async () => {
    const lead = staff("lead", "YT");
    const report = await generate(lead, { kind: "case_quick", caseId: referredAway });
    const text = flat(await pdfText(lead, report));
    expect(text).toContain("4. Đơn vị phối hợp Sở Văn hóa, Thể thao và Du lịch");
    expect(text).toContain("Chuyển từ Sở Văn hóa, Thể thao và Du lịch sang Sở Y tế");
  });

  it("files a referral for the agency it left: its office's metrics no longer count the case as waiting", async () => {
    const metrics = await p.reviewMetrics.metrics(staff("reviewer"), {
      from: "2026-11-05T00:00:00Z",
      to: "2026-11-06T00:00:00Z",
    });
    // Of the six VHTT cases opened that day, one (nobody looked at it) is waiting; the referred one is not.
    const waiting = Object.values(metrics.queueAge).reduce((x, y) => x + y, 0);
    expect(waiting).toBe(1);
  });

  it("refuses bad requests with the field and a Vietnamese message", async () => {
    const lead = staff("lead");
    for (const input of [
      { kind: "campaign_weekly", period: "2026-11-06" },
      { kind: "quality_monthly", period: "2027-05" },
      { kind: "nonsense", period: "2026-11" },
      { kind: "case_quick" },
    ]) {
      const error = await p.reviewReports.request(lead, input).catch((e: unknown) => e);
      expect(error, JSON.stringify(input)).toMatchObject({ code: "invalid" });
      const issues = (error as { issues: { field: string; message: string }[] }).issues;
      expect(issues[0]?.message).toMatch(/[ạảấầẩậắằẳặẹẻẽếềểệỉịọỏốồổộớờởợụủứừửựỳỵỷỹđ]|Kỳ|Loại|Mã/);
    }
    const cookie = await p.cookieFor("lead", "VHTT");
    const res = await p.app.request("/api/v1/review/reports", {
      method: "POST",
      headers: { Cookie: cookie, "Content-Type": "application/json", Origin: "http://localhost" },
      body: JSON.stringify({ kind: "campaign_weekly", period: "2026-11-06" }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: { code: "invalid", issues: [{ field: "period", message: "Tuần báo cáo bắt đầu vào thứ Năm" }] },
    });
  });

  it("keeps each office to its own reports and cases", async () => {
    const vhtt = staff("lead");
    const ct = staff("reviewer", "CT");
    const mine = await p.reviewReports.list(vhtt);
    expect(mine.length).toBeGreaterThanOrEqual(4);
    expect((await p.reviewReports.list(ct)).some((r) => r.agency === "VHTT")).toBe(false);
    const [one] = mine;
    if (!one) throw new Error("no report");
    await expect(p.reviewReports.get(ct, one.id)).rejects.toMatchObject({ code: "not_found" });
    await expect(p.reviewReports.file(ct, one.id, "pdf")).rejects.toMatchObject({ code: "not_found" });
    // A quick report on another agency's case: the case does not exist for them.
    await expect(
      p.reviewReports.request(ct, { kind: "case_quick", caseId: quickCase }),
    ).rejects.toMatchObject({
      code: "not_found",
    });
    // Another office's periodic report: refused unless an admin.
    await expect(
      p.reviewReports.request(ct, { kind: "quality_monthly", period: "2026-11", agency: "VHTT" }),
    ).rejects.toMatchObject({ code: "forbidden" });
    await expect(
      p.reviewReports.request(staff("viewer"), { kind: "quality_monthly", period: "2026-11" }),
    ).rejects.toMatchObject({ code: "forbidden" });
    const admin = staff("admin");
    expect((await p.reviewReports.list(admin)).map((r) => r.id)).toContain(one.id);
    // Over HTTP: the other office's download is a 404.
    const cookie = await p.cookieFor("reviewer", "CT");
    const res = await p.app.request(`/console/review/reports/${one.id}/pdf`, { headers: { Cookie: cookie } });
    expect(res.status).toBe(404);
  });

  it("stores a finished report write-once", async () => {
    const [done] = await p.reviewReports.list(staff("lead"));
    if (!done) throw new Error("no report");
    const stored = await p.reviewReports.get(staff("lead"), done.id);
    // Running it again changes nothing: the record and its files stay as generated.
    expect(await p.reviewReports.run(done.id)).toEqual(stored);
    expect(await p.reviewReports.get(staff("lead"), done.id)).toEqual(stored);
  });
});

describe("automatic review reports", () => {
  it("are made once after each period, for every office with case activity in it", async () => {
    // 2026-12-02: November has ended (activity in Sở VHTT, Công Thương and Y tế of Ninh Bình); the last
    // full campaign week (19–25/11) and the third quarter had none.
    const before = (await p.reviewReports.list(staff("admin"))).length;
    expect(await p.reviewReports.generateDue()).toBe(3);
    expect(await p.reviewReports.generateDue()).toBe(0);
    await p.tasks.idle();
    const all = await p.reviewReports.list(staff("admin"));
    const automatic = all.filter((r) => r.automatic);
    expect(all.length - before).toBe(3);
    expect(
      automatic.map((r) => `${r.kind} ${r.period} ${r.agency}/${r.province} ${r.status}`).sort(),
    ).toEqual([
      "quality_monthly 2026-11 CT/37 done",
      "quality_monthly 2026-11 VHTT/37 done",
      "quality_monthly 2026-11 YT/37 done",
    ]);
    // The same figures as the one a lead made by hand for the same month.
    const vhtt = automatic.find((r) => r.agency === "VHTT");
    if (!vhtt) throw new Error("no VHTT report");
    const book = await workbook(staff("lead"), vhtt);
    const expected = await recount(vhtt.from, vhtt.to, ["false_quality_claim"]);
    expect(summary(book).get("Hồ sơ kết luận có vi phạm")).toBe(expected.confirmed);
    expect(summary(book).get("Cảnh báo và phản ánh tiếp nhận")).toBe(expected.flags);
    // Listed for the office as made by the system.
    const html = await (
      await p.app.request("/console/review/reports", {
        headers: { Cookie: await p.cookieFor("viewer", "VHTT") },
      })
    ).text();
    expect(html).toContain("Tự động (sau khi hết kỳ)");
  });
});
