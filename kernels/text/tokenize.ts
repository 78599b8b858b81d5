// Word tokenizers of the `text` kernel. Each reads code points [s, e) of `src`, writes the
// normalized code points of its tokens to `out` and one (start, length) pair per token to `spans`.
// See verifiers/text/README.md ("Tokenization").

import { isAsciiPunct, isCjk, isInvisible, isPunct, isSpace, IntList, lowerCodePoint } from "../_lib/unicode";

/** Tokenizer kinds (the `tokenize` option; 13a, zh and none are BLEU's, in sacrebleu.ts). */
export enum Tokenizer {
  Unicode,
  Whitespace,
  Char,
  Squad,
}

/** The tokenizer named by the `tokenize` option. */
export function tokenizerOf(name: string): Tokenizer {
  if (name == "whitespace") return Tokenizer.Whitespace;
  if (name == "char") return Tokenizer.Char;
  if (name == "squad") return Tokenizer.Squad;
  return Tokenizer.Unicode;
}

@inline function lowered(c: i32, lower: bool): i32 {
  if (!lower) return c;
  if (c < 0x80) return c >= 0x41 && c <= 0x5a ? c + 32 : c;
  return lowerCodePoint(c);
}

// A word character of the unicode tokenizer: not whitespace, punctuation, a symbol or invisible.
@inline function isWordChar(c: i32): bool {
  if (c < 0x80) return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
  return !isSpace(c) && !isPunct(c) && !isInvisible(c);
}

/** Appends the tokens of src[s, e) to `out` and their spans to `spans`; returns how many. */
export function tokenize(kind: Tokenizer, src: IntList, s: i32, e: i32, lower: bool, out: IntList, spans: IntList): i32 {
  const before = spans.len;
  if (kind == Tokenizer.Squad) {
    squadTokens(src, s, e, lower, out, spans);
    return (spans.len - before) >> 1;
  }
  // at most one token per code point: room reserved once, then plain stores through raw pointers
  out.reserve(e - s);
  spans.reserve(2 * (e - s));
  const from = src.data.dataStart;
  const to = out.data.dataStart;
  const sp = spans.data.dataStart;
  const unicode = kind == Tokenizer.Unicode;
  const perChar = kind == Tokenizer.Char;
  let n = out.len;
  let m = spans.len;
  let tokenStart = -1;
  for (let i = s; i < e; i++) {
    const c = lowered(load<i32>(from + (<usize>i << 2)), lower);
    const word = unicode ? isWordChar(c) : !isSpace(c);
    if (word && (perChar || (unicode && c >= 0x3040 && isCjk(c)))) {
      if (tokenStart >= 0) {
        store<i32>(sp + (<usize>m << 2), tokenStart);
        store<i32>(sp + (<usize>(m + 1) << 2), n - tokenStart);
        m += 2;
      }
      tokenStart = -1;
      store<i32>(sp + (<usize>m << 2), n);
      store<i32>(sp + (<usize>(m + 1) << 2), 1);
      m += 2;
      store<i32>(to + (<usize>n << 2), c);
      n++;
      continue;
    }
    if (word) {
      if (tokenStart < 0) tokenStart = n;
      store<i32>(to + (<usize>n << 2), c);
      n++;
    } else if (tokenStart >= 0) {
      store<i32>(sp + (<usize>m << 2), tokenStart);
      store<i32>(sp + (<usize>(m + 1) << 2), n - tokenStart);
      m += 2;
      tokenStart = -1;
    }
  }
  if (tokenStart >= 0) {
    store<i32>(sp + (<usize>m << 2), tokenStart);
    store<i32>(sp + (<usize>(m + 1) << 2), n - tokenStart);
    m += 2;
  }
  out.len = n;
  spans.len = m;
  return (spans.len - before) >> 1;
}

function close(out: IntList, spans: IntList, start: i32): void {
  spans.push(start);
  spans.push(out.len - start);
}

// SQuAD v1.1's normalize_answer then split(): lowercase, delete ASCII punctuation, replace the
// words a, an, the by a space, split on whitespace.
function squadTokens(src: IntList, s: i32, e: i32, lower: bool, out: IntList, spans: IntList): void {
  const text = new IntList(e - s + 1);
  for (let i = s; i < e; i++) {
    const c = lowered(src.at(i), lower);
    if (!isAsciiPunct(c)) text.push(c);
  }
  // article words are maximal runs of word characters (Python's \b … \b)
  let tokenStart = -1;
  let i = 0;
  while (i < text.len) {
    const c = text.at(i);
    if (isSpace(c)) {
      if (tokenStart >= 0) close(out, spans, tokenStart);
      tokenStart = -1;
      i++;
      continue;
    }
    if (isPythonWord(c)) {
      let j = i;
      while (j < text.len && isPythonWord(text.at(j))) j++;
      if (isArticle(text, i, j)) {
        if (tokenStart >= 0) close(out, spans, tokenStart);
        tokenStart = -1;
      } else {
        if (tokenStart < 0) tokenStart = out.len;
        for (let k = i; k < j; k++) out.push(text.at(k));
      }
      i = j;
      continue;
    }
    if (tokenStart < 0) tokenStart = out.len;
    out.push(c);
    i++;
  }
  if (tokenStart >= 0) close(out, spans, tokenStart);
}

@inline function isPythonWord(c: i32): bool {
  if (c < 0x80) return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c == 0x5f;
  return !isSpace(c) && !isPunct(c) && !isInvisible(c);
}

function isArticle(t: IntList, i: i32, j: i32): bool {
  const n = j - i;
  if (n == 1) return t.at(i) == 0x61;
  if (n == 2) return t.at(i) == 0x61 && t.at(i + 1) == 0x6e;
  if (n == 3) return t.at(i) == 0x74 && t.at(i + 1) == 0x68 && t.at(i + 2) == 0x65;
  return false;
}

/**
 * The code points of src[s, e) for the character metrics (cer, edit_similarity): surrounding
 * whitespace stripped, optionally lowercased and without punctuation; appended to `out`.
 */
export function charSequence(src: IntList, s: i32, e: i32, lower: bool, removePunct: bool, out: IntList): void {
  let a = s;
  let b = e;
  while (a < b && isSpace(src.at(a))) a++;
  while (b > a && isSpace(src.at(b - 1))) b--;
  for (let i = a; i < b; i++) {
    const c = lowered(src.at(i), lower);
    if (removePunct && isPunct(c)) continue;
    out.push(c);
  }
}

/** Code points with punctuation deleted (wer's punctuation: "remove"), appended to `out`. */
export function withoutPunct(src: IntList, s: i32, e: i32, out: IntList): void {
  for (let i = s; i < e; i++) {
    const c = src.at(i);
    if (!isPunct(c)) out.push(c);
  }
}
