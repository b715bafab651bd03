/**
 * Vietnamese-aware tokenisation for matching. Text is NFC-normalised and case-folded, then cut into
 * words; each word keeps three forms:
 *   bare   no diacritics at all ("giả" → "gia"): what the matcher indexes, so unaccented text matches;
 *   key    vowel letters (â ă ê ô ơ ư đ) kept, tone marks moved to the end ("hoà" and "hòa" → "hoa\u0300"),
 *          so old and new tone placement compare equal;
 *   marked whether the word carries any diacritic.
 * A phrase word matches a text word when their bare forms are equal and, if both carry diacritics, their
 * keys are equal too: "hàng giả" finds "hang gia" (typed without accents) but not "hàng giá" (price).
 *
 * Obfuscations sellers use to dodge filters are undone here, identically for rule phrases and for text,
 * so a phrase never needs spelling out in its obfuscated forms:
 *   f4ke, r3p, h@ng  digits or symbols between letters read as the letters they imitate;
 *   fa.ke, s.f, f-a-k-e  short pieces joined by a single dot, dash, underscore, star or apostrophe merge;
 *   f a k e, r e p   runs of three or more single letters separated by spaces merge;
 *   1:1              digits joined by a colon stay one word ("rep 1:1").
 */

export interface Token {
  bare: string;
  key: string;
  marked: boolean;
  /** Offsets in the NFC text (UTF-16 code units), end exclusive. */
  start: number;
  end: number;
  /** Sentence number inside its field: a boundary is . ! ? ; … or a line break followed by a space/end. */
  sentence: number;
}

interface CharInfo {
  bare: string;
  /** The letter with its vowel-quality marks but without its tone. */
  quality: string;
  tone: string;
}

const TONE_MARKS = new Set(["\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]);
const LEET = new Map([
  ["4", "a"],
  ["3", "e"],
  ["0", "o"],
  ["1", "i"],
  ["@", "a"],
  ["$", "s"],
  ["5", "s"],
  ["7", "t"],
]);

/** char → its folded forms, for every precomposed Latin letter; built once. */
const CHAR_TABLE = new Map<string, CharInfo>();
/** The same by UTF-16 code (below TABLE_END), read in the hot loops without making strings. */
const TABLE_END = 0x1f00;
const BY_CODE: Array<CharInfo | undefined> = new Array(TABLE_END).fill(undefined);
function buildTable() {
  const ranges: Array<[number, number]> = [
    [0x00c0, 0x024f],
    [0x1e00, 0x1eff],
  ];
  for (const [from, to] of ranges) {
    for (let code = from; code <= to; code++) {
      const ch = String.fromCharCode(code).toLowerCase();
      if (CHAR_TABLE.has(ch)) continue;
      const nfd = ch.normalize("NFD");
      let base = "";
      let quality = "";
      let tone = "";
      for (const part of nfd) {
        if (TONE_MARKS.has(part)) tone += part;
        else if (/\p{M}/u.test(part)) quality += part;
        else base += part;
      }
      if (base === "đ" || ch === "đ") {
        CHAR_TABLE.set("đ", { bare: "d", quality: "đ", tone: "" });
        continue;
      }
      if (!/^[a-z]+$/.test(base)) continue;
      CHAR_TABLE.set(ch, { bare: base, quality: (base + quality).normalize("NFC"), tone });
    }
  }
  CHAR_TABLE.set("đ", { bare: "d", quality: "đ", tone: "" });
  for (const [ch, info] of CHAR_TABLE) {
    const code = ch.charCodeAt(0);
    if (ch.length === 1 && code < TABLE_END) BY_CODE[code] = info;
  }
}
buildTable();

const LETTER_OR_MARK = /[\p{L}\p{N}\p{M}]/u;

// Character classes, as small integers for a Uint8Array.
const SEP = 0;
const LETTER = 1;
const DIGIT = 2;
const LEET_SYMBOL = 3;
type Cls = 0 | 1 | 2 | 3;

function classify(s: string, i: number): Cls {
  const code = s.charCodeAt(i);
  if (code >= 97 && code <= 122) return LETTER;
  if (code >= 48 && code <= 57) return DIGIT;
  if (code < 128) return code === 64 || code === 36 ? LEET_SYMBOL : SEP;
  if (code < TABLE_END && BY_CODE[code] !== undefined) return LETTER;
  // Other scripts (CJK on cross-border listings): letters, compared as they are.
  return LETTER_OR_MARK.test(s.charAt(i)) ? LETTER : SEP;
}

/** Lowercase without changing offsets (a few characters lowercase to two code units). */
function lowerSameLength(s: string): string {
  const lower = s.toLowerCase();
  if (lower.length === s.length) return lower;
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const ch = s.charAt(i);
    const l = ch.toLowerCase();
    out += l.length === 1 ? l : ch;
  }
  return out;
}

const isJoiner = (code: number) =>
  code === 46 || code === 45 || code === 95 || code === 42 || code === 39 || code === 0x2019 || code === 58;
// . ! ? ; … and line breaks end a sentence.
/** Abbreviated titles and initials: one to four capitals ("K", "TS", "BS", "CKI", "PGS"), or "ThS". */
const ABBREVIATION = /^(?:\p{Lu}{1,4}|ThS|Ths)$/u;

const isSentenceEnd = (code: number) =>
  code === 46 || code === 33 || code === 63 || code === 59 || code === 0x2026 || code === 10 || code === 13;

function allDigits(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function onlySpaces(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (s.charCodeAt(i) !== 32) return false;
  return to > from;
}

/**
 * Tokenises one field. `text` must already be NFC (see `prepare`); offsets refer to it. Runs once per
 * field of every evaluated item, so it works on flat arrays of offsets rather than objects per piece.
 */
export function tokenize(text: string): Token[] {
  const lower = lowerSameLength(text);
  const n = lower.length;

  // 1. Raw pieces: maximal runs of letters and digits ("@" and "$" count after a letter: "f@ke").
  const starts: number[] = [];
  const ends: number[] = [];
  let i = 0;
  while (i < n) {
    const cls = classify(lower, i);
    if (cls !== LETTER && cls !== DIGIT) {
      i++;
      continue;
    }
    const start = i;
    let prev: Cls = cls;
    i++;
    while (i < n) {
      const c = classify(lower, i);
      if (c === SEP || (c === LEET_SYMBOL && prev !== LETTER)) break;
      prev = c;
      i++;
    }
    starts.push(start);
    ends.push(i);
  }

  // 2. Merge obfuscated words into one token; count sentences between tokens.
  const tokens: Token[] = [];
  const count = starts.length;
  let sentence = 0;
  let p = 0;
  while (p < count) {
    let q = p + 1;
    let digitJoin = false;
    // (a) short pieces joined by one joiner character: fa.ke, s.f, f-a-k-e, 1:1
    while (q < count) {
      const prevStart = starts[q - 1] as number;
      const prevEnd = ends[q - 1] as number;
      const nextStart = starts[q] as number;
      const nextEnd = ends[q] as number;
      if (nextStart - prevEnd !== 1) break;
      const joiner = lower.charCodeAt(prevEnd);
      if (!isJoiner(joiner)) break;
      const prevDigits = allDigits(lower, prevStart, prevEnd);
      const nextDigits = allDigits(lower, nextStart, nextEnd);
      if (joiner === 58) {
        if (!(prevDigits && nextDigits)) break;
        digitJoin = true;
      } else if (prevDigits || nextDigits || prevEnd - prevStart > 2 || nextEnd - nextStart > 2) break;
      q++;
    }
    // (b) spaced single letters: f a k e (three or more)
    if (q === p + 1 && isSingleLetter(lower, starts[p] as number, ends[p] as number)) {
      let r = p + 1;
      while (
        r < count &&
        isSingleLetter(lower, starts[r] as number, ends[r] as number) &&
        onlySpaces(lower, ends[r - 1] as number, starts[r] as number)
      ) {
        r++;
      }
      if (r - p >= 3) q = r;
    }
    let raw: string;
    if (q === p + 1) raw = lower.slice(starts[p], ends[p]);
    else {
      raw = "";
      for (let k = p; k < q; k++) {
        if (digitJoin && k > p) raw += ":";
        raw += lower.slice(starts[k], ends[k]);
      }
    }
    const folded = cachedFold(raw);
    const end = ends[q - 1] as number;
    // A plain literal of one shape (no spread): tokens are made by the million.
    tokens.push({
      bare: folded.bare,
      key: folded.key,
      marked: folded.marked,
      start: starts[p] as number,
      end,
      sentence,
    });
    if (q < count) {
      const next = starts[q] as number;
      for (let k = end; k < next; k++) {
        const code = lower.charCodeAt(k);
        if (isSentenceEnd(code)) {
          // A title or an initial ("PGS.TS. Trần Văn K. khuyên") does not end the sentence.
          if (code === 46 && k === end && ABBREVIATION.test(text.slice(starts[q - 1], end))) continue;
          sentence++;
          break;
        }
      }
    }
    p = q;
  }
  return tokens;
}

function isSingleLetter(s: string, start: number, end: number): boolean {
  if (end - start !== 1) return false;
  const c = s.charCodeAt(start);
  return !(c >= 48 && c <= 57);
}

/**
 * Words repeat (Vietnamese has a few thousand syllables): their folded forms are kept, up to a bound,
 * so most words cost one map lookup.
 */
const WORD_CACHE = new Map<string, { bare: string; key: string; marked: boolean }>();
const WORD_CACHE_LIMIT = 50_000;
/** Shorthand of chat and listings read as the word it stands for ("ko tem" is "không tem"). */
const SHORTHAND = new Map([
  ["ko", "không"],
  ["khg", "không"],
  ["hok", "không"],
  ["khum", "không"],
  // Southern speech: "hổng có hóa đơn", "hông biết", "bền nhứt".
  ["hổng", "không"],
  ["hông", "không"],
  ["nhứt", "nhất"],
  ["hàg", "hàng"],
  ["dc", "được"],
  ["đc", "được"],
]);
function cachedFold(word: string): { bare: string; key: string; marked: boolean } {
  let folded = WORD_CACHE.get(word);
  if (folded === undefined) {
    if (WORD_CACHE.size >= WORD_CACHE_LIMIT) WORD_CACHE.clear();
    folded = foldWord(SHORTHAND.get(word) ?? word);
    WORD_CACHE.set(word, folded);
  }
  return folded;
}

/** Folds one lowercase word (no separators) into its bare and key forms. */
export function foldWord(word: string): { bare: string; key: string; marked: boolean } {
  const n = word.length;
  // Fast path: plain a–z and digits with no digit between letters (most words of unaccented text).
  let plain = true;
  let letters = 0;
  for (let i = 0; i < n; i++) {
    const code = word.charCodeAt(i);
    if (code >= 97 && code <= 122) letters++;
    else if (code >= 48 && code <= 57) {
      if (i > 0 && i < n - 1 && isLetterCode(word.charCodeAt(i - 1)) && isLetterCode(word.charCodeAt(i + 1)))
        plain = false;
    } else {
      plain = false;
      if (code < TABLE_END && BY_CODE[code] !== undefined) letters++;
    }
  }
  if (plain) return { bare: word, key: word, marked: false };
  let bare = "";
  let quality = "";
  let tones = "";
  let marked = false;
  for (let i = 0; i < n; i++) {
    const code = word.charCodeAt(i);
    if ((code >= 97 && code <= 122) || (code >= 48 && code <= 57 && !leetAt(word, i, letters))) {
      const ch = word.charAt(i);
      bare += ch;
      quality += ch;
      continue;
    }
    const info = code < TABLE_END ? BY_CODE[code] : undefined;
    if (info) {
      bare += info.bare;
      quality += info.quality;
      tones += info.tone;
      marked = true;
      continue;
    }
    const ch = word.charAt(i);
    const leet = LEET.get(ch);
    if (leet !== undefined && leetAt(word, i, letters)) {
      bare += leet;
      quality += leet;
      continue;
    }
    if (code === 64 || code === 36) continue;
    bare += ch;
    quality += ch;
  }
  return { bare, key: tones === "" ? quality : `${quality}${tones}`, marked };
}

/** A digit or symbol between two letters of a word with at least two letters imitates a letter. */
function leetAt(word: string, i: number, letters: number): boolean {
  return (
    letters >= 2 &&
    i > 0 &&
    i < word.length - 1 &&
    LEET.has(word.charAt(i)) &&
    isLetterCode(word.charCodeAt(i - 1)) &&
    isLetterCode(word.charCodeAt(i + 1))
  );
}

function isLetterCode(code: number): boolean {
  return (code >= 97 && code <= 122) || (code < TABLE_END && BY_CODE[code] !== undefined);
}

/** NFC without format characters (zero-width spaces, soft hyphens) that hide words from a matcher. */
export function prepare(text: string): string {
  const nfc = text.normalize("NFC");
  return FORMAT_CHARS.test(nfc) ? nfc.replace(FORMAT_CHARS_ALL, "") : nfc;
}
// Unicode's format characters (category Cf) of the Basic Multilingual Plane, as a plain class: much
// cheaper to test than \p{Cf} on every field, and the astral ones (tags) are rare in listings.
const FORMAT_CLASS =
  "[\u00AD\u0600-\u0605\u061C\u06DD\u070F\u0890\u0891\u08E2\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF\uFFF9-\uFFFB]";
const FORMAT_CHARS = new RegExp(FORMAT_CLASS);
const FORMAT_CHARS_ALL = new RegExp(FORMAT_CLASS, "g");

/** A rule phrase as words. A leading "=" asks for the phrase's diacritics to be present in the text. */
export interface PhraseWords {
  words: Array<{ bare: string; key: string; marked: boolean; any: boolean }>;
  strict: boolean;
}

export function phraseWords(phrase: string): PhraseWords {
  let strict = false;
  let source = phrase.trim();
  if (source.startsWith("=")) {
    strict = true;
    source = source.slice(1);
  }
  const words: PhraseWords["words"] = [];
  // "*" stands for exactly one word: "mã * giảm" matches "mã MAIANH giảm".
  for (const part of source.split(/\s+/)) {
    if (part === "*") {
      words.push({ bare: "*", key: "*", marked: false, any: true });
      continue;
    }
    for (const t of tokenize(prepare(part)))
      words.push({ bare: t.bare, key: t.key, marked: t.marked, any: false });
  }
  return { words, strict };
}

/** Same word, given the diacritics rule described at the top of this file. */
export function wordMatches(
  phrase: { key: string; marked: boolean },
  token: { key: string; marked: boolean },
  strict: boolean,
): boolean {
  if (strict) return token.marked ? token.key === phrase.key : !phrase.marked;
  if (!phrase.marked || !token.marked) return true;
  return phrase.key === token.key;
}

/** Folded text for comparisons of short fields (seller, category): bare words joined by one space. */
export function foldText(text: string): string {
  return tokenize(prepare(text))
    .map((t) => t.bare)
    .join(" ");
}
