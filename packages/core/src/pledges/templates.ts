import { createHash } from "node:crypto";
import type { PledgeFamily } from "../reference/signer-groups";
import { compareQuarterIds, parseQuarterId } from "./quarters";
import type { DeclarationField, PledgeTemplate } from "./template";

/**
 * The published pledge texts (bản cam kết), one list for every province.
 *
 * Rule: a published version never changes — not a word, not a comma, not its `appliesFrom`. A pledge
 * records the version it was signed under and its document hash is computed over this text, so changing
 * it would make signed pledges disagree with their template. To change a pledge, add version N+1 of the
 * family with `appliesFrom` set to a later quarter. templates.test.ts pins every published version's
 * templateHash. Sources and the rule are described in docs/pledge-templates.md.
 *
 * Sources (shared/seeds): Đồng Tháp KH 29/KH-UBND ngày 12/01/2026 (mục I.2 and Phụ lục, nhiệm vụ 7),
 * Ninh Bình KH (mục II.2, III.7.5–7.7), Hưng Yên KH (mục II.2), An Giang KH cao điểm 2025 (mục II.7,
 * III.1, III.5, III.8, III.14), Thái Bình KH cao điểm 2025 (mục III). Only Nghị quyết 397/NQ-CP is cited
 * by number: it is the one legal act all of the 2030 plans implement. Laws are referred to by field
 * ("pháp luật về quảng cáo …"), not by number, so no article is cited that the plans do not cite.
 */

const NQ_397 =
  "Căn cứ Nghị quyết số 397/NQ-CP ngày 05/12/2025 của Chính phủ ban hành Kế hoạch hành động của Chính phủ " +
  "về đấu tranh, ngăn chặn, đẩy lùi tình trạng buôn lậu, gian lận thương mại, hàng giả, xâm phạm quyền sở " +
  "hữu trí tuệ đến năm 2030;";

const PROVINCIAL_PLAN =
  "Căn cứ Kế hoạch của Ủy ban nhân dân cấp tỉnh triển khai Nghị quyết số 397/NQ-CP về đấu tranh, ngăn " +
  "chặn, đẩy lùi tình trạng buôn lậu, gian lận thương mại, hàng giả, xâm phạm quyền sở hữu trí tuệ đến năm " +
  "2030 tại địa phương;";

const PREAMBLE_SOURCE =
  "Căn cứ: Nghị quyết số 397/NQ-CP ngày 05/12/2025 của Chính phủ, văn bản mà các kế hoạch Đồng Tháp " +
  "(29/KH-UBND ngày 12/01/2026), Ninh Bình và Hưng Yên triển khai; kế hoạch của tỉnh nêu chung, không ghi " +
  "số, vì mẫu dùng cho mọi tỉnh";

/** The duty every family shares: the 100 % pledge target of the 2030 plans. */
const TARGET_SOURCE =
  "Đồng Tháp KH 29/KH-UBND, mục I.2; Ninh Bình KH, mục II.2; Hưng Yên KH, mục II.2 (100% sàn giao dịch " +
  "thương mại điện tử, mạng xã hội, cơ quan báo chí, truyền hình ký cam kết không kinh doanh, quảng cáo " +
  "hàng giả, hàng kém chất lượng, hàng không rõ nguồn gốc xuất xứ, xâm phạm quyền sở hữu trí tuệ)";

const QUARTERLY_SOURCE =
  "An Giang KH, mục II.7 (kiểm tra những cơ sở đã ký cam kết, xử lý nghiêm trường hợp vi phạm); thời hạn " +
  "“02/2026 và định kỳ theo quý”: Ninh Bình KH, mục III.7.5–7.6; Đồng Tháp KH, Phụ lục, nhiệm vụ 7";

const PLATFORM_DECLARATIONS: DeclarationField[] = [
  {
    id: "sellerObligations",
    label: "Cách thức ràng buộc nghĩa vụ về chất lượng hàng hóa đối với từng chủ thể kinh doanh",
    hint:
      "Mô tả cách Đơn vị ràng buộc từng chủ thể kinh doanh (người bán) trên sàn, nền tảng: điều khoản trong " +
      "quy chế hoạt động hoặc thỏa thuận mà người bán phải chấp thuận trước khi đăng bán; giấy tờ yêu cầu " +
      "người bán cung cấp (nguồn gốc xuất xứ, chất lượng, quyền sở hữu trí tuệ); biện pháp xử lý khi vi phạm.",
    kind: "text",
  },
  {
    id: "violationTools",
    label: "Công cụ phát hiện, ngăn chặn và gỡ bỏ sản phẩm, tin đăng vi phạm",
    hint:
      "Mô tả công cụ, quy trình kiểm soát chất lượng hàng hóa và tuân thủ pháp luật về sở hữu trí tuệ: kiểm " +
      "duyệt trước khi đăng, lọc theo từ khóa, hình ảnh, kênh tiếp nhận phản ánh của chủ thể quyền và người " +
      "tiêu dùng, quy trình gỡ bỏ tin đăng và xử lý tài khoản vi phạm.",
    kind: "text",
  },
  {
    id: "takedownContactName",
    label: "Họ và tên người làm đầu mối tiếp nhận yêu cầu gỡ bỏ",
    hint:
      "Người chịu trách nhiệm tiếp nhận, xử lý yêu cầu gỡ bỏ và yêu cầu cung cấp thông tin của cơ quan nhà " +
      "nước có thẩm quyền; ghi kèm chức vụ, bộ phận nếu có.",
    kind: "text",
  },
  {
    id: "takedownContactEmail",
    label: "Thư điện tử của đầu mối",
    hint:
      "Địa chỉ thư điện tử được theo dõi thường xuyên để nhận yêu cầu gỡ bỏ; nên dùng hộp thư chung của bộ " +
      "phận thay cho hộp thư cá nhân.",
    kind: "email",
  },
  {
    id: "takedownContactPhone",
    label: "Số điện thoại của đầu mối",
    hint: "Số điện thoại liên hệ được trong giờ hành chính, ví dụ 0912 345 678 hoặc số cố định kèm mã vùng.",
    kind: "phone",
  },
  {
    id: "takedownResponseHours",
    label: "Thời hạn phản hồi yêu cầu gỡ bỏ (giờ)",
    hint:
      "Số giờ tối đa kể từ khi nhận yêu cầu gỡ bỏ của cơ quan nhà nước có thẩm quyền đến khi Đơn vị phản " +
      "hồi, ví dụ 24.",
    kind: "hours",
  },
];

const PLATFORM_V1: PledgeTemplate = {
  family: "platform",
  version: 1,
  appliesFrom: "2026-Q1",
  title:
    "BẢN CAM KẾT VỀ CHẤT LƯỢNG HÀNG HÓA VÀ TUÂN THỦ PHÁP LUẬT VỀ SỞ HỮU TRÍ TUỆ TRÊN SÀN GIAO DỊCH THƯƠNG MẠI " +
    "ĐIỆN TỬ, MẠNG XÃ HỘI",
  preamble: [
    NQ_397,
    PROVINCIAL_PLAN,
    "Căn cứ các quy định của pháp luật về thương mại điện tử, chất lượng sản phẩm, hàng hóa, sở hữu trí tuệ, " +
      "quảng cáo, bảo vệ quyền lợi người tiêu dùng và các quy định pháp luật khác có liên quan;",
    "Tổ chức, doanh nghiệp có tên tại Bản cam kết này, là chủ sở hữu, đơn vị vận hành sàn giao dịch thương " +
      "mại điện tử hoặc hạ tầng mạng xã hội hoạt động trên địa bàn (sau đây gọi là “Đơn vị”), cam kết với cơ " +
      "quan quản lý nhà nước có thẩm quyền thực hiện nghiêm các nội dung sau đây:",
  ],
  commitments: [
    "Không kinh doanh, quảng cáo và không để sàn giao dịch thương mại điện tử, mạng xã hội do Đơn vị quản lý " +
      "bị lợi dụng để kinh doanh, quảng cáo hàng giả, hàng nhái, hàng kém chất lượng, hàng không rõ nguồn gốc " +
      "xuất xứ, hàng xâm phạm quyền sở hữu trí tuệ.",
    "Ràng buộc từng chủ thể kinh doanh trên sàn, nền tảng bằng cam kết về chất lượng hàng hóa mà chủ thể " +
      "kinh doanh phải chấp thuận trước khi được đăng bán: hàng hóa có nguồn gốc xuất xứ rõ ràng, đúng tiêu " +
      "chuẩn, quy chuẩn, chất lượng đã công bố, không xâm phạm quyền sở hữu trí tuệ; vi phạm cam kết là căn " +
      "cứ để Đơn vị áp dụng biện pháp xử lý.",
    "Duy trì công cụ, quy trình để kiểm soát, xử lý chặt chẽ các vấn đề liên quan đến chất lượng hàng hóa và " +
      "tuân thủ pháp luật về sở hữu trí tuệ trên sàn, nền tảng; chủ động rà soát, phát hiện sản phẩm, tin " +
      "đăng, nội dung quảng cáo có dấu hiệu vi phạm.",
    "Ngăn chặn, gỡ bỏ kịp thời sản phẩm, tin đăng, nội dung quảng cáo vi phạm khi tự phát hiện, khi nhận " +
      "phản ánh có căn cứ hoặc khi có yêu cầu của cơ quan nhà nước có thẩm quyền; áp dụng biện pháp xử lý đối " +
      "với chủ thể kinh doanh vi phạm theo quy chế hoạt động của Đơn vị và quy định của pháp luật.",
    "Bố trí đầu mối tiếp nhận, xử lý yêu cầu gỡ bỏ của cơ quan nhà nước có thẩm quyền như đã kê khai tại " +
      "Bản cam kết này; phản hồi yêu cầu trong thời hạn đã kê khai và thông báo kịp thời khi thông tin đầu " +
      "mối thay đổi.",
    "Phối hợp với cơ quan chức năng; cung cấp đầy đủ, kịp thời thông tin về chủ thể kinh doanh, hàng hóa, " +
      "nội dung có dấu hiệu vi phạm khi có yêu cầu theo quy định của pháp luật, phục vụ truy xuất nguồn gốc " +
      "và xử lý vi phạm.",
    "Chấp hành việc kiểm tra, giám sát của cơ quan nhà nước có thẩm quyền đối với việc thực hiện Bản cam " +
      "kết này; thực hiện ký cam kết định kỳ theo quý theo yêu cầu của cơ quan quản lý.",
  ],
  closing:
    "Đơn vị cam kết thực hiện đúng, đầy đủ các nội dung nêu trên và chịu hoàn toàn trách nhiệm trước pháp " +
    "luật nếu vi phạm các nội dung đã cam kết.",
  sources: [
    PREAMBLE_SOURCE,
    `Cam kết 1: ${TARGET_SOURCE}; Thái Bình KH, mục III (kiểm soát hành vi lợi dụng sàn giao dịch thương mại điện tử, mạng xã hội để kinh doanh hàng giả, hàng không rõ nguồn gốc xuất xứ, hàng vi phạm quyền sở hữu trí tuệ)`,
    "Cam kết 2: Đồng Tháp KH 29/KH-UBND, Phụ lục, nhiệm vụ 7 (sàn thương mại điện tử, hạ tầng mạng xã hội ký cam kết ràng buộc về chất lượng hàng hóa đối với từng chủ thể kinh doanh)",
    "Cam kết 3: Đồng Tháp KH 29/KH-UBND, Phụ lục, nhiệm vụ 7 (có công cụ để kiểm soát, xử lý chặt chẽ các vấn đề liên quan đến chất lượng hàng hóa, tuân thủ pháp luật về sở hữu trí tuệ)",
    "Cam kết 4: Đồng Tháp KH 29/KH-UBND, Phụ lục, nhiệm vụ 7 (xử lý chặt chẽ); An Giang KH, mục III.8 (ngăn chặn, gỡ bỏ nội dung vi phạm)",
    "Cam kết 5: cụ thể hóa “có công cụ để kiểm soát, xử lý chặt chẽ” (Đồng Tháp KH, Phụ lục, nhiệm vụ 7) thành một đầu mối và thời hạn phản hồi được kê khai; các kế hoạch không quy định thời hạn cụ thể",
    "Cam kết 6: An Giang KH, mục III.8 (truy xuất nguồn quảng cáo bất hợp pháp) và mục III.1 (vi phạm trên môi trường thương mại điện tử)",
    `Cam kết 7: ${QUARTERLY_SOURCE}`,
    "Đoạn kết: Đồng Tháp KH, mục I.2 (ký cam kết và đảm bảo tuân thủ)",
  ],
  declarations: PLATFORM_DECLARATIONS,
};

const MEDIA_V1: PledgeTemplate = {
  family: "media",
  version: 1,
  appliesFrom: "2026-Q1",
  title:
    "BẢN CAM KẾT KHÔNG QUẢNG CÁO, ĐĂNG TẢI THÔNG TIN SAI SỰ THẬT, GÂY NHẦM LẪN, PHÓNG ĐẠI VỀ CHẤT LƯỢNG, " +
    "CÔNG DỤNG, XUẤT XỨ SẢN PHẨM, HÀNG HÓA",
  preamble: [
    NQ_397,
    PROVINCIAL_PLAN,
    "Căn cứ các quy định của pháp luật về báo chí, quảng cáo, quản lý, cung cấp, sử dụng dịch vụ Internet và " +
      "thông tin trên mạng, chất lượng sản phẩm, hàng hóa, sở hữu trí tuệ, bảo vệ quyền lợi người tiêu dùng " +
      "và các quy định pháp luật khác có liên quan;",
    "Cơ quan, tổ chức, doanh nghiệp có tên tại Bản cam kết này, là cơ quan báo chí, truyền hình, tổ chức, " +
      "doanh nghiệp thiết lập trang thông tin điện tử tổng hợp, kinh doanh dịch vụ quảng cáo hoặc cung cấp " +
      "dịch vụ mạng xã hội hoạt động trên địa bàn (sau đây gọi là “Đơn vị”), cam kết với cơ quan quản lý nhà " +
      "nước có thẩm quyền thực hiện nghiêm các nội dung sau đây:",
  ],
  commitments: [
    "Không kinh doanh, không đăng, phát, quảng cáo, giới thiệu hàng giả, hàng nhái, hàng kém chất lượng, " +
      "hàng không rõ nguồn gốc xuất xứ, hàng xâm phạm quyền sở hữu trí tuệ trên ấn phẩm, chương trình, trang " +
      "thông tin điện tử, nền tảng và dịch vụ do Đơn vị quản lý.",
    "Không quảng cáo, giới thiệu các thông tin sai sự thật, sai lệch, gây nhầm lẫn, thiếu cơ sở, căn cứ khoa " +
      "học, phóng đại về chất lượng, tính năng, công dụng, xuất xứ của sản phẩm, hàng hóa.",
    "Kiểm tra, xác minh kỹ các tài liệu pháp lý liên quan đến sản phẩm, hàng hóa trước khi nhận đăng, phát " +
      "hoặc cung cấp dịch vụ quảng cáo; từ chối nội dung không chứng minh được nguồn gốc, chất lượng, công " +
      "dụng đã nêu.",
    "Quản lý, kiểm soát chặt chẽ nội dung quảng cáo trên ấn phẩm, chương trình, trang thông tin, nền tảng của " +
      "Đơn vị, không để xảy ra tình trạng quảng cáo sai sự thật, dễ gây nhầm lẫn; ngăn chặn, gỡ bỏ kịp thời " +
      "nội dung vi phạm khi phát hiện hoặc khi có yêu cầu của cơ quan nhà nước có thẩm quyền.",
    "Không đăng tải, công bố thông tin sai sự thật về quy chuẩn, tiêu chuẩn, chất lượng hàng hóa.",
    "Phối hợp với cơ quan chức năng; cung cấp thông tin về nội dung quảng cáo, tổ chức, cá nhân thuê quảng " +
      "cáo có dấu hiệu vi phạm khi có yêu cầu theo quy định của pháp luật, phục vụ truy xuất nguồn quảng cáo " +
      "bất hợp pháp.",
    "Chấp hành việc kiểm tra, giám sát của cơ quan nhà nước có thẩm quyền đối với việc thực hiện Bản cam " +
      "kết này; thực hiện ký cam kết định kỳ theo quý theo yêu cầu của cơ quan quản lý.",
  ],
  closing:
    "Đơn vị cam kết thực hiện đúng, đầy đủ các nội dung nêu trên và chịu hoàn toàn trách nhiệm trước pháp " +
    "luật nếu có hành vi quảng cáo gian dối, vi phạm các nội dung đã cam kết.",
  sources: [
    PREAMBLE_SOURCE,
    `Cam kết 1: ${TARGET_SOURCE}`,
    "Cam kết 2: Ninh Bình KH, mục III.7.6; Đồng Tháp KH 29/KH-UBND, Phụ lục, nhiệm vụ 7 (cơ quan báo chí, doanh nghiệp cung cấp dịch vụ mạng xã hội, trang thông tin điện tử tổng hợp, dịch vụ quảng cáo không quảng cáo, giới thiệu thông tin sai sự thật, gây nhầm lẫn, phóng đại về chất lượng, công dụng, xuất xứ sản phẩm, hàng hóa)",
    "Cam kết 3: Ninh Bình KH, mục III.7.6 (không quảng cáo, giới thiệu khi chưa xác minh kỹ các tài liệu pháp lý liên quan đến sản phẩm)",
    "Cam kết 4: Ninh Bình KH, mục III.7.6 (quản lý, kiểm soát chặt chẽ không để xảy ra tình trạng quảng cáo sai sự thật, dễ gây nhầm lẫn); An Giang KH, mục III.8 (ngăn chặn, gỡ bỏ nội dung vi phạm)",
    "Cam kết 5: Ninh Bình KH, mục III.7.7; Đồng Tháp KH 29/KH-UBND, Phụ lục, nhiệm vụ 7 (rà soát, xử lý hành vi công bố thông tin sai sự thật về quy chuẩn, tiêu chuẩn, chất lượng hàng hóa)",
    "Cam kết 6: An Giang KH, mục III.8 (truy xuất nguồn quảng cáo bất hợp pháp) và mục III.14 (báo, đài phối hợp cung cấp thông tin)",
    `Cam kết 7: ${QUARTERLY_SOURCE}`,
    "Đoạn kết: Ninh Bình KH, mục III.7.6; Đồng Tháp KH 29/KH-UBND, Phụ lục, nhiệm vụ 7 (chịu trách nhiệm trước pháp luật nếu có hành vi quảng cáo gian dối, vi phạm)",
  ],
  declarations: [],
};

const PUBLIC_FIGURE_V1: PledgeTemplate = {
  family: "public_figure",
  version: 1,
  appliesFrom: "2026-Q1",
  title:
    "BẢN CAM KẾT KHÔNG QUẢNG CÁO, GIỚI THIỆU THÔNG TIN SAI LỆCH, THIẾU CĂN CỨ KHOA HỌC, PHÓNG ĐẠI TÍNH NĂNG, " +
    "CÔNG DỤNG CỦA SẢN PHẨM",
  preamble: [
    NQ_397,
    PROVINCIAL_PLAN,
    "Căn cứ các quy định của pháp luật về quảng cáo, chất lượng sản phẩm, hàng hóa, sở hữu trí tuệ, bảo vệ " +
      "quyền lợi người tiêu dùng và các quy định pháp luật khác có liên quan;",
    "Tôi, người có tên tại Bản cam kết này, là người nổi tiếng, người có ảnh hưởng, văn nghệ sĩ, vận động " +
      "viên hoặc nhà quản lý ngành văn hóa, thể thao, du lịch trên địa bàn, cam kết với cơ quan quản lý nhà " +
      "nước có thẩm quyền thực hiện nghiêm các nội dung sau đây:",
  ],
  commitments: [
    "Không kinh doanh, quảng cáo, giới thiệu hàng giả, hàng nhái, hàng kém chất lượng, hàng không rõ nguồn " +
      "gốc xuất xứ, hàng xâm phạm quyền sở hữu trí tuệ dưới bất kỳ hình thức nào, kể cả trên trang cá nhân, " +
      "kênh mạng xã hội và khi bán hàng trực tuyến.",
    "Kiểm tra, xác minh kỹ các tài liệu pháp lý liên quan đến sản phẩm, hàng hóa (nguồn gốc xuất xứ, công " +
      "bố chất lượng, giấy tờ về điều kiện lưu hành theo quy định) trước khi nhận quảng cáo, giới thiệu; " +
      "không quảng cáo, giới thiệu sản phẩm khi chưa xác minh.",
    "Không quảng cáo, giới thiệu các thông tin sai lệch, gây nhầm lẫn, thiếu cơ sở, căn cứ khoa học, phóng " +
      "đại tính năng, công dụng, chất lượng, xuất xứ của sản phẩm, hàng hóa.",
    "Không lợi dụng uy tín cá nhân, hình ảnh, danh tiếng của mình để quảng cáo sai sự thật, gây hiểu nhầm " +
      "cho người tiêu dùng.",
    "Thông báo công khai, rõ ràng với người xem, người theo dõi khi nội dung tôi đăng tải, chia sẻ là quảng " +
      "cáo hoặc được trả tiền, tài trợ, hợp tác thương mại, để người tiêu dùng không nhầm lẫn quảng cáo với " +
      "trải nghiệm, đánh giá cá nhân.",
    "Gỡ bỏ, đính chính kịp thời nội dung quảng cáo vi phạm khi phát hiện hoặc khi có yêu cầu của cơ quan nhà " +
      "nước có thẩm quyền; cung cấp thông tin về tổ chức, cá nhân thuê quảng cáo khi được yêu cầu theo quy " +
      "định của pháp luật.",
    "Chấp hành việc kiểm tra, giám sát của cơ quan nhà nước có thẩm quyền đối với việc thực hiện Bản cam " +
      "kết này; thực hiện ký cam kết định kỳ theo quý theo yêu cầu của cơ quan quản lý.",
  ],
  closing:
    "Tôi cam kết thực hiện đúng, đầy đủ các nội dung nêu trên và chịu hoàn toàn trách nhiệm trước pháp luật " +
    "nếu có hành vi quảng cáo gian dối, vi phạm các nội dung đã cam kết.",
  sources: [
    PREAMBLE_SOURCE,
    "Cam kết 1: Ninh Bình KH, mục III.7.6 (người nổi tiếng, người có ảnh hưởng, văn nghệ sĩ, vận động viên, nhà quản lý ngành văn hóa, thể thao, du lịch ký cam kết); An Giang KH, mục II.7 (ký cam kết không kinh doanh hàng giả, hàng lậu, kém chất lượng); Ninh Bình KH, mục II.2 (danh mục hàng hóa của cam kết)",
    "Cam kết 2: Ninh Bình KH, mục III.7.6; Đồng Tháp KH 29/KH-UBND, Phụ lục, nhiệm vụ 7 (khi chưa xác minh kỹ các tài liệu pháp lý liên quan đến sản phẩm)",
    "Cam kết 3: Ninh Bình KH, mục III.7.6; Đồng Tháp KH 29/KH-UBND, Phụ lục, nhiệm vụ 7 (thông tin sai lệch, gây nhầm lẫn, thiếu cơ sở, căn cứ khoa học, phóng đại tính năng, công dụng)",
    "Cam kết 4: An Giang KH, mục III.8 (lợi dụng uy tín cá nhân, người nổi tiếng, nghệ sĩ, người có ảnh hưởng (KOLs, Influencers) để quảng cáo sai sự thật, gây hiểu nhầm cho người tiêu dùng)",
    "Cam kết 5: cụ thể hóa yêu cầu không quảng cáo “gây nhầm lẫn” (Ninh Bình KH, mục III.7.6) và không “gây hiểu nhầm cho người tiêu dùng” (An Giang KH, mục III.8); các kế hoạch không nêu riêng nghĩa vụ công khai quảng cáo",
    "Cam kết 6: An Giang KH, mục III.8 (ngăn chặn, gỡ bỏ nội dung vi phạm, truy xuất nguồn quảng cáo bất hợp pháp)",
    `Cam kết 7: ${QUARTERLY_SOURCE}`,
    "Đoạn kết: Ninh Bình KH, mục III.7.6; Đồng Tháp KH 29/KH-UBND, Phụ lục, nhiệm vụ 7 (chịu trách nhiệm trước pháp luật nếu có hành vi quảng cáo gian dối)",
  ],
  declarations: [],
};

const MEDICAL_V1: PledgeTemplate = {
  family: "medical",
  version: 1,
  appliesFrom: "2026-Q1",
  title:
    "BẢN CAM KẾT KHÔNG QUẢNG CÁO, GIỚI THIỆU THÔNG TIN SAI LỆCH VỀ SẢN PHẨM Y TẾ, THUỐC, THỰC PHẨM CHỨC " +
    "NĂNG, MỸ PHẨM",
  preamble: [
    NQ_397,
    PROVINCIAL_PLAN,
    "Căn cứ các quy định của pháp luật về quảng cáo, dược, an toàn thực phẩm, mỹ phẩm, trang thiết bị y tế, " +
      "chất lượng sản phẩm, hàng hóa, bảo vệ quyền lợi người tiêu dùng và các quy định pháp luật khác có liên " +
      "quan;",
    "Tôi, người có tên tại Bản cam kết này, là nhà khoa học, y bác sĩ hoặc nhà quản lý ngành y tế trên địa " +
      "bàn, cam kết với cơ quan quản lý nhà nước có thẩm quyền thực hiện nghiêm các nội dung sau đây:",
  ],
  commitments: [
    "Không tham gia sản xuất, kinh doanh, quảng cáo, giới thiệu hàng giả, hàng nhái, hàng kém chất lượng, " +
      "hàng không rõ nguồn gốc xuất xứ, hàng xâm phạm quyền sở hữu trí tuệ, nhất là thuốc, dược phẩm, mỹ " +
      "phẩm, thực phẩm chức năng, thực phẩm bảo vệ sức khỏe, trang thiết bị y tế không rõ nguồn gốc xuất xứ " +
      "hoặc không bảo đảm chất lượng.",
    "Kiểm tra, xác minh kỹ các tài liệu pháp lý liên quan đến sản phẩm y tế, thuốc, thực phẩm chức năng, " +
      "thực phẩm bảo vệ sức khỏe, mỹ phẩm, trang thiết bị y tế trước khi tham gia quảng cáo, giới thiệu; chỉ " +
      "tham gia khi sản phẩm đủ điều kiện lưu hành và nội dung quảng cáo đáp ứng quy định của pháp luật.",
    "Không quảng cáo, giới thiệu các thông tin sai lệch, thiếu cơ sở, căn cứ khoa học, phóng đại tính năng, " +
      "công dụng của sản phẩm; không giới thiệu thực phẩm chức năng, thực phẩm bảo vệ sức khỏe, mỹ phẩm như " +
      "thuốc hoặc như có tác dụng thay thế thuốc chữa bệnh.",
    "Không sử dụng danh nghĩa, chức danh, hình ảnh, uy tín nghề nghiệp của nhà khoa học, y bác sĩ, nhà quản " +
      "lý ngành y tế để quảng cáo, xác nhận công dụng của sản phẩm trái quy định của pháp luật.",
    "Gỡ bỏ, đính chính kịp thời nội dung vi phạm khi phát hiện hoặc khi có yêu cầu của cơ quan nhà nước có " +
      "thẩm quyền; phối hợp với cơ quan y tế, cung cấp thông tin về sản phẩm nghi là hàng giả, hàng kém chất " +
      "lượng và tổ chức, cá nhân liên quan khi được yêu cầu.",
    "Chấp hành việc kiểm tra, giám sát của cơ quan nhà nước có thẩm quyền đối với việc thực hiện Bản cam " +
      "kết này; thực hiện ký cam kết định kỳ theo quý theo yêu cầu của cơ quan quản lý.",
  ],
  closing:
    "Tôi cam kết thực hiện đúng, đầy đủ các nội dung nêu trên và chịu hoàn toàn trách nhiệm trước pháp luật " +
    "nếu có hành vi quảng cáo gian dối, tham gia quảng cáo sản phẩm y tế, thực phẩm chức năng không đúng sự " +
    "thật hoặc vi phạm các nội dung đã cam kết.",
  sources: [
    PREAMBLE_SOURCE,
    "Cam kết 1: An Giang KH, mục III.5 (thuốc giả, thuốc nhập lậu, dược phẩm, mỹ phẩm, thực phẩm chức năng không rõ nguồn gốc xuất xứ hoặc không bảo đảm chất lượng); Thái Bình KH, mục III (thuốc giả, thực phẩm bảo vệ sức khỏe, thực phẩm chức năng); Ninh Bình KH, mục II.2 (danh mục hàng hóa của cam kết)",
    "Cam kết 2: Ninh Bình KH, mục III.7.5; Đồng Tháp KH 29/KH-UBND, Phụ lục, nhiệm vụ 7; An Giang KH, mục III.5 (khi chưa xác minh kỹ các tài liệu pháp lý liên quan đến sản phẩm)",
    "Cam kết 3: Ninh Bình KH, mục III.7.5; Đồng Tháp KH 29/KH-UBND, Phụ lục, nhiệm vụ 7 (thông tin sai lệch, thiếu cơ sở, căn cứ khoa học, phóng đại tính năng, công dụng); An Giang KH, mục III.5 (quảng cáo các sản phẩm y tế, thực phẩm chức năng không đúng sự thật); vế sau cụ thể hóa “phóng đại tính năng, công dụng”",
    "Cam kết 4: An Giang KH, mục III.8 (lợi dụng uy tín cá nhân để quảng cáo sai sự thật) và mục III.5 (nhà khoa học, nhà quản lý ngành y tế không tham gia quảng cáo sai lệch), cụ thể hóa cho người làm trong ngành y tế",
    "Cam kết 5: An Giang KH, mục III.5 (phối hợp lấy mẫu, giám định sản phẩm nghi là hàng giả, hàng kém chất lượng) và mục III.8 (ngăn chặn, gỡ bỏ nội dung vi phạm)",
    `Cam kết 6: ${QUARTERLY_SOURCE}`,
    "Đoạn kết: Ninh Bình KH, mục III.7.5; Đồng Tháp KH 29/KH-UBND, Phụ lục, nhiệm vụ 7; An Giang KH, mục III.5 (chịu trách nhiệm trước pháp luật nếu có hành vi quảng cáo gian dối, tham gia quảng cáo các sản phẩm y tế, thực phẩm chức năng không đúng sự thật)",
  ],
  declarations: [],
};

/** Freezes a template all the way down, so no caller can edit a published text in memory. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** Every published template version, in family order then version order. Never edit one: add a version. */
export const PLEDGE_TEMPLATES: readonly PledgeTemplate[] = deepFreeze([
  PLATFORM_V1,
  MEDIA_V1,
  PUBLIC_FIGURE_V1,
  MEDICAL_V1,
]);

/**
 * The template in force for a family in a quarter: the highest version whose `appliesFrom` is not later
 * than the quarter. `templates` defaults to the published list (tests pass their own).
 */
export function templateFor(
  family: PledgeFamily,
  quarter: string,
  templates: readonly PledgeTemplate[] = PLEDGE_TEMPLATES,
): PledgeTemplate {
  parseQuarterId(quarter);
  let best: PledgeTemplate | undefined;
  for (const t of templates) {
    if (t.family !== family || compareQuarterIds(t.appliesFrom, quarter) > 0) continue;
    if (!best || t.version > best.version) best = t;
  }
  if (!best) {
    const first = templates
      .filter((t) => t.family === family)
      .map((t) => t.appliesFrom)
      .sort(compareQuarterIds)[0];
    throw new Error(
      `no pledge template for family "${family}" applies in ${quarter}` +
        (first ? `: the first version applies from ${first}` : ": the family has no template"),
    );
  }
  return best;
}

/** A template by family and version (for pledges signed under an older version); throws when unknown. */
export function templateById(
  family: PledgeFamily,
  version: number,
  templates: readonly PledgeTemplate[] = PLEDGE_TEMPLATES,
): PledgeTemplate {
  const found = templates.find((t) => t.family === family && t.version === version);
  if (!found) throw new Error(`no pledge template "${family}" version ${version}`);
  return found;
}

/** "platform@1": the key of a template version (used by the hash pin and in logs). */
export function templateKey(template: Pick<PledgeTemplate, "family" | "version">): string {
  return `${template.family}@${template.version}`;
}

/**
 * The canonical plain text of a template: title, preamble paragraphs, commitments numbered "1. ", "2. " …,
 * closing; one per line, joined with "\n", NFC. Declarations and sources are not part of it.
 */
export function templateText(template: PledgeTemplate): string {
  return [
    template.title,
    ...template.preamble,
    ...template.commitments.map((c, i) => `${i + 1}. ${c}`),
    template.closing,
  ]
    .join("\n")
    .normalize("NFC");
}

/** SHA-256 (lowercase hex) of templateText's UTF-8 bytes. */
export function templateHash(template: PledgeTemplate): string {
  return createHash("sha256").update(templateText(template), "utf8").digest("hex");
}
