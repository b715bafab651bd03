/**
 * A realistic pledge document input (an e-commerce platform signing in Ninh Bình), shared by the tests and
 * the benchmark (bench/pledge.ts), and a drawn signature PNG made in code.
 */
import { crc32, deflateSync } from "node:zlib";
import type { PledgeDocumentInput } from "@pledgewatch/core";

/** Every Vietnamese letter, the 12 vowels with each of the 6 tones: 89 lower-case and 89 capitals, NFC. */
export function vietnameseAlphabet(): string {
  const letters = "aăâbcdđeêghiklmnoôơpqrstuưvxy";
  const tones = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"];
  const vowels = new Set("aăâeêioôơuưy");
  let out = "";
  for (const letter of letters + letters.toUpperCase()) {
    for (const tone of vowels.has(letter.toLowerCase()) ? tones : [""])
      out += (letter + tone).normalize("NFC");
  }
  return out;
}

export function sampleDocumentInput(overrides: Partial<PledgeDocumentInput> = {}): PledgeDocumentInput {
  const signedAt = new Date("2026-03-05T07:07:09Z");
  const minutes = (n: number) => new Date(signedAt.getTime() - n * 60_000);
  const chrome =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/133.0.0.0 Safari/537.36 Edg/133.0.3065.59";
  return {
    documentCode: "CK-2026Q1-7KX3M9QP",
    quarterLabel: "Quý I/2026",
    authority: { agencyName: "Sở Công Thương", provinceName: "Ninh Bình" },
    title:
      "BẢN CAM KẾT KHÔNG KINH DOANH HÀNG GIẢ, HÀNG NHẬP LẬU, GIAN LẬN THƯƠNG MẠI VÀ QUẢNG CÁO SAI SỰ THẬT",
    templateLabel: "Sàn giao dịch thương mại điện tử – mẫu số 1",
    preamble: [
      "Căn cứ Luật Thương mại ngày 14 tháng 6 năm 2005; Luật Bảo vệ quyền lợi người tiêu dùng ngày 20 tháng 6 năm 2023; Luật Quảng cáo ngày 21 tháng 6 năm 2012 và các văn bản hướng dẫn thi hành;",
      "Căn cứ Nghị định số 52/2013/NĐ-CP ngày 16 tháng 5 năm 2013 của Chính phủ về thương mại điện tử và Nghị định số 85/2021/NĐ-CP sửa đổi, bổ sung một số điều của Nghị định số 52/2013/NĐ-CP;",
      "Thực hiện Kế hoạch của Ủy ban nhân dân tỉnh về cao điểm đấu tranh, ngăn chặn, đẩy lùi tình trạng buôn lậu, gian lận thương mại, hàng giả và vi phạm sở hữu trí tuệ, chúng tôi cam kết thực hiện nghiêm các nội dung sau:",
    ],
    commitments: [
      "Không kinh doanh, không cho phép người bán trên sàn kinh doanh hàng giả, hàng nhập lậu, hàng không rõ nguồn gốc xuất xứ, hàng hóa xâm phạm quyền sở hữu trí tuệ và hàng hóa cấm kinh doanh.",
      "Yêu cầu người bán cung cấp đầy đủ, chính xác thông tin về tên, địa chỉ, mã số thuế, giấy phép kinh doanh có điều kiện (nếu có) trước khi cho phép đăng bán; kiểm tra, lưu trữ và cập nhật các thông tin này.",
      "Gỡ bỏ trong thời hạn 24 giờ kể từ khi nhận được yêu cầu của cơ quan quản lý nhà nước có thẩm quyền đối với thông tin, sản phẩm vi phạm; cung cấp thông tin về người bán có dấu hiệu vi phạm khi được yêu cầu.",
      "Không đăng tải, không để người bán đăng tải quảng cáo sai sự thật, gây nhầm lẫn về chất lượng, công dụng, nguồn gốc của sản phẩm, hàng hóa, dịch vụ; không sử dụng hình ảnh, danh nghĩa của cơ quan nhà nước để quảng cáo.",
      "Xây dựng và công khai cơ chế tiếp nhận, xử lý phản ánh, khiếu nại của người tiêu dùng; phối hợp với cơ quan chức năng trong việc xác minh, xử lý các trường hợp vi phạm.",
      "Báo cáo định kỳ hằng quý về tình hình rà soát, ngăn chặn, gỡ bỏ sản phẩm vi phạm trên sàn theo mẫu của Sở Công Thương.",
    ],
    closing:
      "Chúng tôi xin chịu hoàn toàn trách nhiệm trước pháp luật nếu vi phạm các nội dung đã cam kết và chấp hành mọi hình thức xử lý của cơ quan có thẩm quyền theo quy định hiện hành.",
    party: {
      name: "Công ty TNHH Thương mại Điện tử Hồng Nhung Ninh Bình",
      groupLabel: "Sàn giao dịch thương mại điện tử",
      identifiers: [
        { label: "Mã số thuế", value: "2700123456" },
        { label: "Tên miền", value: "chonhanh-ninhbinh.vn" },
      ],
      provinces: "Ninh Bình, Thành phố Hà Nội",
    },
    signer: { name: "Nguyễn Thị Hồng Nhung", title: "Giám đốc", email: "nhung.nguyen@chonhanh-ninhbinh.vn" },
    declarations: [
      {
        label: "Nghĩa vụ đối với người bán",
        value:
          "Xác minh danh tính và mã số thuế của 100% người bán trước khi mở gian hàng; khóa tài khoản tái phạm.",
      },
      {
        label: "Công cụ phát hiện vi phạm",
        value: "Lọc từ khóa, đối chiếu hình ảnh, tiếp nhận báo cáo của người dùng.",
      },
      { label: "Người phụ trách gỡ bỏ", value: "Trần Văn Đức" },
      { label: "Thư điện tử gỡ bỏ", value: "go-bo@chonhanh-ninhbinh.vn" },
      { label: "Điện thoại gỡ bỏ", value: "0912 345 678" },
      { label: "Thời hạn gỡ bỏ (giờ)", value: "24" },
    ],
    typedSignature: "Nguyễn Thị Hồng Nhung",
    drawnSignaturePng: signaturePng(),
    signedAt,
    contentSha256: "9f2c4e81a7d35b60c1e8f49a2b7d03c5e6f18a9b2c3d4e5f60718293a4b5c6d7",
    verifyUrl: "https://camket.ninhbinh.gov.vn/xac-minh/CK-2026Q1-7KX3M9QP",
    audit: [
      {
        at: minutes(2880),
        event: "Gửi thư mời ký",
        ip: "10.0.12.4",
        userAgent: "Pledgewatch/1.0 (hệ thống)",
      },
      { at: minutes(45), event: "Mở liên kết ký", ip: "113.161.72.18", userAgent: chrome },
      { at: minutes(43), event: "Xác thực mã OTP qua thư điện tử", ip: "113.161.72.18", userAgent: chrome },
      { at: minutes(1), event: "Xem lại nội dung cam kết", ip: "113.161.72.18", userAgent: chrome },
      { at: signedAt, event: "Ký văn bản", ip: "2402:800:6314:1a2b:9c3d:4e5f:6a7b:8c9d", userAgent: chrome },
    ],
    ...overrides,
  };
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  dv.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/**
 * A drawn-signature PNG (RGBA, transparent background, a dark blue scribble), like the signing page's
 * canvas produces.
 */
export function signaturePng(width = 360, height = 120): Uint8Array {
  const stride = 1 + 4 * width;
  const raw = new Uint8Array(stride * height);
  const plot = (x: number, y: number) => {
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        const px = Math.round(x) + dx;
        const py = Math.round(y) + dy;
        if (px < 0 || py < 0 || px >= width || py >= height) continue;
        const at = py * stride + 1 + 4 * px;
        raw.set([20, 40, 120, 255], at);
      }
    }
  };
  for (let t = 0; t <= 1; t += 0.0005) {
    const x = 20 + t * (width - 40);
    const y = height / 2 + Math.sin(t * Math.PI * 7) * height * 0.28 * (1 - t * 0.5) + Math.cos(t * 31) * 6;
    plot(x, y);
  }
  for (let t = 0; t <= 1; t += 0.002) plot(width * 0.25 + t * width * 0.55, height * 0.82 - t * 8);
  const header = new Uint8Array(13);
  const dv = new DataView(header.buffer);
  dv.setUint32(0, width);
  dv.setUint32(4, height);
  header.set([8, 6, 0, 0, 0], 8); // 8 bits, RGBA, deflate, no filter method, no interlace
  const parts = [
    Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a),
    chunk("IHDR", header),
    chunk("IDAT", new Uint8Array(deflateSync(raw))),
    chunk("IEND", new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
