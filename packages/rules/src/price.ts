/**
 * Prices as Vietnamese sellers write them: "350k", "350 nghìn", "1tr2" (1,200,000), "1,5 triệu",
 * "2 triệu 5", "850tr", "3.4 tỷ", "1.200.000đ", "1,200,000 VND", "990.000₫". Vietnamese writes "." for
 * thousands and "," for decimals, but many sellers do the opposite; a separator followed by exactly three
 * digits is read as thousands, anything else as a decimal point.
 */

const UNITS: Record<string, number> = {
  k: 1_000,
  nghìn: 1_000,
  ngàn: 1_000,
  ngan: 1_000,
  nghin: 1_000,
  tr: 1_000_000,
  triệu: 1_000_000,
  trieu: 1_000_000,
  củ: 1_000_000,
  cu: 1_000_000,
  tỷ: 1_000_000_000,
  tỉ: 1_000_000_000,
  ty: 1_000_000_000,
  đ: 1,
  "₫": 1,
  vnđ: 1,
  vnd: 1,
  đồng: 1,
  dong: 1,
};

const UNIT_PATTERN = "k|nghìn|ngàn|nghin|ngan|triệu|trieu|tr|củ|tỷ|tỉ|vnđ|vnd|đồng|đ|₫";
const NUMBER_PATTERN = "\\d{1,3}(?:[.,]\\d{3})+|\\d+(?:[.,]\\d+)?";
const PRICE_IN_TEXT = new RegExp(
  `(?<![\\p{L}\\d.,])(${NUMBER_PATTERN})\\s?(${UNIT_PATTERN})?(?:\\s?(\\d{1,3}))?(?![\\p{L}\\d])`,
  "giu",
);
const WHOLE_PRICE = new RegExp(`^(${NUMBER_PATTERN})\\s*(${UNIT_PATTERN})?\\s*(\\d{1,3})?$`, "iu");

function readNumber(raw: string): number {
  if (/^\d{1,3}(?:[.,]\d{3})+$/.test(raw)) return Number(raw.replace(/[.,]/g, ""));
  return Number(raw.replace(",", "."));
}

function combine(numberRaw: string, unitRaw: string | undefined, subRaw: string | undefined): number | null {
  const unit = unitRaw === undefined ? 1 : UNITS[unitRaw.toLowerCase()];
  if (unit === undefined) return null;
  let value = readNumber(numberRaw) * unit;
  if (subRaw !== undefined) {
    // "1tr2", "2 triệu 5", "1k5": the digits after a multiplier are its next places.
    if (unit < 1_000) return null;
    value += (Number(subRaw) * unit) / 10 ** subRaw.length;
  }
  return Number.isFinite(value) ? Math.round(value) : null;
}

/** One price written on its own ("350k", "1tr2", "1.200.000đ"); null when it is not one. */
export function parsePrice(input: string): number | null {
  const match = WHOLE_PRICE.exec(input.normalize("NFC").trim());
  if (!match) return null;
  return combine(match[1] as string, match[2], match[3]);
}

export interface PriceMention {
  value: number;
  start: number;
  end: number;
}

/**
 * Prices mentioned in free text. A bare number counts only when written with thousands separators
 * ("1.200.000"); otherwise a unit is needed, so "5cm", "12 tháng" or "GA-2100" are not prices.
 */
export function findPrices(text: string): PriceMention[] {
  const found: PriceMention[] = [];
  for (const match of text.matchAll(PRICE_IN_TEXT)) {
    const [whole, numberRaw, unitRaw, subRaw] = match;
    if (unitRaw === undefined && !/^\d{1,3}(?:[.,]\d{3})+$/.test(numberRaw as string)) continue;
    const unit = unitRaw === undefined ? 1 : UNITS[unitRaw.toLowerCase()];
    // A trailing number after a plain unit ("500đ 2") belongs to the next phrase.
    const sub = unit !== undefined && unit >= 1_000 ? subRaw : undefined;
    const value = combine(numberRaw as string, unitRaw, sub);
    if (value === null || value <= 0) continue;
    // An ignored trailing number is not part of the mention.
    const end = sub === undefined && subRaw !== undefined ? whole.lastIndexOf(subRaw) : whole.length;
    found.push({ value, start: match.index, end: match.index + whole.slice(0, end).trimEnd().length });
  }
  return found;
}

/** "1.200.000 đ" */
export function formatVnd(value: number): string {
  return `${Math.round(value)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ".")} đ`;
}
