/**
 * The capture certificate: one or two A4 pages saying what was captured, where, when and how, with the
 * SHA-256 of every stored artefact and of each page's manifest, and the top of the screenshot. Same fonts
 * and layout engine as the pledge (Noto Sans subset, Vietnamese), so accented text draws correctly.
 * Everything on it came from a hostile page or a user (URLs, user agent): it is only ever drawn as text.
 */
import {
  agencyByCode,
  type Capture,
  type CaptureCertificateRenderer,
  provinceByCode,
} from "@pledgewatch/core";
import { loadFaces } from "./faces";
import { CONTENT_WIDTH, Flow, MARGIN } from "./layout";
import { type PlacedImage, placeScreenshot, pngSize, savePdf } from "./report-kit";
import { vietnamDateTime } from "./text";

export interface CertificateOptions {
  bundleDir?: string | undefined;
}

const ORIGIN_LABELS: Record<Capture["origin"], string> = {
  on_demand: "Thu thập theo yêu cầu của cán bộ",
  scheduled: "Thu thập theo lịch giám sát",
  tip: "Thu thập theo phản ánh của người dân",
};

/** Height of the screenshot excerpt on the certificate, in points. */
const SHOT_HEIGHT = 300;

export function createCaptureCertificateRenderer(
  options: CertificateOptions = {},
): CaptureCertificateRenderer {
  return async ({ capture, screenshot, issuedAt }) => {
    const faces = await loadFaces(options.bundleDir);
    const flow = new Flow(faces);
    const labelX = MARGIN.left;
    const valueX = MARGIN.left + 130;
    const valueW = CONTENT_WIDTH - 130;
    const fact = (label: string, value: string) =>
      flow.row(
        [
          { text: label, x: labelX, width: 125, style: "bold", size: 9 },
          { text: value || "—", x: valueX, width: valueW, size: 9 },
        ],
        { padding: 2 },
      );

    const agency = agencyByCode(capture.agency);
    const province = provinceByCode(capture.province)?.name ?? capture.province;
    flow.paragraph(`${agency.nameVi.toUpperCase()} ${province.toUpperCase()}`, {
      align: "center",
      style: "bold",
      size: 11,
      after: 2,
    });
    flow.paragraph("Hệ thống Pledgewatch – giám sát thông tin trên môi trường mạng", {
      align: "center",
      size: 9,
      gray: 0.3,
      after: 14,
    });
    flow.paragraph("CHỨNG NHẬN THU THẬP CHỨNG CỨ ĐIỆN TỬ", {
      align: "center",
      style: "bold",
      size: 15,
      after: 4,
    });
    flow.paragraph(`Mã thu thập: ${capture.id}`, { align: "center", size: 9, after: 14 });

    const first = capture.pages[0];
    fact("Hình thức", ORIGIN_LABELS[capture.origin]);
    fact("Đường dẫn yêu cầu", capture.url);
    if (first) {
      fact("Đường dẫn cuối cùng", first.finalUrl);
      if (first.redirects.length > 0) fact("Chuyển hướng qua", first.redirects.join(" → "));
      fact("Mã trạng thái HTTP", String(first.httpStatus));
      fact(
        "Thời điểm thu thập",
        `${vietnamDateTime(new Date(first.fetchedAt))} (giờ Việt Nam) · ${first.fetchedAt} UTC`,
      );
      fact("Trình duyệt thu thập", first.userAgent);
    }
    fact(
      "Kết quả",
      capture.outcome === "succeeded"
        ? `Thành công · ${capture.pages.length} trang · ${capture.itemIds.length} tin/bài`
        : `Không thành công: ${capture.error ?? ""}`,
    );
    fact("Đơn vị yêu cầu", `${agency.nameVi}, ${province}`);
    fact("Người yêu cầu (mã cán bộ)", capture.requestedBy);
    fact("Ngày cấp chứng nhận", `${vietnamDateTime(issuedAt)} (giờ Việt Nam)`);
    flow.space(10);

    flow.paragraph("Dấu vân tay SHA-256 của các tệp chứng cứ", { style: "bold", size: 10.5, after: 4 });
    flow.paragraph(
      "Các tệp được lưu một lần, không thể sửa hay xóa (S3 Object Lock). Để kiểm tra một tệp tải về, tính SHA-256 của tệp (ví dụ: sha256sum tệp) và so với giá trị dưới đây; bản kê (manifest.json) của mỗi trang liệt kê lại các giá trị này.",
      { size: 8.5, gray: 0.25, after: 6, align: "justify" },
    );
    for (const page of capture.pages) {
      for (const artefact of page.artefacts) {
        flow.row(
          [
            { text: `Trang ${page.pageNo} · ${artefact.name}`, x: labelX, width: 125, size: 8 },
            {
              text: `${artefact.sha256} · ${artefact.bytes.toLocaleString("vi-VN")} byte`,
              x: valueX,
              width: valueW,
              size: 8,
            },
          ],
          { padding: 1.5, rule: true },
        );
      }
      flow.row(
        [
          { text: `Trang ${page.pageNo} · manifest.json`, x: labelX, width: 125, size: 8, style: "bold" },
          { text: page.manifestSha256, x: valueX, width: valueW, size: 8, style: "bold" },
        ],
        { padding: 1.5, rule: true },
      );
    }

    const size = screenshot ? pngSize(screenshot) : null;
    let shot: PlacedImage | null = null;
    if (screenshot && size) {
      flow.space(10);
      // The heading stays with the picture.
      flow.ensure(Math.min((size.height / size.width) * CONTENT_WIDTH, SHOT_HEIGHT) + 30);
      flow.paragraph("Ảnh chụp trang (phần đầu; ảnh đầy đủ là tệp screenshot.png ở trên)", {
        style: "bold",
        size: 10.5,
        after: 6,
        keepTogether: false,
      });
      shot = placeScreenshot(flow, screenshot, SHOT_HEIGHT);
    }
    // Not a PNG (or one that does not decode): the certificate stands without the picture.
    return savePdf(
      flow,
      {
        title: `Chứng nhận thu thập ${capture.id}`,
        subject: capture.url,
        author: agency.nameVi,
        at: issuedAt,
      },
      shot ? [shot] : [],
    );
  };
}
