import type { PledgeFamily, SignerGroup } from "../reference/signer-groups";

/** Vietnamese names used inside documents and e-mails (always Vietnamese, whatever the UI language). */
export const GROUP_LABELS_VI: Readonly<Record<SignerGroup, string>> = {
  ecommerce_platform: "Sàn giao dịch thương mại điện tử",
  social_network: "Mạng xã hội",
  press: "Cơ quan báo chí, truyền hình",
  news_site: "Trang thông tin điện tử tổng hợp",
  advertiser: "Doanh nghiệp dịch vụ quảng cáo",
  kol: "Người có ảnh hưởng (KOL)",
  artist: "Văn nghệ sĩ",
  athlete: "Vận động viên",
  culture_manager: "Nhà quản lý văn hóa, thể thao, du lịch",
  scientist: "Nhà khoa học",
  doctor: "Y, bác sĩ",
  health_manager: "Nhà quản lý ngành y tế",
};

export const FAMILY_LABELS_VI: Readonly<Record<PledgeFamily, string>> = {
  platform: "Sàn TMĐT và mạng xã hội",
  media: "Báo chí, truyền thông, quảng cáo",
  public_figure: "KOL và người nổi tiếng",
  medical: "Nhân viên y tế",
};

export const AUDIT_EVENT_LABELS_VI: Readonly<Record<string, string>> = {
  invitation_created: "Tạo lời mời",
  invitation_sent: "Gửi thư mời ký",
  invitation_resent: "Gửi lại thư mời ký",
  invitation_revoked: "Thu hồi lời mời",
  invitation_opened: "Mở đường dẫn ký",
  code_sent: "Gửi mã xác thực qua email",
  code_failed: "Nhập sai mã xác thực",
  code_verified: "Xác thực mã thành công",
  signed: "Ký cam kết",
  document_emailed: "Gửi bản cam kết đã ký qua email",
  pledge_revoked: "Thu hồi bản cam kết",
  pledge_breached: "Ghi nhận vi phạm cam kết",
};

/** Vietnamese long date "ngày 05 tháng 01 năm 2026" in Asia/Ho_Chi_Minh. */
export function longDateVi(date: Date): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", {
      timeZone: "Asia/Ho_Chi_Minh",
      day: "2-digit",
      month: "2-digit",
      year: "numeric",
    })
      .formatToParts(date)
      .map((x) => [x.type, x.value]),
  );
  return `ngày ${p.day} tháng ${p.month} năm ${p.year}`;
}
