import { describe, expect, it } from "vitest";
import { VIETNAMESE_EMAILS } from "./emails";

describe("the Vietnamese e-mails", () => {
  it("carry the invitation's link and its expiry day in Vietnam's time, and mark a resent one", () => {
    const v = {
      partyName: "Công ty TNHH Sàn Thử",
      agencyName: "Sở Công Thương",
      provinceName: "Ninh Bình",
      quarterLabel: "Quý I/2026",
      link: "https://camket.example.vn/sign/abc",
      // 20:00 UTC on 11 March is 03:00 on 12 March in Vietnam.
      expiresAt: new Date("2026-03-11T20:00:00Z"),
      resent: false,
    };
    const first = VIETNAMESE_EMAILS.invitation(v);
    expect(first.subject).toBe("Mời ký cam kết Quý I/2026 – Sở Công Thương");
    expect(first.text).toContain("Kính gửi Công ty TNHH Sàn Thử,");
    expect(first.text).toContain("Sở Công Thương Ninh Bình trân trọng mời");
    expect(first.text).toContain("https://camket.example.vn/sign/abc");
    expect(first.text).toContain("12/3/2026");
    expect(VIETNAMESE_EMAILS.invitation({ ...v, resent: true }).subject).toMatch(/^\[Gửi lại\] /);
  });

  it("word the code, the takedown request and the overdue digest with their facts", () => {
    expect(VIETNAMESE_EMAILS.signingCode({ code: "123456", minutes: 10 }).text).toContain("trong 10 phút");
    const takedown = VIETNAMESE_EMAILS.takedownRequest({
      contactName: "Pháp chế",
      agencyName: "Sở Công Thương",
      platform: "shopee",
      url: "https://shopee.vn/p/1",
      legalBasis: "Nghị định 98/2020/NĐ-CP",
      statement: "Giày giả",
      dueAt: new Date("2026-03-12T03:00:00Z"),
      answerUrl: "https://camket.example.vn/takedown/t",
    });
    expect(takedown.text).toContain("https://camket.example.vn/takedown/t");
    expect(takedown.text).not.toContain("undefined");
    const digest = VIETNAMESE_EMAILS.overdueDigest({
      leadName: "Trưởng phòng",
      agencyName: "Sở Y tế",
      provinceName: "Ninh Bình",
      quarterLabel: "Quý I/2026",
      today: "2026-03-05",
      overdue: [{ name: "Bác sĩ A", groupLabel: "Bác sĩ", due: "2026-02-28", daysOverdue: 5 }],
    });
    expect(digest.subject).toBe("[Quý I/2026] 1 đối tượng quá hạn ký cam kết – Sở Y tế Ninh Bình");
    expect(digest.text).toContain("1. Bác sĩ A (Bác sĩ) – hạn 28/02/2026, quá hạn 5 ngày");
    expect(digest.text).toContain("Đến ngày 05/03/2026");
  });
});
