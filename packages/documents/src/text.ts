/** Text as the documents draw it: cleaned of all but plain printable text; dates in Vietnam time. */

/**
 * NFC-normalised text on one line: line breaks, tabs and other spaces become a plain space (runs of them
 * one space); control and invisible formatting characters (C0/C1 controls, zero-width characters, bidi
 * controls, soft hyphen, BOM, …) and lone surrogates are removed. Nothing in the text is interpreted.
 */
export function cleanText(input: string): string {
  return input
    .normalize("NFC")
    .replace(/[\p{Zs}\t\n\v\f\r\u0085\u2028\u2029]+/gu, " ")
    .replace(/[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}]/gu, "")
    .replace(/ {2,}/g, " ")
    .trim();
}

/** Metadata strings (title, author, …): the same cleaning, capped in length. */
export function cleanMetadata(input: string, max = 500): string {
  const text = cleanText(input);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

const VN_TIME_ZONE = "Asia/Ho_Chi_Minh";

const partsFormatter = new Intl.DateTimeFormat("en-GB", {
  timeZone: VN_TIME_ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
});

interface VietnamTime {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
  second: string;
}

function vietnamParts(date: Date): VietnamTime {
  const parts: Record<string, string> = {};
  for (const p of partsFormatter.formatToParts(date)) parts[p.type] = p.value;
  return {
    year: parts.year ?? "",
    month: parts.month ?? "",
    day: parts.day ?? "",
    hour: parts.hour ?? "",
    minute: parts.minute ?? "",
    second: parts.second ?? "",
  };
}

/** "05/03/2026 14:07:09" in Asia/Ho_Chi_Minh. */
export function vietnamDateTime(date: Date): string {
  if (Number.isNaN(date.getTime())) return "?";
  const t = vietnamParts(date);
  return `${t.day}/${t.month}/${t.year} ${t.hour}:${t.minute}:${t.second}`;
}

/**
 * "ngày 05 tháng 3 năm 2026" in Asia/Ho_Chi_Minh, written as Nghị định 30/2020/NĐ-CP asks for
 * administrative documents: a leading zero for days below 10 and for months 1 and 2 only.
 */
export function vietnamLongDate(date: Date): string {
  if (Number.isNaN(date.getTime())) return "ngày … tháng … năm …";
  const t = vietnamParts(date);
  const month = Number(t.month);
  return `ngày ${t.day} tháng ${month <= 2 ? t.month : String(month)} năm ${t.year}`;
}

/** The place on the date line: the province name without "Tỉnh"/"Thành phố", e.g. "Hà Nội". */
export function placeName(provinceName: string): string {
  return cleanText(provinceName).replace(/^(thành phố|tỉnh)\s+/iu, "");
}

/** "Sở Công Thương tỉnh Ninh Bình", "Sở Y tế Thành phố Hà Nội". */
export function authorityName(authority: { agencyName: string; provinceName: string }): string {
  const agency = cleanText(authority.agencyName);
  const province = cleanText(authority.provinceName);
  if (!province) return agency;
  return /^(thành phố|tỉnh)\s/iu.test(province) ? `${agency} ${province}` : `${agency} tỉnh ${province}`;
}
