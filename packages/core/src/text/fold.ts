/**
 * Text helpers for Vietnamese names and codes.
 *
 * Vietnamese text arrives in both Unicode forms: precomposed (NFC, what most keyboards and Word produce)
 * and decomposed (NFD, common from macOS file names and some PDF/Excel exports). "Ánh" can be one code
 * point or two, so comparing or indexing raw strings finds nothing; every stored or compared string goes
 * through one of these first.
 */

/** Format characters (zero-width space, soft hyphen, BOM…) that pasted text carries invisibly. */
const FORMAT_CHARACTERS = /\p{Cf}/gu;
const COMBINING_MARKS = /\p{M}/gu;
const NON_ALPHANUMERIC_RUN = /[^\p{L}\p{N}]+/gu;

/**
 * Display form: NFC, trimmed, each run of whitespace (including no-break spaces and line breaks) made one
 * space. Case and diacritics are kept.
 */
export function nfc(s: string): string {
  return s.normalize("NFC").replace(/\s+/g, " ").trim();
}

/**
 * Search/match form: no case, no diacritics, words separated by one space.
 * "Công ty TNHH Shopee" → "cong ty tnhh shopee", "ĐẶNG" → "dang".
 *
 * Lowercasing happens before decomposition so that letters whose lowercase carries a combining mark
 * (Turkish "İ" → "i" + U+0307) lose the mark too instead of splitting the word. Decomposing an NFC string
 * gives the same result as decomposing the raw input (canonical equivalence), so the NFC step only
 * documents that both input forms are accepted. "đ" is a letter of its own, not "d" with a mark, so NFD
 * leaves it alone and it is mapped explicitly.
 */
export function foldVietnamese(s: string): string {
  return s
    .normalize("NFC")
    .replace(FORMAT_CHARACTERS, "")
    .toLowerCase()
    .normalize("NFD")
    .replace(COMBINING_MARKS, "")
    .replace(/đ/g, "d")
    .replace(NON_ALPHANUMERIC_RUN, " ")
    .trim();
}

/** The folded words of a text, in order (duplicates kept); empty for text without letters or digits. */
export function searchTokens(s: string): string[] {
  const folded = foldVietnamese(s);
  return folded === "" ? [] : folded.split(" ");
}
