/**
 * Deterministic synthetic data for the benchmarks: Vietnamese names, valid identifiers of every kind, and
 * the spread of obligated parties over signer groups and provinces. Seeded, so two runs load the same data.
 */
import { foldVietnamese, PROVINCES, type SignerGroup } from "@pledgewatch/core";

export type Random = () => number;

/** mulberry32: small, fast, good enough for spreading test data. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(random: Random, values: readonly T[]): T {
  const value = values[Math.floor(random() * values.length)];
  if (value === undefined) throw new Error("pick from an empty list");
  return value;
}

/** Picks a key by weight (weights need not sum to 1). */
export function weighted<K extends string>(random: Random, weights: Readonly<Record<K, number>>): K {
  const entries = Object.entries(weights) as [K, number][];
  const total = entries.reduce((sum, [, w]) => sum + w, 0);
  let r = random() * total;
  for (const [key, w] of entries) {
    r -= w;
    if (r < 0) return key;
  }
  const last = entries[entries.length - 1];
  if (!last) throw new Error("no weights");
  return last[0];
}

// ---------------------------------------------------------------------------------------------------
// Tax codes
// ---------------------------------------------------------------------------------------------------

const TAX_WEIGHTS = [31, 29, 23, 19, 17, 13, 7, 5, 3];

/**
 * Valid, distinct tax codes in increasing order from a nine-digit start: check digit 10 − (weighted sum
 * mod 11); nine digits whose check would be 10 have no code and are stepped over, as are those whose
 * digits 3–9 are all zero (never issued).
 */
export function taxCodeSequence(startNine: number): () => string {
  let n = startNine;
  return () => {
    for (;;) {
      const nine = String(n++).padStart(9, "0");
      if (nine.length > 9) throw new Error("tax code range exhausted");
      if (nine.slice(2) === "0000000") continue;
      let sum = 0;
      for (let i = 0; i < 9; i++) sum += Number(nine[i]) * (TAX_WEIGHTS[i] ?? 0);
      const check = 10 - (sum % 11);
      if (check <= 9) return `${nine}${check}`;
    }
  };
}

// ---------------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------------

/** Family names with their rough share of the population (Nguyễn about a third). */
const FAMILY: Readonly<Record<string, number>> = {
  Nguyễn: 31,
  Trần: 11,
  Lê: 9.5,
  Phạm: 7,
  Hoàng: 5,
  Huỳnh: 4,
  Phan: 4,
  Vũ: 4,
  Võ: 3.5,
  Đặng: 2,
  Bùi: 2,
  Đỗ: 1.5,
  Hồ: 1.5,
  Ngô: 1.5,
  Dương: 1,
  Đinh: 1,
  Trịnh: 1,
  Mai: 1,
  Lương: 1,
  Lý: 0.5,
};
const MIDDLE_MALE = ["Văn", "Văn", "Văn", "Minh", "Đức", "Quốc", "Hữu", "Thanh", "Hoàng", "Công", "Xuân"];
const MIDDLE_FEMALE = ["Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Minh", "Thùy", "Kim", "Hồng", "Phương"];
const GIVEN_MALE = [
  "An",
  "Bình",
  "Cường",
  "Dũng",
  "Đạt",
  "Hải",
  "Hiếu",
  "Hùng",
  "Huy",
  "Khánh",
  "Long",
  "Minh",
  "Nam",
  "Phong",
  "Quân",
  "Quang",
  "Sơn",
  "Tài",
  "Thành",
  "Thắng",
  "Trung",
  "Tuấn",
  "Việt",
  "Vinh",
];
const GIVEN_FEMALE = [
  "Anh",
  "Chi",
  "Dung",
  "Giang",
  "Hà",
  "Hạnh",
  "Hằng",
  "Hoa",
  "Hương",
  "Lan",
  "Linh",
  "Loan",
  "Mai",
  "Ngân",
  "Nhung",
  "Oanh",
  "Phương",
  "Quỳnh",
  "Tâm",
  "Thảo",
  "Trang",
  "Uyên",
  "Vân",
  "Yến",
];
const BRANDS = [
  "Minh Phát",
  "Hòa Bình",
  "Thành Công",
  "An Khang",
  "Phú Quý",
  "Tân Tiến",
  "Hưng Thịnh",
  "Việt Nhật",
  "Sao Mai",
  "Đại Dương",
  "Hoàng Gia",
  "Phương Nam",
  "Bình Minh",
  "Kim Long",
  "Trường An",
  "Ánh Dương",
  "Tràng An",
  "Cúc Phương",
  "Sen Vàng",
  "Đông Á",
];
const TRADES = [
  "Thương mại Điện tử",
  "Thương mại Dịch vụ",
  "Xuất nhập khẩu",
  "Công nghệ",
  "Mỹ phẩm",
  "Thời trang",
  "Thực phẩm Sạch",
  "Đồ gia dụng",
];

export function personName(random: Random): string {
  const family = weighted(random, FAMILY);
  const male = random() < 0.5;
  const middle = pick(random, male ? MIDDLE_MALE : MIDDLE_FEMALE);
  const given = pick(random, male ? GIVEN_MALE : GIVEN_FEMALE);
  return `${family} ${middle} ${given}`;
}

/** A seller on a platform: a company, or a household business or shop named after its owner. */
export function sellerName(random: Random): string {
  const r = random();
  if (r < 0.45) return `Công ty TNHH ${pick(random, TRADES)} ${pick(random, BRANDS)}`;
  if (r < 0.55) return `Công ty Cổ phần ${pick(random, TRADES)} ${pick(random, BRANDS)}`;
  if (r < 0.85) return `Hộ kinh doanh ${personName(random)}`;
  return `Cửa hàng ${pick(random, ["Mỹ phẩm", "Thời trang", "Điện thoại", "Đặc sản"])} ${personName(random)}`;
}

export function groupPartyName(random: Random, group: SignerGroup): string {
  switch (group) {
    case "ecommerce_platform":
      return sellerName(random);
    case "social_network":
      return `Công ty Cổ phần Mạng xã hội ${pick(random, BRANDS)}`;
    case "press":
      return random() < 0.6
        ? `Báo ${pick(random, ["Tin tức", "Đời sống", "Kinh tế", "Pháp luật"])} ${pick(random, BRANDS)}`
        : `Tạp chí ${pick(random, ["Sức khỏe", "Du lịch", "Tiêu dùng", "Văn hóa"])} ${pick(random, BRANDS)}`;
    case "news_site":
      return `Trang thông tin điện tử ${pick(random, BRANDS)}`;
    case "advertiser":
      return random() < 0.5
        ? `Công ty TNHH Quảng cáo ${pick(random, BRANDS)}`
        : `Công ty Cổ phần Truyền thông ${pick(random, BRANDS)}`;
    default:
      return personName(random);
  }
}

export function mobilePhone(random: Random): string {
  return `${pick(random, ["03", "05", "07", "08", "09"])}${String(Math.floor(random() * 1e8)).padStart(8, "0")}`;
}

/** A plausible mailbox for a name, made unique by a number. */
export function emailFor(name: string, n: number): string {
  const local = foldVietnamese(name).replace(/ /g, "").slice(0, 40);
  return `${local}.${n}@example.vn`;
}

// ---------------------------------------------------------------------------------------------------
// Spread over groups and provinces
// ---------------------------------------------------------------------------------------------------

/** Share of each signer group among registered parties (a guess at a province's mix). */
export const GROUP_WEIGHTS: Readonly<Record<SignerGroup, number>> = {
  ecommerce_platform: 8,
  social_network: 2,
  press: 2,
  news_site: 3,
  advertiser: 12,
  kol: 20,
  artist: 8,
  athlete: 6,
  culture_manager: 4,
  scientist: 5,
  doctor: 25,
  health_manager: 5,
};

/** Chance that a party of a group is national (registered in several provinces). About 2 % overall. */
export const NATIONAL_CHANCE: Readonly<Record<SignerGroup, number>> = {
  ecommerce_platform: 0.1,
  social_network: 0.3,
  press: 0.05,
  news_site: 0.05,
  advertiser: 0.03,
  kol: 0.02,
  artist: 0,
  athlete: 0,
  culture_manager: 0,
  scientist: 0,
  doctor: 0,
  health_manager: 0,
};

/** The demo province (Ninh Bình, 37) and Hồ Chí Minh City (79) are the large ones; Hà Nội next. */
export const PROVINCE_WEIGHTS: Readonly<Record<string, number>> = Object.fromEntries(
  PROVINCES.map((p) => [p.code, p.code === "37" ? 18 : p.code === "79" ? 17 : p.code === "01" ? 8 : 0]),
);
const OTHER_PROVINCES = PROVINCES.map((p) => p.code).filter((code) => !PROVINCE_WEIGHTS[code]);
const OTHER_SHARE = 100 - Object.values(PROVINCE_WEIGHTS).reduce((a, b) => a + b, 0);
// The remaining 57 % over the other 31 provinces, uneven (0.5× to 1.5× of an equal share).
for (const [i, code] of OTHER_PROVINCES.entries()) {
  (PROVINCE_WEIGHTS as Record<string, number>)[code] =
    (OTHER_SHARE / OTHER_PROVINCES.length) * (0.5 + i / (OTHER_PROVINCES.length - 1));
}

/** A national party's provinces: its home province plus 2 to 33 others, fewer more often. */
export function nationalProvinces(random: Random, home: string): string[] {
  const others = PROVINCES.map((p) => p.code).filter((c) => c !== home);
  for (let i = others.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const a = others[i];
    const b = others[j];
    if (a === undefined || b === undefined) continue;
    others[i] = b;
    others[j] = a;
  }
  const count = 2 + Math.floor(random() ** 2 * (others.length - 1));
  return [home, ...others.slice(0, count)];
}

/** Short issuer codes for practising certificates and reference codes, by province. */
export function provinceAbbreviation(code: string): string {
  if (code === "37") return "NBI";
  if (code === "79") return "HCM";
  if (code === "01") return "HNO";
  return `T${code}`.replace(/\d/g, (d) => "ABCDEFGHIK"[Number(d)] ?? "X");
}
