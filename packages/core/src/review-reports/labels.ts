import {
  type CaseEvent,
  type CaseState,
  DISMISS_REASONS,
  type DismissReason,
  type ViolationType,
} from "../review/model";
import { OPENING_SOURCES, type OpeningSource, type ReviewReportCounts, type ReviewReportKind } from "./model";

/** Vietnamese words of the review reports (documents are always Vietnamese, whatever the UI language). */
export const VIOLATION_LABELS_VI: Readonly<Record<ViolationType, string>> = {
  false_advertising: "Quảng cáo sai sự thật, gây nhầm lẫn",
  false_quality_claim: "Công bố sai sự thật về quy chuẩn, tiêu chuẩn, chất lượng",
  counterfeit: "Hàng giả",
  health_claim: "Quảng cáo sai công dụng sản phẩm y tế, thực phẩm chức năng",
  price_deception: "Gian lận về giá",
  prohibited_goods: "Hàng cấm",
  smuggled_unknown_origin: "Hàng nhập lậu, hàng không rõ nguồn gốc xuất xứ",
  ip_infringement: "Xâm phạm quyền sở hữu trí tuệ",
  other: "Vi phạm khác",
};

export const DISMISS_LABELS_VI: Readonly<Record<DismissReason, string>> = {
  false_positive: "Cảnh báo nhầm",
  insufficient_evidence: "Chưa đủ chứng cứ",
  already_handled: "Đã được xử lý",
};

export const SOURCE_LABELS_VI: Readonly<Record<OpeningSource, string>> = {
  capture: "Thu thập khi giám sát trực tuyến",
  tip: "Phản ánh của người dân",
  evaluation: "Cán bộ gửi đánh giá",
  seed: "Dữ liệu mẫu",
};

export const REPORT_TITLES_VI: Readonly<Record<ReviewReportKind, string>> = {
  advertising_quarterly: "Báo cáo đánh giá rà soát quảng cáo sai sự thật, gây nhầm lẫn",
  quality_monthly:
    "Báo cáo rà soát, kiểm tra công bố thông tin sai sự thật về quy chuẩn, tiêu chuẩn, chất lượng hàng hóa",
  campaign_weekly: "Báo cáo kết quả kiểm tra, xử lý vi phạm trên môi trường mạng trong tuần",
  case_quick: "Báo cáo nhanh vụ việc",
};

export const CASE_STATE_LABELS_VI: Readonly<Record<CaseState, string>> = {
  open: "Chờ xử lý",
  assigned: "Đang xử lý",
  escalated: "Chuyển lãnh đạo",
  awaiting_approval: "Chờ lãnh đạo phê duyệt",
  takedown: "Đang yêu cầu gỡ bỏ",
  closed: "Đã đóng",
  void: "Nội dung đã mất trước khi xem xét",
};

const ANSWER_VI = { removed: "đã gỡ bỏ", disputed: "phản đối" } as const;

/** One log entry as a line of the quick report's "initial handling" (kết quả xử lý ban đầu). */
export function eventTextVi(event: CaseEvent, agencyName: (code: string) => string): string {
  switch (event.type) {
    case "opened":
      return `Tiếp nhận cảnh báo (${SOURCE_LABELS_VI[event.source.kind]}), điểm ${event.score.toFixed(2)}`;
    case "unflagged":
      return `Quy tắc phiên bản ${event.ruleSetVersion} không còn gắn cờ nội dung này`;
    case "merged":
      return `Nhận thêm ${event.source.kind === "tip" ? "phản ánh" : "cảnh báo"} về cùng nội dung`;
    case "claimed":
      return "Cán bộ nhận xử lý";
    case "released":
      return "Trả hồ sơ về hàng đợi";
    case "assigned":
      return `Giao cho ${event.to.name}`;
    case "escalated":
      return `Chuyển lãnh đạo: ${event.reason}`;
    case "referred":
      return `Chuyển từ ${agencyName(event.fromAgency)} sang ${agencyName(event.toAgency)}: ${event.reason}`;
    case "confirmation_proposed":
      return `Đề xuất kết luận vi phạm (${VIOLATION_LABELS_VI[event.violation.type]}), chờ lãnh đạo phê duyệt`;
    case "confirmation_rejected":
      return `Lãnh đạo không phê duyệt kết luận: ${event.reason}`;
    case "confirmed":
      return `Kết luận vi phạm: ${VIOLATION_LABELS_VI[event.violation.type]}${event.approvedBy ? ` (phê duyệt: ${event.approvedBy.name})` : ""}`;
    case "pledge_breached":
      return `Ghi nhận vi phạm cam kết ${event.documentCode}`;
    case "dismissed":
      return `Không xử lý: ${DISMISS_LABELS_VI[event.reason]}`;
    case "reopened":
      return `Mở lại hồ sơ: ${event.reason}`;
    case "voided":
      return "Nội dung đã bị gỡ trước khi xem xét";
    case "takedown_requested":
      return `Gửi yêu cầu gỡ bỏ tới ${event.platform} (${event.contact}), căn cứ ${event.legalBasis}`;
    case "takedown_answered":
      return `Nền tảng trả lời: ${ANSWER_VI[event.answer]}${event.reason ? ` – ${event.reason}` : ""}`;
    case "takedown_removal_confirmed":
      return "Kiểm tra lại: nội dung đã được gỡ bỏ";
    case "takedown_not_removed":
      return "Kiểm tra lại: nội dung vẫn còn";
    case "takedown_overdue":
      return "Quá hạn gỡ bỏ, chuyển lãnh đạo";
    case "closed":
      return `Đóng hồ sơ: ${event.reason}`;
    case "noted":
      return "Ghi chú";
  }
}

/**
 * The figures of a periodic report as labelled rows, in the order both the PDF and the XLSX show them
 * (one definition, so the two files cannot disagree). Grouped by the plans' three questions: what was
 * received and reviewed, what was found, what was done.
 */
export function periodicSummaryRows(counts: ReviewReportCounts): {
  received: [string, number][];
  found: [string, number][];
  done: [string, number][];
} {
  const t = counts.takedowns;
  return {
    received: [
      ["Cảnh báo và phản ánh tiếp nhận", counts.flags],
      ["Trong đó: phản ánh của người dân", counts.tips],
      ["Hồ sơ mới mở", counts.opened],
      ...OPENING_SOURCES.map((s): [string, number] => [`– ${SOURCE_LABELS_VI[s]}`, counts.openedBy[s]]),
      ["Hồ sơ do đơn vị khác chuyển đến", counts.referredIn],
      ["Hồ sơ chuyển cho đơn vị khác", counts.referredOut],
      ["Hồ sơ được cán bộ xem xét", counts.reviewed],
    ],
    found: [
      ["Hồ sơ kết luận có vi phạm", counts.confirmed],
      ["Trong đó: thuộc phạm vi báo cáo", counts.focusConfirmed],
      ["Hồ sơ kết luận không xử lý", counts.dismissed],
      ...DISMISS_REASONS.map((r): [string, number] => [`– ${DISMISS_LABELS_VI[r]}`, counts.dismissedBy[r]]),
      ["Hồ sơ chuyển lãnh đạo", counts.escalated],
      ["Nội dung đã mất trước khi xem xét", counts.voided],
      ["Hồ sơ mở trong kỳ chưa kết luận", counts.undecidedAtEnd],
    ],
    done: [
      ["Yêu cầu gỡ bỏ đã gửi", t.requested],
      ["– Gỡ bỏ đúng hạn", t.removedInTime],
      ["– Gỡ bỏ quá hạn", t.removedLate],
      ["– Nền tảng phản đối", t.disputed],
      ["– Quá hạn chưa gỡ, đã chuyển lãnh đạo", t.overdue],
      ["– Đang chờ xử lý cuối kỳ", t.pendingAtEnd],
      ["Cam kết bị ghi nhận vi phạm", counts.pledgesBreached],
    ],
  };
}
