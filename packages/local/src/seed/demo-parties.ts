import type { SignerGroup } from "@pledgewatch/core";
import { DEMO_PROVINCE } from "./demo-staff";

/**
 * A few hundred obligated parties across every signer group, generated deterministically so that a
 * re-run produces the same records (and the seed stays idempotent). Names are invented; national
 * platforms are real brand names because staff recognise them, and they operate in several provinces.
 */
const NATIONAL_PLATFORMS: [string, SignerGroup][] = [
  ["Công ty TNHH Shopee", "ecommerce_platform"],
  ["Công ty TNHH Recess (Lazada Việt Nam)", "ecommerce_platform"],
  ["Công ty Cổ phần Ti Ki", "ecommerce_platform"],
  ["Công ty Cổ phần Công nghệ Sen Đỏ (Sendo)", "ecommerce_platform"],
  ["Công ty TNHH Chợ Tốt", "ecommerce_platform"],
  ["TikTok Shop Việt Nam", "ecommerce_platform"],
  ["Facebook (Meta Platforms)", "social_network"],
  ["Zalo (Công ty Cổ phần VNG)", "social_network"],
  ["TikTok Việt Nam", "social_network"],
  ["YouTube (Google Asia Pacific)", "social_network"],
];

const NATIONAL_PROVINCES = ["01", "31", "37", "48", "79", "82", "91", "92"];

const FAMILY_NAMES = [
  "Nguyễn",
  "Trần",
  "Lê",
  "Phạm",
  "Hoàng",
  "Huỳnh",
  "Phan",
  "Vũ",
  "Võ",
  "Đặng",
  "Bùi",
  "Đỗ",
  "Hồ",
  "Ngô",
  "Dương",
  "Lý",
];
const MIDDLE_NAMES = [
  "Văn",
  "Thị",
  "Minh",
  "Ngọc",
  "Thanh",
  "Đức",
  "Thu",
  "Quốc",
  "Hải",
  "Bảo",
  "Gia",
  "Khánh",
];
const GIVEN_NAMES = [
  "An",
  "Bình",
  "Châu",
  "Dũng",
  "Giang",
  "Hà",
  "Hạnh",
  "Hiếu",
  "Hòa",
  "Huy",
  "Khoa",
  "Linh",
  "Long",
  "Mai",
  "Nam",
  "Nga",
  "Phúc",
  "Quân",
  "Sơn",
  "Tâm",
  "Thảo",
  "Trang",
  "Tuấn",
  "Uyên",
  "Việt",
  "Yến",
];
const PLACES = [
  "Hoa Lư",
  "Tam Điệp",
  "Kim Sơn",
  "Nho Quan",
  "Yên Khánh",
  "Gia Viễn",
  "Phủ Lý",
  "Nam Định",
  "Tràng An",
  "Cúc Phương",
];

const TEMPLATES: Record<
  Exclude<SignerGroup, "ecommerce_platform" | "social_network">,
  (i: number) => string
> = {
  press: (i) => `Báo ${PLACES[i % PLACES.length]} ${["Điện tử", "Ngày nay", "Đời sống", "Thời sự"][i % 4]}`,
  news_site: (i) =>
    `Trang tin điện tử tổng hợp ${PLACES[i % PLACES.length]}${i >= PLACES.length ? ` ${i}` : ""}.vn`,
  advertiser: (i) =>
    `Công ty TNHH Quảng cáo ${["Ánh Dương", "Sao Việt", "Mặt Trời", "Tầm Nhìn", "Bình Minh"][i % 5]} ${PLACES[i % PLACES.length]}`,
  kol: (i) => `${person(i)} (KOL)`,
  artist: (i) => `Nghệ sĩ ${person(i + 7)}`,
  athlete: (i) => `VĐV ${person(i + 13)}`,
  culture_manager: (i) => `${person(i + 19)} – Trung tâm Văn hóa ${PLACES[i % PLACES.length]}`,
  scientist: (i) => `PGS.TS. ${person(i + 23)}`,
  doctor: (i) =>
    `BS. ${person(i + 29)} – Bệnh viện ${["Đa khoa tỉnh", "Sản Nhi", "Y học cổ truyền", "Mắt"][i % 4]} ${PLACES[i % PLACES.length]}`,
  health_manager: (i) => `${person(i + 31)} – Trung tâm Y tế ${PLACES[i % PLACES.length]}`,
};

const COUNTS: Record<keyof typeof TEMPLATES, number> = {
  press: 18,
  news_site: 22,
  advertiser: 25,
  kol: 45,
  artist: 20,
  athlete: 15,
  culture_manager: 15,
  scientist: 20,
  doctor: 60,
  health_manager: 20,
};

function person(i: number): string {
  const family = FAMILY_NAMES[i % FAMILY_NAMES.length];
  const middle = MIDDLE_NAMES[(i * 7) % MIDDLE_NAMES.length];
  const given = GIVEN_NAMES[(i * 11) % GIVEN_NAMES.length];
  return `${family} ${middle} ${given}`;
}

/** A valid-looking tax code: nine digits from the seed plus the check digit (weights 31…3, mod 11). */
function taxCode(seed: number): string {
  const weights = [31, 29, 23, 19, 17, 13, 7, 5, 3];
  for (let n = seed; ; n++) {
    const nine = String((n * 7919) % 1_000_000_000).padStart(9, "0");
    const sum = [...nine].reduce((acc, d, i) => acc + Number(d) * (weights[i] ?? 0), 0);
    const check = 10 - (sum % 11);
    // A computed 10 has no valid check digit: such nine digits are never issued.
    if (check <= 9 && nine.slice(2) !== "0000000") return `${nine}${check}`;
  }
}

const slug = (name: string) =>
  name
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .replace(/đ/gi, "d")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "");

/** The identifier each group is registered by (see REQUIRED_IDENTIFIER), generated for the demo. */
function identifiersFor(group: SignerGroup, i: number, name: string): Record<string, unknown> {
  switch (group) {
    case "ecommerce_platform":
    case "social_network":
    case "advertiser":
      // Seeds far apart: taxCode() may step past a seed whose check digit does not exist.
      return { taxCode: taxCode(10_000 + group.length * 1_000 + i * 13) };
    case "press":
      return { pressLicence: `${100 + i}/GP-BTTTT` };
    case "news_site":
      return { pressLicence: `${500 + i}/GP-STTTT` };
    case "doctor":
      return { practisingCertificate: `${String(1200 + i).padStart(6, "0")}/NBI-CCHN` };
    case "kol":
      return { profiles: [`https://tiktok.com/@${slug(name)}${i}`] };
    default:
      return { refCode: `NB-${group.slice(0, 3).toUpperCase()}-${String(i + 1).padStart(3, "0")}` };
  }
}

export interface DemoParty {
  /** Stable id so re-seeding finds the same record. */
  key: string;
  /** Raw input, validated by the same schema as the console and the import. */
  input: Record<string, unknown>;
}

export function demoParties(): DemoParty[] {
  const parties: DemoParty[] = NATIONAL_PLATFORMS.map(([name, group], i) => ({
    key: `platform-${i}`,
    input: {
      name,
      group,
      provinces: NATIONAL_PROVINCES,
      obligatedFrom: "2026-01-01",
      ...identifiersFor(group, i, name),
      contacts: [{ name: "Bộ phận pháp chế", email: `phapche${i}@example.vn` }],
    },
  }));
  for (const [group, count] of Object.entries(COUNTS) as [keyof typeof TEMPLATES, number][]) {
    for (let i = 0; i < count; i++) {
      // Most parties are in the demo province; every fifth elsewhere, so province scoping is visible.
      const province = i % 5 === 4 ? (["01", "79", "82"][i % 3] ?? DEMO_PROVINCE) : DEMO_PROVINCE;
      const name = TEMPLATES[group](i);
      parties.push({
        key: `${group}-${i}`,
        input: {
          name,
          group,
          provinces: [province],
          obligatedFrom: i % 9 === 0 ? "2026-04-01" : "2026-01-01",
          ...identifiersFor(group, i, name),
          // Every demo party can be invited: invitations go to a registered e-mail.
          contacts: [{ name, email: `${slug(name).slice(0, 24)}.${group.replace(/_/g, "")}${i}@example.vn` }],
        },
      });
    }
  }
  return parties;
}
