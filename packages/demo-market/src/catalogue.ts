/**
 * The demo marketplace's made-up shops, listings and posts ("Chợ Phố", a fictional site): realistic
 * Vietnamese wording, with counterfeit slang, health-supplement ads with and without the mandatory
 * disclaimer, KOL posts with discount codes, and plenty of ordinary goods. Every name is invented.
 */
export interface DemoProduct {
  slug: string;
  name: string;
  price: number;
  description: string;
  category: string;
}

export interface DemoShop {
  slug: string;
  name: string;
  intro: string;
  products: DemoProduct[];
}

export interface DemoPost {
  id: string;
  author: string;
  text: string;
  sponsored: boolean;
}

const p = (
  slug: string,
  name: string,
  price: number,
  category: string,
  description: string,
): DemoProduct => ({
  slug,
  name,
  price,
  category,
  description,
});

/** A fashion shop, 3 pages of 8: a few counterfeit listings among ordinary ones. JSON-LD on every page. */
export const FASHION_SHOP: DemoShop = {
  slug: "thoi-trang-sai-gon",
  name: "Thời Trang Sài Gòn Store",
  intro: "Chuyên quần áo, giày dép, phụ kiện. Giao hàng toàn quốc, kiểm tra hàng trước khi nhận.",
  products: [
    p(
      "ao-thun-cotton-basic",
      "Áo thun cotton basic nam nữ",
      89000,
      "Thời trang",
      "Áo thun 100% cotton, 6 màu, size S–XXL.",
    ),
    p(
      "giay-the-thao-rep-11",
      "Giày thể thao Nike Air Force 1 rep 1:1 full box",
      450000,
      "Giày dép",
      "Hàng rep 1:1 like auth, full box bill, đế khâu chắc chắn. Cam kết giống chính hãng 99%.",
    ),
    p(
      "quan-jean-ong-rong",
      "Quần jean ống rộng nữ lưng cao",
      235000,
      "Thời trang",
      "Chất jean dày dặn, không phai màu.",
    ),
    p(
      "tui-xach-lv-super-fake",
      "Túi xách LV Neverfull super fake",
      890000,
      "Túi ví",
      "Hàng super fake loại 1, da PU cao cấp, tem mác đầy đủ như auth.",
    ),
    p(
      "mu-bao-hiem-3-4",
      "Mũ bảo hiểm 3/4 có kính, đạt chuẩn QCVN",
      320000,
      "Phụ kiện",
      "Có tem hợp quy, bảo hành 12 tháng.",
    ),
    p("vi-da-nam", "Ví da bò nam handmade", 195000, "Túi ví", "Da bò thật, khâu tay, khắc tên miễn phí."),
    p(
      "dong-ho-rolex-f4ke",
      "Đồng hồ Rolex Submariner f4ke cao cấp",
      1200000,
      "Đồng hồ",
      "Máy cơ Nhật, vỏ thép, hàng fa.ke đẹp không phân biệt được.",
    ),
    p(
      "ao-khoac-gio",
      "Áo khoác gió 2 lớp chống nước",
      279000,
      "Thời trang",
      "Chống nước nhẹ, có mũ tháo rời.",
    ),
    p("dep-quai-ngang", "Dép quai ngang unisex đế cao su", 59000, "Giày dép", "Đế cao su non, êm chân."),
    p(
      "kinh-mat-rayban-rep",
      "Kính mát Rayban Aviator hàng rep",
      150000,
      "Phụ kiện",
      "Hàng rep tráng gương, kèm hộp da.",
    ),
    p("khan-lua-to-tam", "Khăn lụa tơ tằm Bảo Lộc", 340000, "Phụ kiện", "Lụa tơ tằm tự nhiên, in hoa sen."),
    p("ao-so-mi-linen", "Áo sơ mi linen tay dài", 265000, "Thời trang", "Vải linen thoáng mát, dáng suông."),
    p("balo-laptop", "Balo laptop chống sốc 15.6 inch", 310000, "Túi ví", "Ngăn chống sốc, cổng sạc USB."),
    p(
      "giay-adidas-xach-tay",
      "Giày Adidas Ultraboost xách tay Mỹ",
      2100000,
      "Giày dép",
      "Hàng xách tay Mỹ, có hóa đơn mua hàng, bảo hành 3 tháng.",
    ),
    p("vay-hoa-nhi", "Váy hoa nhí dáng xòe", 198000, "Thời trang", "Vải voan hai lớp, có lót."),
    p(
      "that-lung-gucci-like-auth",
      "Thắt lưng Gucci like auth khóa GG",
      380000,
      "Phụ kiện",
      "Like auth 98%, không hộp, không hóa đơn, không tem phụ tiếng Việt.",
    ),
    p("tat-co-cao", "Set 5 đôi tất cổ cao", 49000, "Phụ kiện", "Cotton co giãn, khử mùi."),
    p("ao-len-det-kim", "Áo len dệt kim cổ tròn", 225000, "Thời trang", "Len mềm, không xù."),
    p("non-bucket", "Nón bucket vải kaki", 75000, "Phụ kiện", "Vành rộng, chống nắng."),
    p("ao-dai-cach-tan", "Áo dài cách tân gấm", 450000, "Thời trang", "Gấm Thái Tuấn, may đo theo số đo."),
    p("giay-cao-got", "Giày cao gót mũi nhọn 7 phân", 289000, "Giày dép", "Da tổng hợp, đế chống trượt."),
    p(
      "dong-ho-casio-chinh-hang",
      "Đồng hồ Casio MTP-1374L chính hãng",
      1450000,
      "Đồng hồ",
      "Chính hãng, bảo hành 1 năm, có phiếu bảo hành.",
    ),
    p("quan-short-kaki", "Quần short kaki nam", 169000, "Thời trang", "Kaki co giãn 4 chiều."),
    p("tui-tote-canvas", "Túi tote canvas in chữ", 95000, "Túi ví", "Canvas dày, có khóa kéo."),
  ],
};

const DISCLAIMER = "Thực phẩm này không phải là thuốc và không có tác dụng thay thế thuốc chữa bệnh.";

/** A pharmacy-style shop selling supplements: microdata, one page. */
export const HEALTH_SHOP: DemoShop = {
  slug: "nha-thuoc-xanh",
  name: "Nhà Thuốc Xanh Online",
  intro: "Thực phẩm bảo vệ sức khỏe, mỹ phẩm, thiết bị y tế gia đình.",
  products: [
    p(
      "vien-xuong-khop-a",
      "Viên uống xương khớp Glucosamine Gold",
      450000,
      "Thực phẩm bảo vệ sức khỏe",
      `Hỗ trợ giảm đau nhức xương khớp. ${DISCLAIMER}`,
    ),
    p(
      "tra-giam-can-b",
      "Trà giảm cân thảo mộc Slim Up",
      290000,
      "Thực phẩm bảo vệ sức khỏe",
      "Đặc trị béo phì, giảm 10kg trong 1 tháng, chữa khỏi mỡ máu. Sản phẩm số 1 Việt Nam.",
    ),
    p(
      "vien-tieu-duong-c",
      "Viên tiểu đường Đường Huyết An",
      520000,
      "Thực phẩm bảo vệ sức khỏe",
      "Thay thế thuốc tây, chữa khỏi tiểu đường type 2 sau 3 liệu trình. Bác sĩ Trần Văn K khuyên dùng.",
    ),
    p(
      "vitamin-c-d",
      "Vitamin C 1000mg hộp 100 viên",
      185000,
      "Thực phẩm bảo vệ sức khỏe",
      `Bổ sung vitamin C, tăng sức đề kháng. Thực phẩm này không phải là thuốc, và không có tác dụng thay thế thuốc chữa bệnh.`,
    ),
    p("sua-rua-mat", "Sữa rửa mặt dịu nhẹ cho da nhạy cảm", 145000, "Mỹ phẩm", "Không xà phòng, pH 5.5."),
    p(
      "may-do-huyet-ap",
      "Máy đo huyết áp bắp tay điện tử",
      690000,
      "Thiết bị y tế",
      "Có giấy phép lưu hành, bảo hành 2 năm.",
    ),
    p(
      "kem-tri-nam",
      "Kem trị nám tàn nhang Whitening 7 ngày",
      350000,
      "Mỹ phẩm",
      "Đặc trị nám lâu năm, trắng da cấp tốc, hàng xách tay Hàn không tem phụ.",
    ),
    p(
      "omega-3",
      "Dầu cá Omega-3 1000mg",
      320000,
      "Thực phẩm bảo vệ sức khỏe",
      `Hỗ trợ tim mạch, sáng mắt. ${DISCLAIMER}`,
    ),
    p(
      "nhiet-ke-dien-tu",
      "Nhiệt kế điện tử đo trán",
      250000,
      "Thiết bị y tế",
      "Đo nhanh 1 giây, cảnh báo sốt.",
    ),
    p(
      "vien-bo-gan",
      "Viên bổ gan Giải Độc Gan Plus",
      380000,
      "Thực phẩm bảo vệ sức khỏe",
      "Hỗ trợ thanh nhiệt, giải độc gan, tốt nhất cho người uống rượu bia.",
    ),
  ],
};

/** Results of the JS-rendered search page ("tìm kiếm"): fetched as JSON by a script, drawn in the browser. */
export const SEARCH_RESULTS: DemoProduct[] = [
  p(
    "noi-chien-khong-dau",
    "Nồi chiên không dầu 6 lít",
    1290000,
    "Gia dụng",
    "Dung tích 6L, bảo hành 12 tháng.",
  ),
  p(
    "tai-nghe-airpods-rep",
    "Tai nghe AirPods Pro 2 rep 1:1 định vị đổi tên",
    390000,
    "Điện tử",
    "Hàng rep 1:1, chip Hổ Vằn, định vị đổi tên như auth.",
  ),
  p("quat-dung", "Quạt đứng 5 cánh tiết kiệm điện", 650000, "Gia dụng", "Động cơ bạc thau, 3 tốc độ."),
  p("sac-du-phong", "Sạc dự phòng 20000mAh sạc nhanh", 420000, "Điện tử", "Có chứng nhận hợp quy."),
  p(
    "thuoc-la-dien-tu",
    "Thuốc lá điện tử pod vị bạc hà",
    250000,
    "Khác",
    "Pod dùng 1 lần 6000 hơi, ship hỏa tốc.",
  ),
  p("bo-noi-inox", "Bộ nồi inox 3 đáy 5 món", 990000, "Gia dụng", "Dùng được bếp từ."),
  p("op-lung-iphone", "Ốp lưng iPhone 15 silicon", 79000, "Phụ kiện điện thoại", "Silicon mềm, chống sốc."),
  p("phao-hoa", "Pháo hoa mini bắn tay đón Tết", 120000, "Khác", "Hàng Trung Quốc không tem, ship kín đáo."),
];

/** A KOL's public page: paid posts with and without the "quảng cáo"/partnership label. */
export const KOL_FEED: { slug: string; name: string; posts: DemoPost[] } = {
  slug: "linh-review",
  name: "Linh Review Đồ Xinh",
  posts: [
    {
      id: "lr-101",
      author: "Linh Review Đồ Xinh",
      sponsored: false,
      text: "Hôm nay Linh thử 5 món skincare dưới 200k, món số 3 bất ngờ lắm mọi người ơi! Link mua ở bình luận, nhập mã LINH20 giảm 20%.",
    },
    {
      id: "lr-102",
      author: "Linh Review Đồ Xinh",
      sponsored: false,
      text: "#quangcao Hợp tác cùng Nhà Thuốc Xanh: vitamin C 1000mg mình dùng mỗi sáng. Thực phẩm này không phải là thuốc và không có tác dụng thay thế thuốc chữa bệnh.",
    },
    {
      id: "lr-103",
      author: "Linh Review Đồ Xinh",
      sponsored: false,
      text: "Trà Slim Up giúp Linh giảm 8kg sau 1 tháng, đặc trị béo bụng, chữa khỏi mỡ máu luôn! Mã giảm giá SLIM50 cho 50 bạn đầu tiên.",
    },
    {
      id: "lr-104",
      author: "Linh Review Đồ Xinh",
      sponsored: false,
      text: "Cuối tuần đi chợ Bến Thành, ăn chè ba màu 25k một ly, ngon quá trời.",
    },
    {
      id: "lr-105",
      author: "Linh Review Đồ Xinh",
      sponsored: false,
      text: "Mọi người cẩn thận hàng fake nha, nói không với hàng fake, mua ở shop chính hãng có hóa đơn.",
    },
    {
      id: "lr-106",
      author: "Linh Review Đồ Xinh",
      sponsored: false,
      text: "Túi LV super fake mà Linh đeo hôm qua đây, inbox shop Thời Trang Sài Gòn nhập mã LINHLV giảm 100k.",
    },
  ],
};

/** Sponsored posts in the social feed (ads), one with the disclaimer, one without. */
export const FEED_ADS: DemoPost[] = [
  {
    id: "ad-201",
    author: "Đường Huyết An Official",
    sponsored: true,
    text: "Viên tiểu đường Đường Huyết An – thay thế thuốc tây, ổn định đường huyết sau 7 ngày. Bác sĩ khuyên dùng. Gọi ngay 09xx để được tư vấn.",
  },
  {
    id: "ad-202",
    author: "Omega Việt",
    sponsored: true,
    text: `Dầu cá Omega-3 hỗ trợ tim mạch cho cả nhà. ${DISCLAIMER}`,
  },
  {
    id: "ad-203",
    author: "Gia Dụng Nhà Mình",
    sponsored: true,
    text: "Nồi chiên không dầu 6 lít giảm 30% cuối tuần này, bảo hành 12 tháng.",
  },
];
