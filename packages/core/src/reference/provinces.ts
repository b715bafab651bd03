import { z } from "zod";

/**
 * The 34 provincial-level units in force since 1 July 2025 (Nghị quyết 202/2025/QH15 of the National
 * Assembly). Codes are the two-digit administrative codes each unit kept after the merger.
 */
export interface Province {
  code: string;
  name: string;
  kind: "city" | "province";
}

export const PROVINCES: readonly Province[] = [
  { code: "01", name: "Thành phố Hà Nội", kind: "city" },
  { code: "04", name: "Cao Bằng", kind: "province" },
  { code: "08", name: "Tuyên Quang", kind: "province" },
  { code: "11", name: "Điện Biên", kind: "province" },
  { code: "12", name: "Lai Châu", kind: "province" },
  { code: "14", name: "Sơn La", kind: "province" },
  { code: "15", name: "Lào Cai", kind: "province" },
  { code: "19", name: "Thái Nguyên", kind: "province" },
  { code: "20", name: "Lạng Sơn", kind: "province" },
  { code: "22", name: "Quảng Ninh", kind: "province" },
  { code: "24", name: "Bắc Ninh", kind: "province" },
  { code: "25", name: "Phú Thọ", kind: "province" },
  { code: "31", name: "Thành phố Hải Phòng", kind: "city" },
  { code: "33", name: "Hưng Yên", kind: "province" },
  { code: "37", name: "Ninh Bình", kind: "province" },
  { code: "38", name: "Thanh Hóa", kind: "province" },
  { code: "40", name: "Nghệ An", kind: "province" },
  { code: "42", name: "Hà Tĩnh", kind: "province" },
  { code: "44", name: "Quảng Trị", kind: "province" },
  { code: "46", name: "Thành phố Huế", kind: "city" },
  { code: "48", name: "Thành phố Đà Nẵng", kind: "city" },
  { code: "51", name: "Quảng Ngãi", kind: "province" },
  { code: "52", name: "Gia Lai", kind: "province" },
  { code: "56", name: "Khánh Hòa", kind: "province" },
  { code: "66", name: "Đắk Lắk", kind: "province" },
  { code: "68", name: "Lâm Đồng", kind: "province" },
  { code: "75", name: "Đồng Nai", kind: "province" },
  { code: "79", name: "Thành phố Hồ Chí Minh", kind: "city" },
  { code: "80", name: "Tây Ninh", kind: "province" },
  { code: "82", name: "Đồng Tháp", kind: "province" },
  { code: "86", name: "Vĩnh Long", kind: "province" },
  { code: "91", name: "An Giang", kind: "province" },
  { code: "92", name: "Thành phố Cần Thơ", kind: "city" },
  { code: "96", name: "Cà Mau", kind: "province" },
];

const PROVINCE_CODES = new Set(PROVINCES.map((p) => p.code));

export const ProvinceCodeSchema = z.string().refine((code) => PROVINCE_CODES.has(code), {
  message: "Mã tỉnh/thành không hợp lệ (unknown province code)",
});

export function provinceByCode(code: string): Province | undefined {
  return PROVINCES.find((p) => p.code === code);
}
