import type {
  AgencyCode,
  Decision,
  FlagItem,
  Reason,
  ReferencePrice,
  Rule,
  RuleExceptions,
  RuleSet,
} from "@pledgewatch/core";
import { createMatcher, type Match, type MatcherKind } from "./matcher";
import { foldText, prepare, type Token, tokenize } from "./normalize";
import { findPrices, formatVnd } from "./price";

/** A rule set compiled once: all its phrases in one matcher, each rule as a small check over matches. */
export interface CompiledRuleSet {
  version: number;
  threshold: number;
  ruleCount: number;
  phraseCount: number;
  evaluate(item: FlagItem): Decision;
  /** The catalogue entry the item's title names most specifically (the price rules' reference). */
  referencePrice(item: FlagItem): ReferencePrice | null;
}

export interface CompileOptions {
  /** "automaton" (default): one trie for every phrase; "naive": one RegExp per phrase (benchmark baseline). */
  matcher?: MatcherKind;
}

const FIELD_NAMES = ["title", "text"] as const;
const SPAN_LIMIT = 240;

interface Prepared {
  item: FlagItem;
  texts: [string, string];
  fields: [Token[], Token[]];
  byPhrase: Map<number, Match[]>;
  /** The category folded, computed on first use (few rules look at it). */
  category: string;
}

/** Short fields (seller, category) repeat across items: their folded forms are kept, up to a bound. */
const SHORT_FIELD_CACHE = new Map<string, string>();
function foldShort(text: string): string {
  let folded = SHORT_FIELD_CACHE.get(text);
  if (folded === undefined) {
    if (SHORT_FIELD_CACHE.size >= 20_000) SHORT_FIELD_CACHE.clear();
    folded = foldText(text);
    SHORT_FIELD_CACHE.set(text, folded);
  }
  return folded;
}

type Evidence = Pick<Reason, "evidence" | "field" | "start" | "end"> & { values?: Record<string, string> };

type Check = (p: Prepared) => Evidence | null;

interface CompiledRule {
  rule: Rule;
  check: Check;
  /** The rule can only fire when one of these phrases matched (null: it must always be checked). */
  triggers: number[] | null;
}

/** Phrases of the whole set, numbered once; rules refer to them by number. */
class PhraseTable {
  readonly list: string[] = [];
  private readonly ids = new Map<string, number>();
  add(phrase: string): number {
    const normal = phrase.normalize("NFC").trim();
    let id = this.ids.get(normal);
    if (id === undefined) {
      id = this.list.length;
      this.list.push(normal);
      this.ids.set(normal, id);
    }
    return id;
  }
  addAll(phrases: readonly string[]): number[] {
    return phrases.map((p) => this.add(p));
  }
}

/** Whether any of the phrases matched, before any context is weighed. */
function anyMatched(p: Prepared, ids: readonly number[]): boolean {
  for (const id of ids) if (p.byPhrase.has(id)) return true;
  return false;
}

function matchesOf(p: Prepared, ids: readonly number[]): Match[] {
  const out: Match[] = [];
  for (const id of ids) {
    const found = p.byPhrase.get(id);
    if (found) out.push(...found);
  }
  // Earliest first; of matches starting at the same word, the longest (the fuller evidence).
  return out.sort((a, b) => a.field - b.field || a.first - b.first || b.last - a.last);
}

function evidenceOf(p: Prepared, first: Match, second?: Match): Evidence {
  const tokens = p.fields[first.field] as Token[];
  const text = p.texts[first.field] as string;
  const from = second ? Math.min(first.first, second.first) : first.first;
  const to = second ? Math.max(first.last, second.last) : first.last;
  const start = (tokens[from] as Token).start;
  const end = (tokens[to] as Token).end;
  if (second && end - start > SPAN_LIMIT) {
    const a = evidenceOf(p, first);
    const b = evidenceOf(p, second);
    return { evidence: `${a.evidence} … ${b.evidence}`, field: a.field, start: a.start, end: a.end };
  }
  return { evidence: text.slice(start, end), field: FIELD_NAMES[first.field] ?? "text", start, end };
}

interface Exceptions {
  before: number[];
  after: number[];
  anywhere: number[];
  window: number;
  categories: string[];
}

function compileExceptions(table: PhraseTable, except: RuleExceptions): Exceptions {
  return {
    before: table.addAll(except.before),
    after: table.addAll(except.after),
    anywhere: table.addAll(except.anywhere),
    window: except.window,
    categories: except.categories.map(foldText).filter((c) => c !== ""),
  };
}

/** Matches of `ids` that their context does not cancel ("nói không với hàng fake"). */
function liveMatches(p: Prepared, ids: readonly number[], ex: Exceptions): Match[] {
  const found = matchesOf(p, ids);
  if (found.length === 0 || (ex.before.length === 0 && ex.after.length === 0)) return found;
  const before = matchesOf(p, ex.before);
  const after = matchesOf(p, ex.after);
  return found.filter((m) => {
    const tokens = p.fields[m.field] as Token[];
    const sentence = (tokens[m.first] as Token).sentence;
    const sameSentence = (e: Match) =>
      e.field === m.field &&
      (tokens[e.first] as Token).sentence === sentence &&
      (tokens[e.last] as Token).sentence === sentence;
    const cancelledBefore = before.some(
      (e) =>
        sameSentence(e) &&
        ((e.last < m.first && m.first - e.last - 1 <= ex.window) || (e.first <= m.first && e.last >= m.last)),
    );
    if (cancelledBefore) return false;
    return !after.some(
      (e) =>
        sameSentence(e) &&
        ((e.first > m.last && e.first - m.last - 1 <= ex.window) || (e.first <= m.first && e.last >= m.last)),
    );
  });
}

/** Two matches in one sentence of one field: a near rule's two phrases belong to one statement. */
function sameSentence(p: Prepared, a: Match, b: Match): boolean {
  const tokens = p.fields[a.field] as Token[];
  const sentence = (tokens[a.first] as Token).sentence;
  return (
    (tokens[a.last] as Token).sentence === sentence &&
    (tokens[b.first] as Token).sentence === sentence &&
    (tokens[b.last] as Token).sentence === sentence
  );
}

/** The word just before a match is "chưa" or "không" (not yet, not). */
function negated(p: Prepared, m: Match): boolean {
  const tokens = p.fields[m.field] as Token[];
  const sentence = (tokens[m.first] as Token).sentence;
  // Only in the match's own sentence: "…550 không? Câu trả lời là không" negates nothing.
  const before = tokens[m.first - 1];
  if (before === undefined || before.sentence !== sentence) return false;
  if (before.bare === "chua" || before.bare === "khong") return true;
  // "không phải chiết", "không có tem", "chẳng phải hàng cũ"
  const two = tokens[m.first - 2];
  return (
    (before.bare === "phai" || before.bare === "co") &&
    two !== undefined &&
    two.sentence === sentence &&
    (two.bare === "khong" || two.bare === "chang" || two.bare === "chua")
  );
}

/** One word without accents right after a number: "45 cu" is 45 củ (millions), not cũ (used). */
function amountWord(p: Prepared, m: Match): boolean {
  if (m.first !== m.last) return false;
  const tokens = p.fields[m.field] as Token[];
  const before = tokens[m.first - 1];
  return !(tokens[m.first] as Token).marked && before !== undefined && /^\d+([.,:]\d+)*$/.test(before.bare);
}

/** One word right after "giá": "giá cũ" is the old price, not used goods. */
function afterPrice(p: Prepared, m: Match): boolean {
  if (m.first !== m.last) return false;
  return (p.fields[m.field] as Token[])[m.first - 1]?.bare === "gia";
}

/** A negation ("không", "chưa", "chẳng") up to `window` words before a match, in its sentence. */
function negatedWithin(p: Prepared, m: Match, window: number): boolean {
  const tokens = p.fields[m.field] as Token[];
  const sentence = (tokens[m.first] as Token).sentence;
  for (let i = m.first - 1; i >= 0 && i >= m.first - window; i--) {
    const token = tokens[i] as Token;
    if (token.sentence !== sentence) return false;
    if (token.bare === "khong" || token.bare === "chua" || token.bare === "chang") return true;
  }
  return false;
}

/** An accessory word that comes with the product ("kèm dustbag", "tặng dây"): not an accessory listing. */
function accompanied(p: Prepared, m: Match): boolean {
  const before = (p.fields[m.field] as Token[])[m.first - 1];
  if (before === undefined) return false;
  // Written with its accents, the word must be the same word ("kèm", not "kem" cream).
  return ACCOMPANYING.some(
    (w) => w.bare === before.bare && (!before.marked || !w.marked || w.key === before.key),
  );
}
const ACCOMPANYING = ["kèm", "tặng", "full", "đủ", "có"].map((w) => tokenize(prepare(w))[0] as Token);

function ruleApplies(p: Prepared, rule: Rule, ex: Exceptions): boolean {
  if (!rule.enabled) return false;
  if (rule.kinds.length > 0 && !rule.kinds.includes(p.item.kind)) return false;
  if (ex.categories.some((c) => p.category.includes(c))) return false;
  // "chưa có nhãn phụ" is not "có nhãn phụ".
  return !matchesOf(p, ex.anywhere).some((m) => !negated(p, m));
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

/** The catalogue entry the title names most specifically (most words matched). */
function compileCatalogue(table: PhraseTable, catalogue: readonly ReferencePrice[]) {
  const entries = catalogue.map((entry) => ({
    entry,
    ids: table.addAll(entry.match),
    words: entry.match.reduce((n, m) => n + m.split(/\s+/).length, 0),
  }));
  return (p: Prepared): ReferencePrice | null => {
    let best: (typeof entries)[number] | null = null;
    for (const candidate of entries) {
      const all = candidate.ids.every((id) => (p.byPhrase.get(id) ?? []).some((m) => m.field === 0));
      if (all && (!best || candidate.words > best.words)) best = candidate;
    }
    return best?.entry ?? null;
  };
}

/**
 * The phrases without which a rule cannot fire: most items match no phrase of most rules, and those
 * rules are skipped without running their checks.
 */
function triggersOf(table: PhraseTable, rule: Rule, catalogue: readonly ReferencePrice[]): number[] | null {
  switch (rule.kind) {
    case "phrase":
      return table.addAll(rule.phrases);
    case "near":
      return table.addAll(rule.first);
    case "together":
      return table.addAll(rule.groups[0] ?? []);
    case "missing":
      return rule.whenCategories.length > 0 ? null : table.addAll(rule.when);
    case "price":
      return table.addAll(catalogue.flatMap((entry) => entry.match.slice(0, 1)));
    case "brand-watch":
      return table.addAll(rule.brands.map((b) => b.brand));
    case "product-watch":
      return table.addAll(rule.entries.map((e) => e.name));
    case "lookalike":
      return null;
    case "discount":
      return table.addAll(rule.markers);
    case "seller-watch":
      return null;
  }
}

function compileRule(
  table: PhraseTable,
  rule: Rule,
  catalogueLookup: (p: Prepared) => ReferencePrice | null,
): Check {
  const ex = compileExceptions(table, rule.except);
  const guard =
    (check: Check): Check =>
    (p) =>
      ruleApplies(p, rule, ex) ? check(p) : null;

  switch (rule.kind) {
    case "phrase": {
      const ids = table.addAll(rule.phrases);
      return guard((p) => {
        const found = liveMatches(p, ids, ex);
        const [first] = found;
        if (!first) return null;
        // Overlapping matches make one evidence span: "hàng rep" + "rep 1:1" → "hàng rep 1:1".
        let last = first;
        for (const m of found) {
          if (m.field === first.field && m.first <= last.last && m.last > last.last) last = m;
        }
        return evidenceOf(p, first, last === first ? undefined : last);
      });
    }
    case "near": {
      const a = table.addAll(rule.first);
      const b = table.addAll(rule.second);
      const context = table.addAll(rule.context);
      return guard((p) => {
        // Cheap first: both groups (and the context) must have matched at all.
        if (!anyMatched(p, b) || (context.length > 0 && !anyMatched(p, context))) return null;
        const firsts = liveMatches(p, a, ex);
        if (firsts.length === 0) return null;
        const seconds = liveMatches(p, b, ex);
        for (const x of firsts) {
          for (const y of seconds) {
            if (x.field !== y.field || !sameSentence(p, x, y)) continue;
            const gap = Math.max(x.first, y.first) - Math.min(x.last, y.last) - 1;
            if (gap >= 0 && gap <= rule.window) return evidenceOf(p, x, y);
          }
        }
        return null;
      });
    }
    case "together": {
      const groups = rule.groups.map((g) => table.addAll(g));
      return guard((p) => {
        if (!groups.every((group) => anyMatched(p, group))) return null;
        const picks: Match[] = [];
        for (const group of groups) {
          const [first] = liveMatches(p, group, ex);
          if (!first) return null;
          picks.push(first);
        }
        const parts = picks.map((m) => evidenceOf(p, m));
        const head = parts[0] as Evidence;
        return {
          evidence: parts.map((e) => e.evidence).join(" … "),
          field: head.field,
          start: head.start,
          end: head.end,
        };
      });
    }
    case "missing": {
      const when = table.addAll(rule.when);
      const required = table.addAll(rule.required);
      const categories = rule.whenCategories.map(foldText).filter((c) => c !== "");
      return guard((p) => {
        // "không nhắc đến nhãn hàng hợp tác" is no disclosure.
        if (matchesOf(p, required).some((m) => !negatedWithin(p, m, 8))) return null;
        const [trigger] = liveMatches(p, when, ex);
        if (trigger) return evidenceOf(p, trigger);
        const category = p.item.category ?? "";
        if (categories.some((c) => p.category.includes(c))) {
          return { evidence: category, field: "category", start: null, end: null };
        }
        return null;
      });
    }
    case "price": {
      const excluded = table.addAll(rule.excluded);
      const excludedAnywhere = table.addAll(rule.excludedAnywhere);
      const unlessNew = table.addAll(rule.excludedUnlessNew);
      const newGoods = table.addAll(rule.newGoods);
      return guard((p) => {
        const reference = catalogueLookup(p);
        if (!reference) return null;
        if (matchesOf(p, excluded).some((m) => m.field === 0 && !accompanied(p, m))) return null;
        // "chưa qua sử dụng" (never used) is not "qua sử dụng" (used).
        if (
          matchesOf(p, excludedAnywhere).some((m) => !negated(p, m) && !amountWord(p, m) && !afterPrice(p, m))
        )
          return null;
        if (matchesOf(p, unlessNew).length > 0 && matchesOf(p, newGoods).length === 0) return null;
        let price: number | null = p.item.price ?? null;
        let place: Evidence | null = null;
        if (price === null || price === undefined) {
          for (const [index, text] of p.texts.entries()) {
            const [mention] = findPrices(text);
            if (mention) {
              price = mention.value;
              place = {
                evidence: text.slice(mention.start, mention.end),
                field: FIELD_NAMES[index] ?? "text",
                start: mention.start,
                end: mention.end,
              };
              break;
            }
          }
        }
        if (price === null || price <= 0 || price >= rule.maxRatio * reference.price) return null;
        const values = {
          price: formatVnd(price),
          reference: formatVnd(reference.price),
          product: reference.name,
          ratio: `${Math.round((price / reference.price) * 100)}%`,
        };
        return {
          ...(place ?? { evidence: formatVnd(price), field: "price", start: null, end: null }),
          values,
        };
      });
    }
    case "seller-watch": {
      const names = new Map(rule.entries.map((e) => [foldText(e.name), e]));
      return guard((p) => {
        const seller = p.item.seller;
        if (!seller) return null;
        const entry = names.get(foldShort(seller));
        if (!entry) return null;
        return {
          evidence: seller,
          field: "seller",
          start: null,
          end: null,
          values: { note: entry.note, seller },
        };
      });
    }
    case "product-watch": {
      const notes = new Map<number, string>();
      for (const entry of rule.entries) {
        const id = table.add(entry.name);
        if (!notes.has(id)) notes.set(id, entry.note);
      }
      const ids = [...notes.keys()];
      const context = table.addAll(rule.context);
      return guard((p) => {
        const [mention] = liveMatches(p, ids, ex);
        if (!mention) return null;
        if (context.length > 0 && matchesOf(p, context).length === 0) return null;
        const at = evidenceOf(p, mention);
        return { ...at, values: { note: notes.get(mention.phrase) ?? "" } };
      });
    }
    case "lookalike": {
      const isPair = (b: string) => /\s/.test(b.trim());
      const twoWords = rule.brands.filter(isPair);
      const near = lookalikeIndex(
        rule.brands.filter((b) => !isPair(b)),
        rule.allowed,
      );
      const nearPair = twoWords.length > 0 ? lookalikeIndex(twoWords, rule.allowed) : undefined;
      return guard((p) => {
        const title = p.fields[0];
        const text = p.texts[0];
        for (let i = 0; i < title.length; i++) {
          const token = title[i] as Token;
          // A two-word brand ("north face") is looked up as two Latin words of the title, one space apart.
          const next = nearPair ? title[i + 1] : undefined;
          const pair =
            nearPair &&
            next &&
            next.start === token.end + 1 &&
            LATIN_PAIR.test(text.slice(token.start, next.end))
              ? nearPair(token.bare + next.bare)
              : undefined;
          const brand = pair ?? near(token.bare);
          if (brand === undefined) continue;
          const end = pair && next ? next.end : token.end;
          const evidence = text.slice(token.start, end);
          return { evidence, field: "title", start: token.start, end, values: { brand } };
        }
        return null;
      });
    }
    case "discount": {
      const markers = table.addAll(rule.markers);
      return guard((p) => {
        for (const marker of liveMatches(p, markers, ex)) {
          const tokens = p.fields[marker.field] as Token[];
          const text = p.texts[marker.field] as string;
          const after = (tokens[marker.last] as Token).end;
          const [original, next] = findPrices(text.slice(after));
          if (!original || original.start > 40) continue;
          // The price asked: the item's own, else the next price written after the "original" one.
          const asked = p.item.price ?? next?.value;
          if (!asked || asked <= 0 || asked > rule.maxRatio * original.value) continue;
          const start = (tokens[marker.first] as Token).start;
          const end = after + original.end;
          return {
            evidence: text.slice(start, end),
            field: FIELD_NAMES[marker.field] ?? "text",
            start,
            end,
            values: {
              original: formatVnd(original.value),
              price: formatVnd(asked),
              ratio: `${Math.round((asked / original.value) * 100)}%`,
            },
          };
        }
        return null;
      });
    }
    case "brand-watch": {
      const brands = rule.brands.map((b) => ({
        ids: table.addAll([b.brand]),
        authorised: b.authorisedSellers.map(foldText),
      }));
      const claims = table.addAll(rule.claims);
      return guard((p) => {
        const seller = p.item.seller ? foldShort(p.item.seller) : "";
        if (seller === "") return null;
        if (liveMatches(p, claims, ex).length === 0) return null;
        for (const brand of brands) {
          const [mention] = matchesOf(p, brand.ids).filter((m) => m.field === 0);
          if (!mention) continue;
          if (brand.authorised.some((a) => seller === a || ` ${seller} `.includes(` ${a} `))) continue;
          const at = evidenceOf(p, mention);
          return { ...at, values: { seller: p.item.seller ?? "" } };
        }
        return null;
      });
    }
  }
}

/** Two words of Latin letters only, one space apart ("North Fase", not "hơn mà"). */
const LATIN_PAIR = /^[A-Za-z]{3,} [A-Za-z]{3,}$/;

/**
 * Words one edit away from a brand (one letter left out, added, changed, or two neighbours swapped), found
 * through deletion neighbourhoods (a word and a brand one edit apart share a form with at most one letter
 * deleted) and then confirmed letter by letter. A handful of map lookups per title word. A brand of two
 * words ("north face") is kept joined, and its index is asked for two title words joined.
 */
function lookalikeIndex(
  brands: readonly string[],
  allowed: readonly string[],
): (word: string) => string | undefined {
  const exact = new Map<string, string>();
  const byDeletion = new Map<string, string[]>();
  const deletionsOf = (w: string) => {
    const out: string[] = [];
    for (let i = 0; i < w.length; i++) out.push(w.slice(0, i) + w.slice(i + 1));
    return out;
  };
  // Spelled the way it sounds ("addidaz", "kasio"): the same skeleton as the brand's, for brands of five
  // letters or more.
  const bySkeleton = new Map<string, string>();
  // Three-letter brands ("jbl", "mlb") only with a letter swapped for its look-alike ("jbi").
  const threeLetter = new Map<string, string>();
  const bySkeletonDeletion = new Map<string, string[]>();
  for (const name of brands) {
    const bare = foldText(name).replace(/\s+/g, "");
    if (bare.length === 3) threeLetter.set(bare, name);
    if (bare.length < 4) continue;
    exact.set(bare, name);
    const skeleton = skeletonOf(bare);
    if (skeleton.length >= 5 && !bySkeleton.has(skeleton)) bySkeleton.set(skeleton, bare);
    if (skeleton.length >= LONG_BRAND && bySkeleton.get(skeleton) === bare) {
      for (const d of [skeleton, ...deletionsOf(skeleton)]) {
        const list = bySkeletonDeletion.get(d);
        if (list) list.push(skeleton);
        else bySkeletonDeletion.set(d, [skeleton]);
      }
    }
    for (const d of [bare, ...deletionsOf(bare)]) {
      const list = byDeletion.get(d);
      if (list) list.push(bare);
      else byDeletion.set(d, [bare]);
    }
  }
  const skip = new Set([...exact.keys(), ...allowed.map((w) => foldText(w).replace(/\s+/g, ""))]);
  // Words repeat across titles: each one's answer is kept, up to a bound.
  const answers = new Map<string, string | null>();
  return (word) => {
    let answer = answers.get(word);
    if (answer === undefined) {
      if (answers.size >= 50_000) answers.clear();
      answer = lookup(word) ?? null;
      answers.set(word, answer);
    }
    return answer ?? undefined;
  };
  function lookup(word: string): string | undefined {
    if (word.length <= 4 && !skip.has(word) && !threeLetter.has(word) && /^[a-z]+$/.test(word)) {
      // "jbi" for JBL, and "jbll": the letter doubled.
      const single = word.replace(/(.)\1+/g, "$1");
      for (const [brand, name] of threeLetter) {
        if ((word.length === 3 && lookAlikeSwap(word, brand)) || (single !== word && single === brand))
          return name;
      }
    }
    if (word.length < 4 || word.length > 31 || skip.has(word) || !/^[a-z]+$/.test(word)) return undefined;
    // A plural ("omegas", "casios") names the brand itself; a brand that already ends in "s" has none
    // ("adidass", "philipss" are lookalikes).
    const singular = word.slice(0, -1);
    if (word.endsWith("s") && !singular.endsWith("s") && exact.has(singular)) return undefined;
    for (const d of [word, ...deletionsOf(word)]) {
      for (const brand of byDeletion.get(d) ?? []) {
        // Of a four-letter brand only a letter added, or a letter swapped for its look-alike ("nlke"):
        // four-letter words one change away abound.
        const short = brand.length < 5 || word.length < 5;
        if (short && word.length !== brand.length + 1 && !lookAlikeSwap(word, brand)) continue;
        if (oneEditApart(word, brand)) return exact.get(brand);
      }
    }
    if (word.length >= 5) {
      const skeleton = skeletonOf(word);
      const brand = bySkeleton.get(skeleton);
      if (brand !== undefined && brand !== word) return exact.get(brand);
      // A long brand may be spelled the way it sounds and one letter off besides ("louis vuiten",
      // "chanelle"): one edit from its skeleton.
      for (const d of [skeleton, ...deletionsOf(skeleton)]) {
        for (const long of bySkeletonDeletion.get(d) ?? []) {
          if (skeleton[0] === long[0] && oneEditApart(skeleton, long)) {
            return exact.get(bySkeleton.get(long) as string);
          }
        }
      }
    }
    return undefined;
  }
}

/** Brands this long (as they sound) may be one more letter off. */
const LONG_BRAND = 8;

/** How a word sounds: doubled letters once, and z, k, y, ph, w written as s, c, i, f, v. */
function skeletonOf(word: string): string {
  return word
    .replace(/ph/g, "f")
    .replace(/z/g, "s")
    .replace(/k/g, "c")
    .replace(/y/g, "i")
    .replace(/w/g, "v")
    .replace(/(.)\1+/g, "$1");
}

/** Letters that pass for each other in a logo or in speech: l for i, v for u, y for i. */
const LOOK_ALIKE = new Set(["il", "li", "uv", "vu", "yi", "iy"]);
function lookAlikeSwap(word: string, brand: string): boolean {
  if (word.length !== brand.length) return false;
  let swaps = 0;
  for (let i = 0; i < word.length; i++) {
    if (word[i] === brand[i]) continue;
    if (!LOOK_ALIKE.has(`${word[i]}${brand[i]}`)) return false;
    swaps++;
  }
  return swaps === 1;
}

/** Two different words one insertion, deletion, substitution or swap of neighbours apart. */
function oneEditApart(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/**
 * Compiles a rule set: every phrase of every rule (and of the price catalogue) goes into one matcher;
 * evaluating an item then tokenises its title and text once, finds all phrases in one pass, and runs each
 * rule's check over those matches.
 */
export function compileRuleSet(ruleSet: RuleSet, options: CompileOptions = {}): CompiledRuleSet {
  const table = new PhraseTable();
  const catalogueLookup = compileCatalogue(table, ruleSet.catalogue);
  const rules: CompiledRule[] = ruleSet.rules.map((rule) => ({
    rule,
    check: compileRule(table, rule, catalogueLookup),
    triggers: triggersOf(table, rule, ruleSet.catalogue),
  }));
  const matcher = createMatcher(options.matcher ?? "automaton", table.list);
  // Which rules each phrase can trigger; rules without triggers are always checked.
  const rulesByPhrase = new Map<number, number[]>();
  const alwaysChecked: number[] = [];
  rules.forEach(({ triggers }, index) => {
    if (triggers === null) {
      alwaysChecked.push(index);
      return;
    }
    for (const id of triggers) {
      const list = rulesByPhrase.get(id);
      if (list) {
        if (!list.includes(index)) list.push(index);
      } else rulesByPhrase.set(id, [index]);
    }
  });

  function prepareItem(item: FlagItem): Prepared {
    const texts: [string, string] = [prepare(item.title), prepare(item.text ?? "")];
    const fields: [Token[], Token[]] = [tokenize(texts[0]), tokenize(texts[1])];
    const byPhrase = new Map<number, Match[]>();
    for (const m of matcher.find(fields)) {
      const list = byPhrase.get(m.phrase);
      if (list) list.push(m);
      else byPhrase.set(m.phrase, [m]);
    }
    let category: string | undefined;
    const prepared: Prepared = {
      item,
      texts,
      fields,
      byPhrase,
      get category() {
        category ??= foldShort(item.category ?? "");
        return category;
      },
    };
    return prepared;
  }

  function evaluate(item: FlagItem): Decision {
    const prepared = prepareItem(item);
    const { byPhrase } = prepared;
    const reasons: Reason[] = [];
    const due = new Uint8Array(rules.length);
    for (const index of alwaysChecked) due[index] = 1;
    for (const id of byPhrase.keys()) {
      const list = rulesByPhrase.get(id);
      if (list) for (const index of list) due[index] = 1;
    }
    for (let index = 0; index < rules.length; index++) {
      if (due[index] === 0) continue;
      const { rule, check } = rules[index] as CompiledRule;
      const found = check(prepared);
      if (!found) continue;
      const { values, ...evidence } = found;
      reasons.push({
        rule: rule.id,
        ...evidence,
        legalBasis: rule.legalBasis,
        version: rule.version,
        agency: rule.agency,
        ...(rule.flagType ? { flagType: rule.flagType } : {}),
        weight: rule.weight,
        explanation: fill(rule.explanation, { ...values, evidence: evidence.evidence, rule: rule.title }),
      });
    }
    return decide(item.id, reasons, ruleSet);
  }

  return {
    version: ruleSet.version,
    threshold: ruleSet.threshold,
    ruleCount: rules.length,
    phraseCount: table.list.length,
    evaluate,
    referencePrice: (item: FlagItem) => catalogueLookup(prepareItem(item)),
  };
}

/**
 * Score: reasons combine as independent evidence (1 − ∏(1 − weight)), so two weak signals together
 * outweigh one. The owning agency is the one whose reasons weigh most; ties go to the first such reason.
 */
function decide(id: string, reasons: Reason[], ruleSet: RuleSet): Decision {
  let miss = 1;
  const byAgency = new Map<AgencyCode, number>();
  for (const reason of reasons) {
    miss *= 1 - reason.weight;
    byAgency.set(reason.agency, (byAgency.get(reason.agency) ?? 0) + reason.weight);
  }
  const score = Math.round((1 - miss) * 1000) / 1000;
  let agency: AgencyCode | null = null;
  let best = 0;
  for (const reason of reasons) {
    const weight = byAgency.get(reason.agency) ?? 0;
    if (weight > best) {
      best = weight;
      agency = reason.agency;
    }
  }
  const flagged = score >= ruleSet.threshold;
  // Reasons strongest first: what a reviewer reads first.
  reasons.sort((a, b) => b.weight - a.weight);
  return { id, flagged, score, agency: flagged ? agency : null, reasons, ruleSetVersion: ruleSet.version };
}
