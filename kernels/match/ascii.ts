// Character classes of the ASCII code points as a 128-byte table in static data (it survives the
// per-item heap reset), built at instantiation from the predicates it stands for, so that it cannot
// disagree with them. The per-character loops of labels and list splitting test a class with one
// load instead of a chain of comparisons; code points from 0x80 on go to the predicates themselves.

import { isPunct, isSpace } from "../_lib/unicode";

/** Python's str.isspace() (`isSpace`). */
export const SPACE: i32 = 1;
/** Punctuation trimmed from a label's ends by punctuation "trim" (`isEndPunct`). */
export const END_PUNCT: i32 = 2;
/** Punctuation and symbols (`isPunct`). */
export const PUNCT: i32 = 4;
/** A–Z. */
export const UPPER: i32 = 8;
/** What a decimal number may be written with: 0–9 + - . e E (a label with no other code point may be a number). */
export const NUMERIC: i32 = 16;

const TABLE: usize = memory.data(128);

/**
 * Punctuation that ends or wraps a phrase (trimmed by punctuation "trim"): . , ; : ! ? quotes,
 * brackets, the ellipsis and their CJK and full-width forms. Not + # * - / & %: "C++" stays "c++".
 */
export function isEndPunct(c: i32): bool {
  if (c < 0x80) {
    return c == 0x2e || c == 0x2c || c == 0x3b || c == 0x3a || c == 0x21 || c == 0x3f || c == 0x22 || c == 0x27 ||
      c == 0x60 || c == 0x28 || c == 0x29 || c == 0x5b || c == 0x5d || c == 0x7b || c == 0x7d;
  }
  return (c >= 0x2018 && c <= 0x201f) || c == 0x2026 || (c >= 0x3001 && c <= 0x3003) || (c >= 0x3008 && c <= 0x3011) ||
    c == 0xff01 || c == 0xff08 || c == 0xff09 || c == 0xff0c || c == 0xff0e || c == 0xff1a || c == 0xff1b ||
    c == 0xff1f || c == 0xab || c == 0xbb || c == 0xbf || c == 0xa1;
}

for (let ch = 0; ch < 128; ch++) {
  let bits = 0;
  if (isSpace(ch)) bits |= SPACE;
  if (isEndPunct(ch)) bits |= END_PUNCT;
  if (isPunct(ch)) bits |= PUNCT;
  if (ch >= 0x41 && ch <= 0x5a) bits |= UPPER;
  if ((ch >= 0x30 && ch <= 0x39) || ch == 0x2b || ch == 0x2d || ch == 0x2e || ch == 0x65 || ch == 0x45) bits |= NUMERIC;
  store<u8>(TABLE + <usize>ch, <u8>bits);
}

/** The class bits of an ASCII code point (c < 0x80). */
@inline export function asciiClass(c: i32): i32 {
  return <i32>load<u8>(TABLE + <usize>c);
}

/** `isSpace`, one load for ASCII. */
@inline export function spaceCp(c: i32): bool {
  return c < 0x80 ? (asciiClass(c) & SPACE) != 0 : isSpace(c);
}

/** `isEndPunct(c) || isSpace(c)`, one load for ASCII. */
@inline export function endPunctOrSpaceCp(c: i32): bool {
  return c < 0x80 ? (asciiClass(c) & (END_PUNCT | SPACE)) != 0 : isEndPunct(c) || isSpace(c);
}

/** `isPunct`, one load for ASCII. */
@inline export function punctCp(c: i32): bool {
  return c < 0x80 ? (asciiClass(c) & PUNCT) != 0 : isPunct(c);
}
