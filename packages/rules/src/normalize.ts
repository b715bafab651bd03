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
const LEET: Record<string, string> = {
  "4": "a",
  "3": "e",
  "0": "o",
  "1": "i",
  "@": "a",
  $: "s",
  "5": "s",
  "7": "t",
};
const JOINERS = new Set([".", "-", "_", "*", "'", "\u2019", ":"]);
const SENTENCE_END = /[.!?;…\n]/;

/** char → its folded forms, for every precomposed Latin letter; built once. */
const CHAR_TABLE = new Map<string, CharInfo>();
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
}
buildTable();

enum Cls {
  Sep = 0,
  Letter = 1,
  Digit = 2,
  Leet = 3,
}

function classify(ch: string, code: number): Cls {
  if (code >= 97 && code <= 122) return Cls.Letter;
  if (code >= 48 && code <= 57) return Cls.Digit;
  if (code < 128) return ch === "@" || ch === "$" ? Cls.Leet : Cls.Sep;
  if (CHAR_TABLE.has(ch)) return Cls.Letter;
  // Other scripts (CJK on cross-border listings): letters, compared as they are.
  return /[\p{L}\p{N}]/u.test(ch) ? Cls.Letter : /\p{M}/u.test(ch) ? Cls.Letter : Cls.Sep;
}

interface Piece {
  start: number;
  end: number;
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

/**
 * Tokenises one field. `text` must already be NFC (see `prepare`); offsets refer to it.
 */
export function tokenize(text: string): Token[] {
  const lower = lowerSameLength(text);
  const n = lower.length;
  const classes = new Uint8Array(n);
  for (let i = 0; i < n; i++) classes[i] = classify(lower.charAt(i), lower.charCodeAt(i));
  // A leet symbol belongs to a word only right after a letter ("f@ke"); elsewhere it separates.
  for (let i = 0; i < n; i++) {
    if (classes[i] === Cls.Leet && !(i > 0 && classes[i - 1] === Cls.Letter)) classes[i] = Cls.Sep;
  }

  // 1. Raw pieces: maximal runs of letters/digits.
  const pieces: Piece[] = [];
  let i = 0;
  while (i < n) {
    if (classes[i] === Cls.Sep) {
      i++;
      continue;
    }
    const start = i;
    while (i < n && classes[i] !== Cls.Sep) i++;
    pieces.push({ start, end: i });
  }

  // 2. Merge obfuscated words into one token span; remember the sentence breaks between tokens.
  const spans: Array<{ parts: Piece[]; sentence: number }> = [];
  let sentence = 0;
  let p = 0;
  while (p < pieces.length) {
    const first = pieces[p] as Piece;
    const parts = [first];
    let q = p + 1;
    // (a) short pieces joined by one joiner character: fa.ke, s.f, f-a-k-e, 1:1
    while (q < pieces.length) {
      const prev = parts[parts.length - 1] as Piece;
      const next = pieces[q] as Piece;
      if (next.start - prev.end !== 1) break;
      const joiner = lower.charAt(prev.end);
      if (!JOINERS.has(joiner)) break;
      const prevDigits = isDigits(lower, prev);
      const nextDigits = isDigits(lower, next);
      if (joiner === ":") {
        if (!(prevDigits && nextDigits)) break;
      } else if (prevDigits || nextDigits || prev.end - prev.start > 2 || next.end - next.start > 2) break;
      parts.push(next);
      q++;
    }
    // (b) spaced single letters: f a k e (three or more)
    if (parts.length === 1 && isSingleLetter(lower, first)) {
      let r = p + 1;
      while (
        r < pieces.length &&
        isSingleLetter(lower, pieces[r] as Piece) &&
        onlySpaces(lower, (pieces[r - 1] as Piece).end, (pieces[r] as Piece).start)
      ) {
        r++;
      }
      if (r - p >= 3) {
        for (let k = p + 1; k < r; k++) parts.push(pieces[k] as Piece);
        q = r;
      }
    }
    spans.push({ parts, sentence });
    const last = parts[parts.length - 1] as Piece;
    const nextPiece = pieces[q];
    if (nextPiece && SENTENCE_END.test(lower.slice(last.end, nextPiece.start))) sentence++;
    p = q;
  }

  const tokens: Token[] = [];
  for (const span of spans) {
    let raw = "";
    for (const part of span.parts) raw += lower.slice(part.start, part.end);
    const joinedDigits = span.parts.length > 1 && span.parts.every((part) => isDigits(lower, part));
    if (joinedDigits) raw = span.parts.map((part) => lower.slice(part.start, part.end)).join(":");
    const folded = foldWord(raw);
    tokens.push({
      ...folded,
      start: (span.parts[0] as Piece).start,
      end: (span.parts[span.parts.length - 1] as Piece).end,
      sentence: span.sentence,
    });
  }
  return tokens;
}

function isDigits(s: string, piece: Piece): boolean {
  for (let i = piece.start; i < piece.end; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function isSingleLetter(s: string, piece: Piece): boolean {
  if (piece.end - piece.start !== 1) return false;
  const c = s.charCodeAt(piece.start);
  return !(c >= 48 && c <= 57);
}

function onlySpaces(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (s.charAt(i) !== " ") return false;
  return to > from;
}

/** Folds one lowercase word (no separators) into its bare and key forms. */
export function foldWord(word: string): { bare: string; key: string; marked: boolean } {
  let bare = "";
  let quality = "";
  let tones = "";
  let marked = false;
  let letters = 0;
  for (const ch of word) if (CHAR_TABLE.has(ch) || (ch >= "a" && ch <= "z")) letters++;
  const chars = [...word];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] as string;
    const info = CHAR_TABLE.get(ch);
    if (info) {
      bare += info.bare;
      quality += info.quality;
      tones += info.tone;
      marked = true;
      continue;
    }
    const leet = LEET[ch];
    // A digit or symbol between two letters of a word with at least two letters imitates a letter.
    if (leet !== undefined && letters >= 2 && isLetterChar(chars[i - 1]) && isLetterChar(chars[i + 1])) {
      bare += leet;
      quality += leet;
      continue;
    }
    if (ch === "@" || ch === "$") continue;
    bare += ch;
    quality += ch;
  }
  return { bare, key: tones === "" ? quality : `${quality}${tones}`, marked };
}

function isLetterChar(ch: string | undefined): boolean {
  if (ch === undefined) return false;
  return (ch >= "a" && ch <= "z") || CHAR_TABLE.has(ch);
}

/** NFC without format characters (zero-width spaces, soft hyphens) that hide words from a matcher. */
export function prepare(text: string): string {
  return text.normalize("NFC").replace(/\p{Cf}/gu, "");
}

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
