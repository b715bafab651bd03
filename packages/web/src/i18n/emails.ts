import { type EmailTexts, vietnamDateTime } from "@pledgewatch/core";

const day = (iso: string) => iso.split("-").reverse().join("/");
const vietnamDay = (instant: Date) => instant.toLocaleDateString("vi-VN", { timeZone: "Asia/Ho_Chi_Minh" });

/** The platform's e-mails in Vietnamese (times in Asia/Ho_Chi_Minh). */
export const VIETNAMESE_EMAILS: EmailTexts = {
  invitation: (v) => ({
    subject: `${v.resent ? "[Gửi lại] " : ""}Mời ký cam kết ${v.quarterLabel} – ${v.agencyName}`,
    text: [
      `Kính gửi ${v.partyName},`,
      "",
      `${v.agencyName}${v.provinceName ? ` ${v.provinceName}` : ""} trân trọng mời Quý vị ký bản cam kết không kinh doanh, quảng cáo hàng giả, hàng kém chất lượng, hàng không rõ nguồn gốc xuất xứ, hàng xâm phạm quyền sở hữu trí tuệ và không đưa thông tin sai sự thật (${v.quarterLabel}).`,
      "",
      "Ký trực tuyến tại đường dẫn riêng dưới đây (chỉ dùng cho Quý vị, không chuyển tiếp):",
      v.link,
      "",
      `Đường dẫn có hiệu lực đến ${vietnamDay(v.expiresAt)}. Khi mở, hệ thống sẽ gửi mã xác thực đến địa chỉ email này.`,
      "",
      "Nếu Quý vị không phải người nhận, vui lòng bỏ qua thư này.",
    ].join("\n"),
  }),

  signingCode: (v) => ({
    subject: `Mã xác thực ký cam kết: ${v.code}`,
    text: [
      `Mã xác thực của Quý vị là: ${v.code}`,
      "",
      `Mã có hiệu lực trong ${v.minutes} phút và chỉ dùng một lần. Không chia sẻ mã này với bất kỳ ai, kể cả cán bộ.`,
    ].join("\n"),
  }),

  signedCopy: (v) => ({
    subject: `Bản cam kết đã ký ${v.quarterLabel} – mã ${v.documentCode}`,
    text: [
      `Kính gửi ${v.signerName},`,
      "",
      `Đính kèm là bản cam kết ${v.quarterLabel} của ${v.partyName}, đã được ký và đóng dấu điện tử.`,
      `Mã văn bản: ${v.documentCode}`,
      `Kiểm tra tính xác thực: ${v.verifyUrl}`,
    ].join("\n"),
  }),

  takedownRequest: (v) => ({
    subject: `[Pledgewatch] Yêu cầu gỡ bỏ nội dung vi phạm — hạn ${vietnamDateTime(v.dueAt)}`,
    text: [
      `Kính gửi ${v.contactName},`,
      "",
      `${v.agencyName} đề nghị ${v.platform} gỡ bỏ nội dung sau, đã được xác nhận vi phạm:`,
      v.url,
      "",
      `Căn cứ pháp lý: ${v.legalBasis}`,
      `Lý do: ${v.statement}`,
      ...(v.platformNote ? ["", v.platformNote] : []),
      "",
      `Hạn xử lý: ${vietnamDateTime(v.dueAt)} (giờ Việt Nam). Khi hết hạn, hệ thống sẽ ghi nhận lại đường dẫn để xác minh.`,
      "Vui lòng trả lời (đã gỡ bỏ, hoặc có ý kiến khác kèm lý do) tại đường dẫn sau (chỉ dùng một lần):",
      v.answerUrl,
    ].join("\n"),
  }),

  overdueDigest: (v) => ({
    subject: `[${v.quarterLabel}] ${v.overdue.length} đối tượng quá hạn ký cam kết – ${v.agencyName} ${v.provinceName}`,
    text: [
      `Kính gửi ${v.leadName},`,
      "",
      `Đến ngày ${day(v.today)}, ${v.overdue.length} đối tượng thuộc ${v.agencyName} ${v.provinceName} chưa ký cam kết ${v.quarterLabel} dù đã quá hạn:`,
      "",
      ...v.overdue.map(
        (o, i) => `${i + 1}. ${o.name} (${o.groupLabel}) – hạn ${day(o.due)}, quá hạn ${o.daysOverdue} ngày`,
      ),
      "",
      "Xem chi tiết và gửi nhắc nhở trên bảng điều khiển: /console/coverage",
    ].join("\n"),
  }),
};
