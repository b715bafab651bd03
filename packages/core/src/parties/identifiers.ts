import { z } from "zod";
import { nfc } from "../text/fold";

/**
 * Validation and normalisation of the identifiers an obligated party is registered under.
 *
 * Every function takes what a clerk typed or an import cell held, and returns either the canonical form
 * (the one stored and used as a deduplication key, see `identifierKeys`) or a short Vietnamese sentence
 * shown next to the row and column at fault. Nothing here throws on bad input, so an import can collect
 * every error of a file in one pass.
 */
export type Normalised<T> = { ok: true; value: T } | { ok: false; error: string };

const ok = <T>(value: T): Normalised<T> => ({ ok: true, value });
const fail = <T>(error: string): Normalised<T> => ({ ok: false, error });

/**
 * Common first step: callers from untyped sources (spreadsheet cells, JSON) may hand over a number or
 * null despite the signature; those become an empty string, reported as "not entered" rather than a crash.
 * Typographic dashes (Word and Excel turn "-" into "–") become ASCII hyphens because every format below
 * uses the hyphen as a separator.
 */
function prepare(input: unknown): string {
  if (typeof input !== "string") return "";
  return nfc(input).replace(/[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/g, "-");
}

// ---------------------------------------------------------------------------------------------------
// Mã số thuế (tax code)
// ---------------------------------------------------------------------------------------------------

/**
 * Structure (Thông tư 105/2020/TT-BTC, Điều 5): N1N2 province of issue, N3–N9 a sequence number
 * (0000001–9999999), N10 a check digit, and for a dependent unit/branch N11–N13 a sequence 001–999,
 * written after a hyphen. The circular does not print the check digit algorithm; this is the one in
 * common use (e.g. python-stdnum `stdnum.vn.mst`): weights below on N1–N9, check = 10 − (sum mod 11). A
 * result of 10 has no single digit, so no code is issued with those nine digits. Confirmed against
 * published codes (Shopee Việt Nam 0106773786, Tiki 0309532909, VNG 0303490096, Vietcombank 0100112437,
 * see the tests) rather than taken on trust.
 *
 * Since 1 July 2025 individuals and household businesses use their 12-digit personal identification number
 * as tax code (Thông tư 86/2024/TT-BTC). This field keeps to the 10/13-digit codes of organisations and
 * pre-2025 individual codes, and says so when given 12 digits instead of calling them merely too long.
 */
const TAX_CODE_WEIGHTS = [31, 29, 23, 19, 17, 13, 7, 5, 3] as const;

/** The check digit for the first nine digits, or null when none exists (sum mod 11 = 0). */
function taxCheckDigit(nineDigits: string): number | null {
  let sum = 0;
  TAX_CODE_WEIGHTS.forEach((weight, i) => {
    sum += weight * Number(nineDigits[i]);
  });
  const check = 10 - (sum % 11);
  return check === 10 ? null : check;
}

const TAX = {
  empty: "Chưa nhập mã số thuế",
  characters: "Mã số thuế chỉ gồm chữ số (được có dấu cách, dấu chấm, dấu gạch ngang)",
  length: "Mã số thuế phải có 10 hoặc 13 chữ số",
  lostZero: "Mã số thuế phải có 10 chữ số; có thể đã mất số 0 ở đầu (thường do Excel)",
  personalId: "Mã số thuế phải có 10 hoặc 13 chữ số; số có 12 chữ số là số định danh cá nhân",
  hyphen: "Dấu gạch ngang chỉ đặt giữa 10 số đầu và 3 số đuôi của đơn vị phụ thuộc",
  sequence: "Mã số thuế không hợp lệ: 7 chữ số thứ tự không thể đều là 0",
  checkDigit: "Mã số thuế sai số kiểm tra",
  suffix: "3 số đuôi của mã số thuế đơn vị phụ thuộc phải từ 001 đến 999",
} as const;

/**
 * "0101243150", "0101 243 150", "01.01.243.150", "0101243150-001", "0101243150001" → "0101243150" or
 * "0101243150-001".
 */
export function normalizeTaxCode(input: string): Normalised<string> {
  const s = prepare(input);
  if (s === "") return fail(TAX.empty);
  if (/[^\d .-]/.test(s)) return fail(TAX.characters);
  const digits = s.replace(/\D/g, "");
  if (digits.length !== 10 && digits.length !== 13) {
    if (digits.length === 9 && taxCheckDigit(`0${digits}`) === Number(digits[8])) return fail(TAX.lostZero);
    if (digits.length === 12) return fail(TAX.personalId);
    return fail(TAX.length);
  }
  const parts = s.split("-");
  if (parts.length > 2) return fail(TAX.hyphen);
  if (parts.length === 2 && (parts[0]?.replace(/\D/g, "").length !== 10 || digits.length !== 13)) {
    return fail(TAX.hyphen);
  }
  const base = digits.slice(0, 10);
  const suffix = digits.slice(10);
  if (base.slice(2, 9) === "0000000") return fail(TAX.sequence);
  if (taxCheckDigit(base) !== Number(base[9])) return fail(TAX.checkDigit);
  if (suffix === "000") return fail(TAX.suffix);
  return ok(suffix === "" ? base : `${base}-${suffix}`);
}

// ---------------------------------------------------------------------------------------------------
// Số điện thoại (phone)
// ---------------------------------------------------------------------------------------------------

/**
 * Vietnam's numbering plan (Quy hoạch kho số viễn thông, Thông tư 22/2014/TT-BTTTT and amendments) after
 * the 2017 landline area-code change and the 2018 move of 11-digit mobiles to 10 digits: every number is a
 * trunk "0" plus a 9-digit mobile number starting 3, 5, 7, 8 or 9, or a 10-digit landline number starting 2
 * (area code 2x or 2xx, then the subscriber number). Operator ranges inside those prefixes change too often
 * to hard-code.
 */
const MOBILE_FIRST_DIGIT = /^[35789]/;

const PHONE = {
  empty: "Chưa nhập số điện thoại",
  letters: "Số điện thoại không được chứa chữ cái",
  characters: "Số điện thoại chỉ gồm chữ số (được có dấu cách, dấu chấm, gạch ngang, ngoặc đơn, dấu + ở đầu)",
  foreign: "Chỉ chấp nhận số điện thoại Việt Nam (mã quốc gia +84)",
  lostZero: "Số điện thoại thiếu số 0 ở đầu (thường do Excel)",
  mobileLength: "Số di động phải có 10 chữ số, kể cả số 0 ở đầu",
  landlineLength: "Số cố định phải có 11 chữ số, kể cả số 0 ở đầu (ví dụ 024 3825 1234)",
  oldMobile: "Đầu số 01 là đầu số di động cũ, đã đổi sang 10 số từ năm 2018",
  prefix: "Đầu số không hợp lệ: di động bắt đầu bằng 03, 05, 07, 08, 09; cố định bắt đầu bằng 02",
} as const;

/**
 * "0912 345 678", "091.234.5678", "(+84) 912-345-678", "84912345678", "+84 (0) 912 345 678",
 * "024 3825 1234" → E.164 "+84912345678", "+842438251234".
 */
export function normalizePhoneVN(input: string): Normalised<string> {
  const s = prepare(input);
  if (s === "") return fail(PHONE.empty);
  if (/\p{L}/u.test(s)) return fail(PHONE.letters);
  const compact = s.replace(/[\s.()-]/g, "");
  if (!/^\+?\d+$/.test(compact)) return fail(PHONE.characters);

  let national: string;
  if (compact.startsWith("0") && !compact.startsWith("0084")) {
    national = compact.slice(1);
  } else {
    if (compact.startsWith("+")) {
      if (!compact.startsWith("+84")) return fail(PHONE.foreign);
      national = compact.slice(3);
    } else if (compact.startsWith("0084")) {
      national = compact.slice(4);
    } else if (compact.startsWith("84") && compact.length >= 11) {
      // Without "+", "84…" is the country code only when too long for a national number: a 9-digit "84…"
      // is an 084 mobile that lost its leading zero.
      national = compact.slice(2);
    } else {
      const lostZero =
        (compact.length === 9 && MOBILE_FIRST_DIGIT.test(compact)) ||
        (compact.length === 10 && compact.startsWith("2"));
      return fail(lostZero ? PHONE.lostZero : PHONE.prefix);
    }
    // "+84 (0) 912…" and "+840912…": the trunk zero written after the country code is common and
    // unambiguous, since no national number starts with 0.
    if (national.startsWith("0")) national = national.slice(1);
  }

  if (MOBILE_FIRST_DIGIT.test(national)) {
    return national.length === 9 ? ok(`+84${national}`) : fail(PHONE.mobileLength);
  }
  if (national.startsWith("2")) {
    return national.length === 10 ? ok(`+84${national}`) : fail(PHONE.landlineLength);
  }
  if (national.startsWith("1") && national.length === 10) return fail(PHONE.oldMobile);
  return fail(PHONE.prefix);
}

// ---------------------------------------------------------------------------------------------------
// Email
// ---------------------------------------------------------------------------------------------------

const EMAIL = {
  empty: "Chưa nhập email",
  spaces: "Email không được chứa dấu cách",
  at: "Email phải có đúng một ký tự @",
  parts: "Email phải có phần tên trước @ và tên miền sau @",
  tooLong: "Email dài quá 254 ký tự",
  localTooLong: "Phần trước @ của email dài quá 64 ký tự",
  local: "Phần trước @ của email có ký tự không hợp lệ (chỉ dùng chữ không dấu, số và . _ - +)",
  noDot: "Tên miền của email phải có dấu chấm, ví dụ congty.vn",
  domain: "Tên miền của email không hợp lệ",
} as const;

/** RFC 5322 "atext" plus dots; quoted local parts and non-ASCII mailboxes are not accepted here. */
const EMAIL_LOCAL = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Trimmed and lowercased as a whole, local part included. RFC 5321 lets a server treat the local part as
 * case-sensitive, but the mail services in practical use ignore case, and the registry uses the address to
 * spot duplicates: "Phap.Che@Shopee.vn" and "phap.che@shopee.vn" are one contact. Limits: 254 characters in
 * all and 64 before "@" (RFC 5321 §4.5.3.1, with RFC 3696 errata 1690). A leading "mailto:" from a
 * copied link is dropped.
 */
export function normalizeEmail(input: string): Normalised<string> {
  const s = prepare(input)
    .replace(/^mailto:/i, "")
    .toLowerCase();
  if (s === "") return fail(EMAIL.empty);
  if (/\s/.test(s)) return fail(EMAIL.spaces);
  const parts = s.split("@");
  if (parts.length !== 2) return fail(EMAIL.at);
  const [local = "", domain = ""] = parts;
  if (local === "" || domain === "") return fail(EMAIL.parts);
  if (s.length > 254) return fail(EMAIL.tooLong);
  if (local.length > 64) return fail(EMAIL.localTooLong);
  if (!EMAIL_LOCAL.test(local)) return fail(EMAIL.local);
  if (!domain.includes(".")) return fail(EMAIL.noDot);
  const labels = domain.split(".");
  const tld = labels[labels.length - 1] ?? "";
  if (!labels.every((label) => DOMAIN_LABEL.test(label)) || !/^(?:[a-z]{2,63}|xn--[a-z0-9-]+)$/.test(tld)) {
    return fail(EMAIL.domain);
  }
  return ok(s);
}

// ---------------------------------------------------------------------------------------------------
// Giấy phép báo chí / trang thông tin điện tử (press and website licence)
// ---------------------------------------------------------------------------------------------------

/**
 * "Giấy phép số 123/GP-BTTTT", "Số: 123/GP-BTTTT", "số 12 / GP - STTTT": leading words ending in "số"
 * (with or without diacritics) are dropped; the number must follow.
 */
const LEADING_SO = /^(?:[\p{L}\s]*\s)?(?:SỐ|SO)\s*[:.]?\s*(?=\d)/u;
/** "…, cấp ngày 01/02/2020", "… ngày 1/2/2020", "… do Sở TTTT Hà Nội cấp": dropped, not part of the number. */
const TRAILING_CLAUSE = /(?:\s*[,;(]\s*|\s+)(?:(?:CẤP|CAP)\s+)?(?:NGÀY|NGAY|DO)(?:\s.*)?$/u;

function licenceCore(input: string): string {
  return prepare(input)
    .toUpperCase()
    .replace(LEADING_SO, "")
    .replace(TRAILING_CLAUSE, "")
    .replace(/\s+/g, "");
}

/**
 * Press licences (Luật Báo chí 2016) and licences for general news websites and social networks
 * (Nghị định 72/2013/NĐ-CP, now Nghị định 147/2024/NĐ-CP) are printed as "<number>/GP-<issuer>": BTTTT
 * (Bộ Thông tin và Truyền thông), BVHTTDL (Bộ Văn hoá, Thể thao và Du lịch, which took over press
 * management in 2025), STTTT (a provincial department), TTĐT (general news websites), and hyphen-separated
 * variants. No legal text fixes the issuer abbreviations, so any letters are accepted. Issuer codes are
 * kept as written: "TTDT" typed without "Đ" is not rewritten to "TTĐT".
 */
const PRESS_LICENCE = /^(\d{1,6})\/GP-([A-ZĐ]+(?:-[A-ZĐ]+)*)$/u;

const PRESS = {
  empty: "Chưa nhập số giấy phép",
  format: "Số giấy phép phải có dạng số/GP-cơ quan cấp, ví dụ 123/GP-BTTTT",
} as const;

/** "Số 123/GP-BTTTT ngày 01/02/2020" → "123/GP-BTTTT"; "33/gp-ttđt" → "33/GP-TTĐT". */
export function normalizePressLicence(input: string): Normalised<string> {
  const core = licenceCore(input);
  if (core === "") return fail(PRESS.empty);
  return PRESS_LICENCE.test(core) ? ok(core) : fail(PRESS.format);
}

// ---------------------------------------------------------------------------------------------------
// Chứng chỉ hành nghề / giấy phép hành nghề khám bệnh, chữa bệnh (medical practising certificate)
// ---------------------------------------------------------------------------------------------------

/**
 * Printed as "<number>/<issuer>-CCHN" on practising certificates issued under Luật Khám bệnh, chữa bệnh
 * 2009 and "<number>/<issuer>-GPHN" on practising licences under Luật Khám bệnh, chữa bệnh 15/2023/QH15
 * (Nghị định 96/2023/NĐ-CP). The issuer is the Ministry (BYT) or a province abbreviation (HNO, HCM, ĐNA…).
 * Leading zeros are part of the printed number and kept.
 */
const PRACTISING_CERTIFICATE = /^(\d{1,8})\/([A-ZĐ]{2,8})-(CCHN|GPHN)$/u;
const CERTIFICATE_WRONG_KIND = /^\d{1,8}\/[A-ZĐ]{2,8}-[A-ZĐ]+$/u;

const CERTIFICATE = {
  empty: "Chưa nhập số chứng chỉ hành nghề",
  kind: "Số chứng chỉ hành nghề phải kết thúc bằng -CCHN hoặc -GPHN",
  format: "Số chứng chỉ hành nghề phải có dạng số/nơi cấp-CCHN, ví dụ 000123/HNO-CCHN",
} as const;

/** "Số 000123 / HNO - CCHN" → "000123/HNO-CCHN"; "1234/hcm-gphn" → "1234/HCM-GPHN". */
export function normalizePractisingCertificate(input: string): Normalised<string> {
  const core = licenceCore(input);
  if (core === "") return fail(CERTIFICATE.empty);
  if (PRACTISING_CERTIFICATE.test(core)) return ok(core);
  return fail(CERTIFICATE_WRONG_KIND.test(core) ? CERTIFICATE.kind : CERTIFICATE.format);
}

// ---------------------------------------------------------------------------------------------------
// Trang mạng xã hội (social profile)
// ---------------------------------------------------------------------------------------------------

export type SocialNetwork = "facebook" | "tiktok" | "youtube" | "instagram" | "x" | "zalo" | "threads";

export interface SocialProfile {
  network: SocialNetwork;
  /** The account's identifier on its network, without "@": username, numeric id or channel id. */
  handle: string;
  /** The one canonical URL of the profile, used as its deduplication key. */
  url: string;
}

const NETWORK_LABEL: Record<SocialNetwork, string> = {
  facebook: "Facebook",
  tiktok: "TikTok",
  youtube: "YouTube",
  instagram: "Instagram",
  x: "X (Twitter)",
  zalo: "Zalo",
  threads: "Threads",
};

const SOCIAL = {
  empty: "Chưa nhập trang mạng xã hội",
  bare: "Cần liên kết đầy đủ tới trang cá nhân, ví dụ tiktok.com/@ten_tai_khoan",
  url: "Liên kết không hợp lệ",
  scheme: "Chỉ chấp nhận liên kết http hoặc https",
  credentials: "Liên kết không được chứa tên đăng nhập hoặc mật khẩu",
  host: "Chỉ chấp nhận trang Facebook, TikTok, YouTube, Instagram, X (Twitter), Zalo hoặc Threads",
  post: "Đây là liên kết bài viết hoặc video, không phải trang cá nhân",
  short:
    "Liên kết rút gọn hoặc liên kết chia sẻ không cho biết trang cá nhân; hãy dán liên kết trang cá nhân",
  missing: "Liên kết chưa có tên trang cá nhân",
  notProfile: "Liên kết này không trỏ tới trang cá nhân",
  handle: (network: SocialNetwork) => `Tên tài khoản ${NETWORK_LABEL[network]} không hợp lệ`,
  otherNetwork: (found: SocialNetwork, expected: SocialNetwork) =>
    `Liên kết này là trang ${NETWORK_LABEL[found]}, không phải ${NETWORK_LABEL[expected]}`,
} as const;

/**
 * Hosts after dropping "www.", "m.", "mobile.", "web.", "mbasic." and Facebook's "vi-vn." locale prefixes.
 * A Map, not an object literal, so that a host named "constructor" or "__proto__" is simply unknown.
 */
const NETWORK_HOSTS = new Map<string, SocialNetwork>([
  ["facebook.com", "facebook"],
  ["fb.com", "facebook"],
  ["tiktok.com", "tiktok"],
  ["youtube.com", "youtube"],
  ["instagram.com", "instagram"],
  ["x.com", "x"],
  ["twitter.com", "x"],
  ["zalo.me", "zalo"],
  ["threads.com", "threads"],
  ["threads.net", "threads"],
]);
/** Hosts that only serve redirects to a post or a share target, which cannot be resolved offline. */
const SHORT_LINK_HOSTS = new Set(["vm.tiktok.com", "vt.tiktok.com", "fb.me", "on.fb.me"]);
const POST_HOSTS = new Set(["youtu.be", "fb.watch"]);
const HOST_PREFIX = /^(?:www|m|mobile|web|mbasic|touch|[a-z]{2}-[a-z]{2})\./;

/**
 * Canonical URL roots. Threads moved its primary domain from threads.net to threads.com in 2025 and
 * redirects the old one, so the current domain is the canonical one.
 */
const CANONICAL_ORIGIN: Record<SocialNetwork, string> = {
  facebook: "https://facebook.com",
  tiktok: "https://tiktok.com",
  youtube: "https://youtube.com",
  instagram: "https://instagram.com",
  x: "https://x.com",
  zalo: "https://zalo.me",
  threads: "https://threads.com",
};

/** Handle rules as each network publishes them; all but Zalo and YouTube channel ids ignore case. */
const HANDLE: Record<Exclude<SocialNetwork, "youtube">, RegExp> = {
  // Letters, digits and periods; a name of digits only is a numeric profile id instead.
  facebook: /^(?=.*[a-z])[a-z0-9.]{1,50}$/,
  tiktok: /^[a-z0-9._]{2,24}$/,
  instagram: /^[a-z0-9._]{1,30}$/,
  // Threads accounts are Instagram accounts.
  threads: /^[a-z0-9._]{1,30}$/,
  x: /^[a-z0-9_]{1,15}$/,
  zalo: /^[A-Za-z0-9._-]{1,64}$/,
};
/** YouTube handles may use letters of any script, Vietnamese included, plus digits, "_", "-", ".". */
const YOUTUBE_HANDLE = /^[\p{L}\p{M}\p{N}._-]{3,30}$/u;
const YOUTUBE_CUSTOM_NAME = /^[\p{L}\p{M}\p{N}._-]{1,100}$/u;
const YOUTUBE_CHANNEL_ID = /^UC[A-Za-z0-9_-]{22}$/;
const NUMERIC_ID = /^\d{1,20}$/;
/** Facebook's legacy page address without a username: "Ten-Trang-123456789012345". */
const FACEBOOK_SLUG_WITH_ID = /^[^/]*-(\d{6,20})$/u;

/** A tab of a profile page ("/about", "/videos", "/with_replies"): the URL still identifies the profile. */
const TAB = /^[a-z][a-z_]*$/;

type Resolved = Normalised<SocialProfile>;

function profile(network: SocialNetwork, handle: string, path: string): Resolved {
  return ok({ network, handle, url: `${CANONICAL_ORIGIN[network]}${path}` });
}

/**
 * What the segments after the account name make of the link: nothing or a single tab keeps it a profile;
 * one of the network's post words followed by an id makes it a post; anything else is some other page.
 */
function afterAccount(rest: string[], postWords: ReadonlySet<string>): "profile" | "post" | "other" {
  const [first, second] = rest;
  if (first === undefined) return "profile";
  if (postWords.has(first) && second !== undefined) return "post";
  if (rest.length === 1 && TAB.test(first)) return "profile";
  return "other";
}

function withTail(rest: string[], postWords: ReadonlySet<string>, resolved: () => Resolved): Resolved {
  const kind = afterAccount(rest, postWords);
  if (kind === "post") return fail(SOCIAL.post);
  if (kind === "other") return fail(SOCIAL.notProfile);
  return resolved();
}

function byHandle(
  network: Exclude<SocialNetwork, "youtube">,
  raw: string,
  path: (h: string) => string,
): Resolved {
  const handle = network === "zalo" ? raw : raw.toLowerCase();
  if (!HANDLE[network].test(handle)) return fail(SOCIAL.handle(network));
  return profile(network, handle, path(handle));
}

const FACEBOOK_POST_FIRST = new Set([
  "watch",
  "reel",
  "reels",
  "story.php",
  "permalink.php",
  "photo.php",
  "photo",
  "video.php",
  "posts",
  "stories",
]);
const FACEBOOK_NOT_PROFILE = new Set([
  "groups",
  "events",
  "hashtag",
  "marketplace",
  "gaming",
  "login",
  "login.php",
  "home.php",
  "search",
  "help",
  "policies",
  "privacy",
  "settings",
  "notifications",
  "messages",
  "friends",
  "bookmarks",
  "ads",
  "business",
  "sharer",
  "sharer.php",
  "dialog",
  "plugins",
  "l.php",
  "media",
  "fundraisers",
]);
const FACEBOOK_POST_WORDS = new Set([
  "posts",
  "videos",
  "photos",
  "photo",
  "reel",
  "reels",
  "permalink",
  "story",
]);

function facebookId(id: string): Resolved {
  return NUMERIC_ID.test(id)
    ? profile("facebook", id, `/profile.php?id=${id}`)
    : fail(SOCIAL.handle("facebook"));
}

/**
 * facebook.com/<username>, /profile.php?id=<n>, /<n>, /people/<name>/<n> (pages without a username) and
 * the legacy /<Page-Name-n> and /pg/<username>. Numeric ids always become profile.php?id=<n>, the one form
 * Facebook resolves for people and pages alike.
 */
function facebook(url: URL, segments: string[]): Resolved {
  const [first, ...rest] = segments;
  if (first === undefined) return fail(SOCIAL.missing);
  const lower = first.toLowerCase();
  if (lower === "profile.php") {
    const id = url.searchParams.get("id");
    return id ? facebookId(id) : fail(SOCIAL.missing);
  }
  if (lower === "people") {
    const id = rest[1];
    return id === undefined ? fail(SOCIAL.missing) : facebookId(id);
  }
  if (lower === "share") return fail(["p", "v", "r"].includes(rest[0] ?? "") ? SOCIAL.post : SOCIAL.short);
  if (lower === "pg") return rest[0] === undefined ? fail(SOCIAL.missing) : facebook(url, rest);
  if (FACEBOOK_POST_FIRST.has(lower)) return fail(SOCIAL.post);
  if (FACEBOOK_NOT_PROFILE.has(lower)) return fail(SOCIAL.notProfile);
  return withTail(rest, FACEBOOK_POST_WORDS, () => {
    if (NUMERIC_ID.test(first)) return facebookId(first);
    const slug = FACEBOOK_SLUG_WITH_ID.exec(first);
    if (slug?.[1]) return facebookId(slug[1]);
    return byHandle("facebook", first, (h) => `/${h}`);
  });
}

const TIKTOK_POST_FIRST = new Set(["video", "v", "embed", "photo"]);
const TIKTOK_POST_WORDS = new Set(["video", "photo"]);

/** tiktok.com/@<handle>; TikTok has no profile address without "@". */
function tiktok(segments: string[]): Resolved {
  const [first, ...rest] = segments;
  if (first === undefined) return fail(SOCIAL.missing);
  if (first === "t") return fail(SOCIAL.short);
  if (TIKTOK_POST_FIRST.has(first)) return fail(SOCIAL.post);
  if (!first.startsWith("@")) return fail(SOCIAL.notProfile);
  // A TikTok profile has no tabs in its address: "/@h/live" and the like are other pages.
  if (rest.length > 0) return fail(TIKTOK_POST_WORDS.has(rest[0] ?? "") ? SOCIAL.post : SOCIAL.notProfile);
  return byHandle("tiktok", first.slice(1), (h) => `/@${h}`);
}

const YOUTUBE_POST_FIRST = new Set(["watch", "shorts", "live", "embed", "v", "playlist", "clip", "post"]);
const YOUTUBE_POST_WORDS = new Set(["post", "community", "shorts", "live"]);
const YOUTUBE_NOT_PROFILE = new Set([
  "results",
  "feed",
  "hashtag",
  "gaming",
  "premium",
  "account",
  "about",
  "t",
  "howyoutubeworks",
  "redirect",
  "attribution_link",
  "signin",
  "logout",
  "upload",
  "channels",
  "source",
  "music",
  "kids",
]);

/**
 * youtube.com/@<handle>, /channel/<UC…id>, /c/<custom name>, /user/<legacy name>, and /<custom name>,
 * which YouTube documents as the same custom URL as /c/<custom name> and is stored in that form.
 */
function youtube(segments: string[]): Resolved {
  const [first, ...rest] = segments;
  if (first === undefined) return fail(SOCIAL.missing);
  const lower = first.toLowerCase();
  if (YOUTUBE_POST_FIRST.has(lower)) return fail(SOCIAL.post);
  if (first.startsWith("@")) {
    return withTail(rest, YOUTUBE_POST_WORDS, () => {
      const handle = first.slice(1).toLowerCase();
      if (!YOUTUBE_HANDLE.test(handle)) return fail(SOCIAL.handle("youtube"));
      return profile("youtube", handle, `/@${encodeURIComponent(handle)}`);
    });
  }
  if (lower === "channel" || lower === "c" || lower === "user") {
    const [name, ...tail] = rest;
    if (name === undefined) return fail(SOCIAL.missing);
    return withTail(tail, YOUTUBE_POST_WORDS, () => {
      if (lower === "channel") {
        return YOUTUBE_CHANNEL_ID.test(name)
          ? profile("youtube", name, `/channel/${name}`)
          : fail(SOCIAL.handle("youtube"));
      }
      const custom = name.toLowerCase();
      if (!YOUTUBE_CUSTOM_NAME.test(custom)) return fail(SOCIAL.handle("youtube"));
      return profile("youtube", custom, `/${lower}/${encodeURIComponent(custom)}`);
    });
  }
  if (YOUTUBE_NOT_PROFILE.has(lower)) return fail(SOCIAL.notProfile);
  return youtube(["c", ...segments]);
}

const INSTAGRAM_POST_FIRST = new Set(["p", "reel", "reels", "tv", "stories"]);
const INSTAGRAM_NOT_PROFILE = new Set([
  "explore",
  "accounts",
  "direct",
  "about",
  "developer",
  "legal",
  "web",
  "api",
  "challenge",
  "emails",
  "session",
  "oauth",
]);
const INSTAGRAM_POST_WORDS = new Set(["p", "reel", "tv"]);

function instagram(segments: string[]): Resolved {
  const [first, ...rest] = segments;
  if (first === undefined) return fail(SOCIAL.missing);
  const lower = first.toLowerCase();
  if (INSTAGRAM_POST_FIRST.has(lower)) return fail(SOCIAL.post);
  if (INSTAGRAM_NOT_PROFILE.has(lower)) return fail(SOCIAL.notProfile);
  return withTail(rest, INSTAGRAM_POST_WORDS, () => byHandle("instagram", first, (h) => `/${h}`));
}

const X_NOT_PROFILE = new Set([
  "intent",
  "share",
  "home",
  "explore",
  "search",
  "hashtag",
  "settings",
  "messages",
  "notifications",
  "login",
  "logout",
  "signup",
  "compose",
  "tos",
  "privacy",
  "account",
]);
const X_POST_WORDS = new Set(["status", "statuses"]);

/** x.com/<handle>; twitter.com addresses are the same accounts. "/i/…" addresses are X's own pages. */
function x(segments: string[]): Resolved {
  const [first, ...rest] = segments;
  if (first === undefined) return fail(SOCIAL.missing);
  const lower = first.toLowerCase();
  if (lower === "i") {
    return fail(rest.includes("status") ? SOCIAL.post : SOCIAL.notProfile);
  }
  if (X_NOT_PROFILE.has(lower)) return fail(SOCIAL.notProfile);
  return withTail(rest, X_POST_WORDS, () => byHandle("x", first, (h) => `/${h}`));
}

/** zalo.me/<phone number or account id>; "/g/…" is a group invitation, the others are Zalo's own pages. */
const ZALO_NOT_PROFILE = new Set(["g", "s", "pc", "download"]);

function zalo(segments: string[]): Resolved {
  const [first, ...rest] = segments;
  if (first === undefined) return fail(SOCIAL.missing);
  if (ZALO_NOT_PROFILE.has(first.toLowerCase()) || rest.length > 0) return fail(SOCIAL.notProfile);
  return byHandle("zalo", first, (h) => `/${h}`);
}

const THREADS_POST_WORDS = new Set(["post"]);

function threads(segments: string[]): Resolved {
  const [first, ...rest] = segments;
  if (first === undefined) return fail(SOCIAL.missing);
  if (first === "t") return fail(SOCIAL.post);
  if (!first.startsWith("@")) return fail(SOCIAL.notProfile);
  return withTail(rest, THREADS_POST_WORDS, () => byHandle("threads", first.slice(1), (h) => `/@${h}`));
}

/** How a bare handle is written as an address on each network, for the `network` hint. */
const HANDLE_PATH: Record<SocialNetwork, (handle: string) => string> = {
  facebook: (h) => `facebook.com/${h}`,
  tiktok: (h) => `tiktok.com/@${h}`,
  youtube: (h) => `youtube.com/@${h}`,
  instagram: (h) => `instagram.com/${h}`,
  x: (h) => `x.com/${h}`,
  zalo: (h) => `zalo.me/${h}`,
  threads: (h) => `threads.com/@${h}`,
};

function decodeSegments(pathname: string): string[] | null {
  try {
    return pathname
      .split("/")
      .filter((segment) => segment !== "")
      .map((segment) => decodeURIComponent(segment).normalize("NFC"));
  } catch {
    return null;
  }
}

function isKnownHost(text: string): boolean {
  const host = (text.split(/[/?#:]/)[0] ?? "").toLowerCase().replace(HOST_PREFIX, "");
  return NETWORK_HOSTS.has(host) || SHORT_LINK_HOSTS.has(host) || POST_HOSTS.has(host);
}

/**
 * A profile address on one of the networks the registry follows, reduced to one canonical URL per
 * account: https, no "www."/"m.", no query (except Facebook's profile.php?id=), no fragment, no trailing
 * slash, the handle lowercased where the network ignores case. Links to posts or videos are refused with
 * their own message, because clerks often paste the offending post instead of the account.
 *
 * `network` is for input whose network is known from elsewhere (an import column "TikTok"): then a bare
 * handle such as "@shopee_vn" is accepted. Without it a bare handle is refused, since it could be anyone's
 * on any network.
 */
export function normalizeSocialProfile(input: string, network?: SocialNetwork): Normalised<SocialProfile> {
  const s = prepare(input);
  if (s === "") return fail(SOCIAL.empty);

  const looksLikeAddress = /[/:]/.test(s) || isKnownHost(s);
  if (s.startsWith("@") || !looksLikeAddress) {
    if (network === undefined || /\s/.test(s)) return fail(network ? SOCIAL.handle(network) : SOCIAL.bare);
    const handle = s.replace(/^@/, "");
    if (handle === "") return fail(SOCIAL.handle(network));
    return normalizeSocialProfile(HANDLE_PATH[network](handle));
  }

  // A scheme is a word before ":" without dots; "facebook.com:443/x" is a host with a port instead.
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(s)?.[1];
  const hasScheme = scheme !== undefined && !scheme.includes(".");
  if (hasScheme && !/^https?$/i.test(scheme)) return fail(SOCIAL.scheme);
  let url: URL;
  try {
    url = new URL(hasScheme ? s : `https://${s.replace(/^\/+/, "")}`);
  } catch {
    return fail(SOCIAL.url);
  }
  if (url.username !== "" || url.password !== "") return fail(SOCIAL.credentials);

  const host = url.hostname.replace(/\.$/, "");
  if (SHORT_LINK_HOSTS.has(host)) return fail(SOCIAL.short);
  if (POST_HOSTS.has(host)) return fail(SOCIAL.post);
  const found = NETWORK_HOSTS.get(host.replace(HOST_PREFIX, ""));
  if (found === undefined) return fail(SOCIAL.host);
  if (network !== undefined && network !== found) return fail(SOCIAL.otherNetwork(found, network));

  const segments = decodeSegments(url.pathname);
  if (segments === null) return fail(SOCIAL.url);
  switch (found) {
    case "facebook":
      return facebook(url, segments);
    case "tiktok":
      return tiktok(segments);
    case "youtube":
      return youtube(segments);
    case "instagram":
      return instagram(segments);
    case "x":
      return x(segments);
    case "zalo":
      return zalo(segments);
    case "threads":
      return threads(segments);
  }
}

// ---------------------------------------------------------------------------------------------------
// zod schemas for API bodies and import rows
// ---------------------------------------------------------------------------------------------------

/** A string schema whose output is the normalised value and whose only message is the Vietnamese error. */
function normalisedString<T>(normalise: (value: string) => Normalised<T>, typeError: string) {
  return z.string({ error: typeError }).transform((value, ctx): T => {
    const result = normalise(value);
    if (result.ok) return result.value;
    ctx.addIssue({ code: "custom", message: result.error, input: value });
    return z.NEVER;
  });
}

export const TaxCodeSchema = normalisedString(normalizeTaxCode, "Mã số thuế phải là chuỗi ký tự");
export const PhoneSchema = normalisedString(normalizePhoneVN, "Số điện thoại phải là chuỗi ký tự");
export const EmailSchema = normalisedString(normalizeEmail, "Email phải là chuỗi ký tự");
export const PressLicenceSchema = normalisedString(normalizePressLicence, "Số giấy phép phải là chuỗi ký tự");
export const PractisingCertificateSchema = normalisedString(
  normalizePractisingCertificate,
  "Số chứng chỉ hành nghề phải là chuỗi ký tự",
);
export const SocialProfileSchema = normalisedString(
  (value) => normalizeSocialProfile(value),
  "Trang mạng xã hội phải là chuỗi ký tự",
);
