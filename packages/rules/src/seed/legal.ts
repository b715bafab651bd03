/**
 * Legal bases cited by the seed rules, in Vietnamese, written for this project. They name the instrument
 * and the subject a reviewer checks the flag against; the agencies' legal staff should review them before
 * the rules are relied on (leads can edit every rule's legal basis in the console).
 */
export const LEGAL = {
  counterfeit:
    "Luật Sở hữu trí tuệ (sửa đổi 2022) về xâm phạm quyền đối với nhãn hiệu; Nghị định 98/2020/NĐ-CP (sửa đổi bởi Nghị định 17/2022/NĐ-CP) về xử phạt hành vi buôn bán hàng giả, hàng giả mạo nhãn hiệu.",
  smuggled:
    "Nghị định 98/2020/NĐ-CP (sửa đổi bởi Nghị định 17/2022/NĐ-CP) về xử phạt hành vi kinh doanh hàng hóa nhập lậu; hàng nhập khẩu lưu thông phải có hóa đơn, chứng từ chứng minh nguồn gốc.",
  unknownOrigin:
    "Nghị định 98/2020/NĐ-CP (sửa đổi bởi Nghị định 17/2022/NĐ-CP) về xử phạt kinh doanh hàng hóa không rõ nguồn gốc, xuất xứ; Nghị định 43/2017/NĐ-CP (sửa đổi bởi Nghị định 111/2021/NĐ-CP) về nhãn hàng hóa.",
  banned:
    "Nghị quyết 173/2024/QH15 của Quốc hội: cấm sản xuất, kinh doanh, nhập khẩu, tàng trữ, vận chuyển, sử dụng thuốc lá điện tử, thuốc lá nung nóng từ năm 2025; Nghị định 137/2020/NĐ-CP về quản lý, sử dụng pháo (cấm kinh doanh pháo nổ); Nghị định 98/2020/NĐ-CP về kinh doanh hàng cấm.",
  ip: "Luật Sở hữu trí tuệ (sửa đổi 2022) về quyền tác giả: sao chép, phân phối bản sao tác phẩm, chương trình máy tính không được phép của chủ sở hữu quyền.",
  healthClaim:
    "Luật Quảng cáo (sửa đổi 2025): cấm quảng cáo thực phẩm, mỹ phẩm gây hiểu nhầm có tác dụng như thuốc chữa bệnh; Nghị định 15/2018/NĐ-CP về an toàn thực phẩm (quảng cáo thực phẩm bảo vệ sức khỏe).",
  disclaimer:
    "Nghị định 15/2018/NĐ-CP, quy định về quảng cáo thực phẩm bảo vệ sức khỏe: bắt buộc có khuyến cáo “Thực phẩm này không phải là thuốc và không có tác dụng thay thế thuốc chữa bệnh”.",
  doctor:
    "Luật Quảng cáo (sửa đổi 2025): cấm sử dụng danh nghĩa, hình ảnh, trang phục của cơ sở y tế, bác sĩ, nhân viên y tế để quảng cáo thực phẩm, mỹ phẩm; Nghị định 15/2018/NĐ-CP.",
  superlative:
    "Luật Quảng cáo, Điều 8 (hành vi bị cấm): dùng các từ “nhất”, “duy nhất”, “tốt nhất”, “số một” hoặc từ ngữ tương tự mà không có tài liệu hợp pháp chứng minh.",
  undisclosedAd:
    "Luật Quảng cáo (sửa đổi 2025): người chuyển tải sản phẩm quảng cáo (KOL, người có ảnh hưởng) phải công khai rõ nội dung là quảng cáo; Nghị định 38/2021/NĐ-CP về xử phạt trong lĩnh vực quảng cáo.",
  prescription:
    "Luật Dược 2016 (sửa đổi 2024): thuốc kê đơn không được bán theo phương thức thương mại điện tử, chỉ bán tại cơ sở bán lẻ khi có đơn; Nghị định 117/2020/NĐ-CP về xử phạt trong lĩnh vực y tế.",
  unlicensedDrug:
    "Luật Dược 2016 (sửa đổi 2024): cấm kinh doanh thuốc chưa được cấp giấy đăng ký lưu hành hoặc giấy phép nhập khẩu, thuốc không rõ nguồn gốc; Nghị định 117/2020/NĐ-CP.",
  price:
    "Dấu hiệu nghi vấn (không tự nó là vi phạm): giá thấp bất thường so với giá bán của nhà phân phối chính thức thường gặp ở hàng giả; căn cứ xử lý là Nghị định 98/2020/NĐ-CP (sửa đổi bởi Nghị định 17/2022/NĐ-CP) về hàng giả.",
  counterfeitDrug:
    "Luật Dược 2016 (sửa đổi 2024): cấm kinh doanh thuốc giả; Nghị định 117/2020/NĐ-CP về xử phạt trong lĩnh vực y tế. Sản phẩm có tên trong thông báo thuốc giả của Cục Quản lý Dược: đối chiếu số lô, hạn dùng, bao bì với thông báo.",
  warnedHealthAd:
    "Luật Quảng cáo (sửa đổi 2025) và Nghị định 15/2018/NĐ-CP về quảng cáo thực phẩm bảo vệ sức khỏe: sản phẩm đã bị Cục An toàn thực phẩm, Bộ Y tế cảnh báo quảng cáo sai quy định; kiểm tra nội dung quảng cáo so với giấy xác nhận nội dung quảng cáo.",
  lookalikeBrand:
    "Luật Sở hữu trí tuệ (sửa đổi 2022): dấu hiệu trùng hoặc tương tự đến mức gây nhầm lẫn với nhãn hiệu được bảo hộ là xâm phạm quyền đối với nhãn hiệu; Nghị định 98/2020/NĐ-CP (sửa đổi bởi Nghị định 17/2022/NĐ-CP) về hàng giả mạo nhãn hiệu.",
  watchSeller:
    "Dấu hiệu nghi vấn: người bán, KOL đã có vi phạm được xác nhận hoặc đã vi phạm cam kết; cần xem xét lại theo quy định đã áp dụng trong hồ sơ trước.",
  watchBrand:
    "Dấu hiệu nghi vấn: người bán không thuộc danh sách phân phối chính thức của nhãn hiệu nhưng ghi “chính hãng”; Nghị định 98/2020/NĐ-CP về hàng giả, Luật Sở hữu trí tuệ về nhãn hiệu.",
} as const;
