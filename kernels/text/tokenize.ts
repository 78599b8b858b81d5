// Word tokenizers of the `text` kernel. Each reads code points [s, e) of `src` and gives each token
// an id (interned as it ends, its normalized code points kept once). See verifiers/text/README.md
// ("Tokenization").

import { isAsciiPunct, isCjk, isInvisible, isPunct, isSpace, IntList, lowerCodePoint } from "../_lib/unicode";
import { asciiWordBytes, lowerAscii } from "./ascii_tokens";
import { HASH_START, hashStep, Interner } from "./intern";

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

// The ASCII classes of the word tokenizers, 128 u16 entries for each of (unicode or not) × (lowercase or not):
// 0x100 | the normalized character for a word character, 0 for a separator. Filled once, in static memory (not on
// the heap, which every item resets).
const ASCII_CLASSES: usize = memory.data(4 * 128 * 2);
let asciiClassesReady = false;

function asciiClasses(unicode: bool, lower: bool): usize {
  if (!asciiClassesReady) {
    for (let t = 0; t < 4; t++) {
      for (let c = 0; c < 128; c++) {
        const word = (t & 2) != 0 ? isWordChar(c) : !isSpace(c);
        store<u16>(ASCII_CLASSES + (<usize>(t * 128 + c) << 1), word ? 0x100 | lowered(c, (t & 1) != 0) : 0);
      }
    }
    asciiClassesReady = true;
  }
  return ASCII_CLASSES + (<usize>((unicode ? 2 : 0) | (lower ? 1 : 0)) << 8);
}

// The key of a token of at most eight ASCII code points (no NUL) at p, as Interner.internShort takes it; 0 when
// the token has none (longer, or another code point).
@inline function shortKey(p: usize, len: i32): u64 {
  if (len > 8) return 0;
  let key: u64 = 0;
  for (let k = 0; k < len; k++) {
    const c = load<i32>(p + (<usize>k << 2));
    if (<u32>(c - 1) >= 0x7f) return 0;
    key |= <u64>c << (<u64>k << 3);
  }
  return key;
}

// Ends the token of normalized code points out[start, end) hashed to `h`: appends its id to `ids` at `m`; returns
// where the next token's code points go (`start` again when the token was already known or short: its copy is
// dropped). A token with a short key is interned by it, as the fast paths do.
@inline function closeToken(interner: Interner, start: i32, end: i32, h: u32, idp: usize, m: i32): i32 {
  const len = end - start;
  const key = shortKey(interner.symbols.dataStart + (<usize>start << 2), len);
  if (key != 0) {
    store<i32>(idp + (<usize>m << 2), interner.internShort(key));
    return start;
  }
  const before = interner.count;
  const id = interner.internHashed(start, len, h);
  store<i32>(idp + (<usize>m << 2), id);
  return id < before ? start : end;
}

// The fast path of the unicode and whitespace tokenizers reads eight code points at a time as eight bytes.
const ONES: u64 = 0x0101010101010101;
const HIGHS: u64 = 0x8080808080808080;

// Two code points below 0x80 (one u64 of the list) as two bytes.
@inline function pack2(x: u64): u64 {
  return (x & 0xff) | ((x >> 24) & 0xff00);
}

// Code points i … i + 7 of the list at `from` as the bytes of a u64 (the first in the low byte): a code point
// that is not ASCII, or is NUL, reads 0x80 (a stop: the per-code-point path takes it); past `e`, a space.
@inline function window(from: usize, i: i32, e: i32): u64 {
  const p = from + (<usize>i << 2);
  if (i + 8 <= e) {
    const a = load<u64>(p);
    const b = load<u64>(p, 8);
    const c = load<u64>(p, 16);
    const d = load<u64>(p, 24);
    if (((a | b | c | d) & 0xffffff80ffffff80) == 0) {
      const w = pack2(a) | (pack2(b) << 16) | (pack2(c) << 32) | (pack2(d) << 48);
      if (((w - ONES) & ~w & HIGHS) == 0) return w; // no NUL
    }
  }
  return windowSlow(p, e - i);
}

function windowSlow(p: usize, left: i32): u64 {
  let w: u64 = 0;
  for (let k = 0; k < 8; k++) {
    let c = 0x20;
    if (k < left) {
      c = load<i32>(p + (<usize>k << 2));
      if (<u32>(c - 1) >= 0x7f) c = 0x80;
    }
    w |= <u64>c << (<u64>k << 3);
  }
  return w;
}

// The high bit of each byte of w (ASCII or 0x80) that is a word character (asciiWordBytes); stops (0x80) are not.
@inline function wordBytes(w: u64, unicode: bool): u64 {
  return asciiWordBytes(w & ~HIGHS, unicode) & ~(w & HIGHS);
}

/**
 * Appends the ids of the tokens of src[s, e) to `ids`, interning each as it ends. The normalized code points of
 * new tokens stay in `out` (the interner's symbols); a token already known takes no room. Returns how many.
 */
export function tokenIds(
  kind: Tokenizer,
  src: IntList,
  s: i32,
  e: i32,
  lower: bool,
  out: IntList,
  interner: Interner,
  ids: IntList,
): i32 {
  const before = ids.len;
  if (kind == Tokenizer.Squad) {
    const spans = new IntList(64);
    squadTokens(src, s, e, lower, out, spans);
    interner.symbols = out.data;
    const at = out.data.dataStart;
    for (let k = 0; k < spans.len; k += 2) {
      const start = spans.at(k);
      const len = spans.at(k + 1);
      const key = shortKey(at + (<usize>start << 2), len);
      ids.push(key != 0 ? interner.internShort(key) : interner.intern(start, len));
    }
    return ids.len - before;
  }
  // at most one token per code point: room reserved once, then plain stores through raw pointers
  out.reserve(e - s);
  ids.reserve(e - s);
  interner.symbols = out.data;
  const from = src.data.dataStart;
  const to = out.data.dataStart;
  const idp = ids.data.dataStart;
  const unicode = kind == Tokenizer.Unicode;
  const perChar = kind == Tokenizer.Char;
  const ascii = asciiClasses(unicode, lower);
  let n = out.len;
  let m = ids.len;
  let tokenStart = -1;
  let h = HASH_START;
  let i = s;
  const fast = !perChar;
  while (i < e) {
    if (fast && tokenStart < 0) {
      // Eight code points at a time: skip ASCII separators, take a whole token of at most seven ASCII code
      // points followed by an ASCII separator. Anything else (a stop, a longer token) goes on below.
      const w = window(from, i, e);
      const word = wordBytes(w, unicode);
      const stop = w & HIGHS;
      const at = <i32>(ctz(word | stop) >> 3); // separators first
      if (at == 8) {
        i += 8;
        continue;
      }
      if ((stop >> (<u64>at << 3)) & 0x80) {
        i += at;
      } else {
        const end = <i32>(ctz(~word & HIGHS & (~(<u64>0) << (<u64>at << 3))) >> 3);
        if (end < 8 && ((stop >> (<u64>end << 3)) & 0x80) == 0) {
          const x = lower ? lowerAscii(w & ~HIGHS) : w;
          const key = (x >> (<u64>at << 3)) & ((<u64>1 << (<u64>(end - at) << 3)) - 1);
          store<i32>(idp + (<usize>m << 2), interner.internShort(key));
          m++;
          i += end;
          continue;
        }
        i += at;
        // a token reaching the window's end: read it again from its start (unless it starts the window)
        if (at > 0 && end == 8) continue;
      }
      if (i >= e) break;
    }
    let c = load<i32>(from + (<usize>i << 2));
    let word: bool;
    if (c < 0x80) {
      let v = <i32>load<u16>(ascii + (<usize>c << 1));
      if (v != 0 && !perChar) {
        // a run of ASCII word characters, in one tight loop
        if (tokenStart < 0) {
          tokenStart = n;
          h = HASH_START;
        }
        do {
          c = v & 0x7f;
          store<i32>(to + (<usize>n << 2), c);
          h = hashStep(h, c);
          n++;
          if (++i == e) break;
          c = load<i32>(from + (<usize>i << 2));
          v = c < 0x80 ? <i32>load<u16>(ascii + (<usize>c << 1)) : 0x200;
        } while (v & 0x100);
        continue;
      }
      word = v != 0;
      c = v & 0x7f;
      i++;
    } else {
      i++;
      c = lowered(c, lower);
      word = unicode ? isWordChar(c) : !isSpace(c);
    }
    if (word && (perChar || (unicode && c >= 0x3040 && isCjk(c)))) {
      if (tokenStart >= 0) n = closeToken(interner, tokenStart, n, h, idp, m++);
      tokenStart = -1;
      store<i32>(to + (<usize>n << 2), c);
      n = closeToken(interner, n, n + 1, hashStep(HASH_START, c), idp, m++);
      continue;
    }
    if (word) {
      if (tokenStart < 0) {
        tokenStart = n;
        h = HASH_START;
      }
      store<i32>(to + (<usize>n << 2), c);
      h = hashStep(h, c);
      n++;
    } else if (tokenStart >= 0) {
      n = closeToken(interner, tokenStart, n, h, idp, m++);
      tokenStart = -1;
    }
  }
  if (tokenStart >= 0) n = closeToken(interner, tokenStart, n, h, idp, m++);
  out.len = n;
  ids.len = m;
  return m - before;
}

// SQuAD v1.1's normalize_answer then split(): lowercase, delete ASCII punctuation, replace the
// words a, an, the by a space, split on whitespace.
function squadTokens(src: IntList, s: i32, e: i32, lower: bool, out: IntList, spans: IntList): void {
  // pass 1: lowercase, delete ASCII punctuation, and class each code point kept (space, word, other)
  const text = new IntList(e - s + 1);
  const classes = new Uint8Array(e - s + 1);
  const from = src.data.dataStart;
  const tp = text.data.dataStart;
  const cp = classes.dataStart;
  let len = 0;
  const ascii = squadAsciiClasses();
  for (let i = s; i < e; i++) {
    let c = load<i32>(from + (<usize>i << 2));
    let k: u8;
    if (c < 0x80) {
      // one table load instead of a chain of range tests (whose branches the text makes unpredictable)
      k = load<u8>(ascii + <usize>c);
      if (k == SQUAD_DELETE) continue;
      if (lower) c |= <i32>(<u32>(c - 0x41) < 26) << 5;
    } else {
      c = lowered(c, lower);
      k = isSpace(c) ? SQUAD_SPACE : isPythonWord(c) ? SQUAD_WORD : SQUAD_OTHER;
    }
    store<i32>(tp + (<usize>len << 2), c);
    store<u8>(cp + <usize>len, k);
    len++;
  }
  // pass 2: article words are maximal runs of word characters (Python's \b … \b)
  out.reserve(len);
  spans.reserve(2 * len + 2);
  const to = out.data.dataStart;
  const sp = spans.data.dataStart;
  let n = out.len;
  let m = spans.len;
  let tokenStart = -1;
  let i = 0;
  while (i < len) {
    const k = load<u8>(cp + <usize>i);
    if (k == SQUAD_WORD) {
      let j = i + 1;
      while (j < len && load<u8>(cp + <usize>j) == SQUAD_WORD) j++;
      if (!isArticle(tp, i, j)) {
        if (tokenStart < 0) tokenStart = n;
        for (; i < j; i++) {
          store<i32>(to + (<usize>n << 2), load<i32>(tp + (<usize>i << 2)));
          n++;
        }
        continue;
      }
      i = j; // an article separates, like a space
    } else if (k == SQUAD_OTHER) {
      if (tokenStart < 0) tokenStart = n;
      store<i32>(to + (<usize>n << 2), load<i32>(tp + (<usize>i << 2)));
      n++;
      i++;
      continue;
    } else {
      i++;
    }
    if (tokenStart >= 0) {
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
}

/**
 * SQuAD's tokens (squadTokens) of the plain-ASCII bytes [ptr, ptr + len) (every byte in 1…0x7f), in one pass:
 * the same ids as tokenIds gives their code points. A token's characters go to `out` as they come, hashed (an
 * article word, once complete, is taken back and separates); a token of at most eight characters is interned by
 * its key, a longer one by its code points, which stay in `out` when new (closeToken). Returns how many.
 */
export function squadAsciiTokenIds(
  ptr: usize,
  len: i32,
  lower: bool,
  out: IntList,
  interner: Interner,
  ids: IntList,
): i32 {
  const ascii = squadAsciiClasses();
  out.reserve(len);
  ids.reserve((len >> 1) + 1); // tokens are separated: at most one per two bytes, rounded up
  interner.symbols = out.data;
  const to = out.data.dataStart;
  const idp = ids.data.dataStart;
  let n = out.len;
  let m = ids.len;
  const before = m;
  let tokenStart = -1;
  let wordStart = -1;
  let h = HASH_START; // the hash of the token so far
  let hWord = HASH_START; // … before its current run of word characters
  for (let i = 0; i <= len; i++) {
    let c = 0x20;
    let k = SQUAD_SPACE; // the end separates as a space does
    if (i < len) {
      c = <i32>load<u8>(ptr + <usize>i);
      k = load<u8>(ascii + <usize>c);
      if (k == SQUAD_DELETE) continue;
      if (lower) c |= <i32>(<u32>(c - 0x41) < 26) << 5;
    }
    if (k == SQUAD_WORD) {
      if (tokenStart < 0) {
        tokenStart = n;
        h = HASH_START;
      }
      if (wordStart < 0) {
        wordStart = n;
        hWord = h;
      }
      store<i32>(to + (<usize>n << 2), c);
      h = hashStep(h, c);
      n++;
      continue;
    }
    if (wordStart >= 0) {
      // a maximal run of word characters ends here: an article is taken back and separates
      if (isArticle(to, wordStart, n)) {
        n = wordStart;
        if (tokenStart < n) n = closeToken(interner, tokenStart, n, hWord, idp, m++);
        tokenStart = -1;
      }
      wordStart = -1;
    }
    if (k == SQUAD_OTHER) {
      if (tokenStart < 0) {
        tokenStart = n;
        h = HASH_START;
      }
      store<i32>(to + (<usize>n << 2), c);
      h = hashStep(h, c);
      n++;
    } else if (tokenStart >= 0) {
      n = closeToken(interner, tokenStart, n, h, idp, m++);
      tokenStart = -1;
    }
  }
  out.len = n;
  ids.len = m;
  return m - before;
}


// The classes of SQuAD's pass over the text (ASCII punctuation is deleted first).
const SQUAD_SPACE: u8 = 0;
const SQUAD_WORD: u8 = 1;
const SQUAD_OTHER: u8 = 2;
const SQUAD_DELETE: u8 = 3;
// The class of each ASCII character, filled once in static memory (case does not change a class).
const SQUAD_ASCII: usize = memory.data(128);
let squadAsciiReady = false;

function squadAsciiClasses(): usize {
  if (!squadAsciiReady) {
    for (let c = 0; c < 128; c++) {
      const k = isAsciiPunct(c) ? SQUAD_DELETE : isSpace(c) ? SQUAD_SPACE : isPythonWord(c) ? SQUAD_WORD : SQUAD_OTHER;
      store<u8>(SQUAD_ASCII + <usize>c, k);
    }
    squadAsciiReady = true;
  }
  return SQUAD_ASCII;
}

@inline function isPythonWord(c: i32): bool {
  if (c < 0x80) return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c == 0x5f;
  return !isSpace(c) && !isPunct(c) && !isInvisible(c);
}

// Whether the code points tp[i, j) are the word a, an or the.
function isArticle(tp: usize, i: i32, j: i32): bool {
  const n = j - i;
  const p = tp + (<usize>i << 2);
  if (n == 1) return load<i32>(p) == 0x61;
  if (n == 2) return load<i32>(p) == 0x61 && load<i32>(p, 4) == 0x6e;
  if (n == 3) return load<i32>(p) == 0x74 && load<i32>(p, 4) == 0x68 && load<i32>(p, 8) == 0x65;
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
