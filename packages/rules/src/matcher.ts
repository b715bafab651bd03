import { type PhraseWords, phraseWords, type Token, wordMatches } from "./normalize";

/** A phrase found in a field: token indices, inclusive. */
export interface Match {
  phrase: number;
  field: number;
  first: number;
  last: number;
}

export interface Matcher {
  /** Every occurrence of every phrase in every field (fields never run into each other). */
  find(fields: readonly Token[][]): Match[];
}

export type MatcherKind = "automaton" | "naive";

interface Node {
  next: Map<string, Node>;
  any: Node | undefined;
  ends: number[];
}

const node = (): Node => ({ next: new Map(), any: undefined, ends: [] });

function verify(phrase: PhraseWords, tokens: readonly Token[], first: number): boolean {
  for (let k = 0; k < phrase.words.length; k++) {
    const word = phrase.words[k] as PhraseWords["words"][number];
    if (word.any) continue;
    if (!wordMatches(word, tokens[first + k] as Token, phrase.strict)) return false;
  }
  return true;
}

function byPosition(a: Match, b: Match): number {
  return a.field - b.field || a.first - b.first || a.last - b.last || a.phrase - b.phrase;
}

/**
 * The compiled matcher: one trie over the bare words of every phrase of the whole rule set, walked once
 * from each word of the text. Most words are not the first word of any phrase, so the walk costs about
 * one map lookup per word, however many phrases the rules hold.
 */
export function automatonMatcher(phrases: readonly PhraseWords[]): Matcher {
  const root = node();
  phrases.forEach((phrase, id) => {
    if (phrase.words.length === 0) return;
    let at = root;
    for (const word of phrase.words) {
      if (word.any) {
        at.any ??= node();
        at = at.any;
        continue;
      }
      let child = at.next.get(word.bare);
      if (!child) {
        child = node();
        at.next.set(word.bare, child);
      }
      at = child;
    }
    at.ends.push(id);
  });

  function walk(at: Node, tokens: readonly Token[], field: number, first: number, j: number, out: Match[]) {
    for (const id of at.ends) {
      if (verify(phrases[id] as PhraseWords, tokens, first))
        out.push({ phrase: id, field, first, last: j - 1 });
    }
    const token = tokens[j];
    if (token === undefined) return;
    const child = at.next.get(token.bare);
    if (child) walk(child, tokens, field, first, j + 1, out);
    if (at.any) walk(at.any, tokens, field, first, j + 1, out);
  }

  return {
    find(fields) {
      const out: Match[] = [];
      fields.forEach((tokens, field) => {
        for (let i = 0; i < tokens.length; i++) {
          const child = root.next.get((tokens[i] as Token).bare);
          if (child) walk(child, tokens, field, i, i + 1, out);
        }
      });
      return out.sort(byPosition);
    },
  };
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The baseline the benchmark compares with: one regular expression per phrase, each run over the folded
 * text of every field. Same tokenisation and the same diacritics check, so it finds exactly the same
 * matches; only the cost grows with the number of phrases.
 */
export function naiveMatcher(phrases: readonly PhraseWords[]): Matcher {
  const compiled = phrases.map((phrase) =>
    phrase.words.length === 0
      ? null
      : new RegExp(
          `(?<=^| )${phrase.words.map((w) => (w.any ? "[^ ]+" : escapeRegExp(w.bare))).join(" ")}(?= |$)`,
          "g",
        ),
  );
  return {
    find(fields) {
      const out: Match[] = [];
      fields.forEach((tokens, field) => {
        let text = "";
        const tokenAt = new Map<number, number>();
        tokens.forEach((token, index) => {
          if (index > 0) text += " ";
          tokenAt.set(text.length, index);
          text += token.bare;
        });
        compiled.forEach((re, id) => {
          if (!re) return;
          const phrase = phrases[id] as PhraseWords;
          re.lastIndex = 0;
          for (let m = re.exec(text); m !== null; m = re.exec(text)) {
            const first = tokenAt.get(m.index);
            if (first !== undefined && verify(phrase, tokens, first)) {
              out.push({ phrase: id, field, first, last: first + phrase.words.length - 1 });
            }
            re.lastIndex = m.index + 1;
          }
        });
      });
      return out.sort(byPosition);
    },
  };
}

export function createMatcher(kind: MatcherKind, phrases: readonly string[]): Matcher {
  const words = phrases.map(phraseWords);
  return kind === "naive" ? naiveMatcher(words) : automatonMatcher(words);
}
