// The unicode and whitespace tokenizers on a text that is plain ASCII (every byte in 1…0x7f), read as bytes:
// a bitmap of its word characters first (eight bytes at a time), then its tokens by scanning that bitmap, each
// interned by its key (at most eight characters) or by its code points. The same ids as tokenIds (tokenize.ts)
// gives the same text; chosen by the caller when the text's bytes are plain ASCII (`isPlainAscii`).

import { IntList } from "../_lib/unicode";
import { HASH_START, hashStep, Interner } from "./intern";

const ONES: u64 = 0x0101010101010101;
const HIGHS: u64 = 0x8080808080808080;

/** True when every byte of [ptr + start, ptr + end) is in 1…0x7f (ASCII without NUL). */
export function isPlainAscii(ptr: usize, start: i32, end: i32): bool {
  let i = start;
  let bad: u64 = 0;
  while (i + 8 <= end) {
    const w = load<u64>(ptr + <usize>i);
    bad |= w | ((w - ONES) & ~w);
    i += 8;
  }
  if ((bad & HIGHS) != 0) return false;
  for (; i < end; i++) {
    const c = <i32>load<u8>(ptr + <usize>i);
    if (c == 0 || c >= 0x80) return false;
  }
  return true;
}

// The high bit of each byte of x (bytes below 0x80) whose value is in [lo, hi].
@inline export function inRange(x: u64, lo: u64, hi: u64): u64 {
  return (x + ONES * (0x80 - lo)) & ~(x + ONES * (0x7f - hi)) & HIGHS;
}

/**
 * The high bit of each byte of w (bytes below 0x80) that is a word character: of the unicode tokenizer,
 * ASCII letters and digits; of the whitespace tokenizer, everything but Python's whitespace.
 */
@inline export function asciiWordBytes(w: u64, unicode: bool): u64 {
  if (unicode) return inRange(w, 0x30, 0x39) | inRange(w | (ONES * 0x20), 0x61, 0x7a);
  return ~(inRange(w, 0x20, 0x20) | inRange(w, 0x09, 0x0d) | inRange(w, 0x1c, 0x1f)) & HIGHS;
}

/** w with the ASCII capitals A…Z made small. */
@inline export function lowerAscii(w: u64): u64 {
  return w | (inRange(w, 0x41, 0x5a) >> 2);
}

// Up to eight bytes at p (fewer when `left` < 8: the bytes past it read as 0).
@inline function loadUpTo8(p: usize, left: i32): u64 {
  if (left >= 8) return load<u64>(p);
  let w: u64 = 0;
  for (let k = 0; k < left; k++) w |= <u64>load<u8>(p + <usize>k) << (<u64>k << 3);
  return w;
}

/**
 * Appends the ids of the tokens of the plain-ASCII bytes [ptr, ptr + len) to `ids`, as tokenIds does for their
 * code points: tokens are maximal runs of word characters, lowercased when `lower`; a token of at most eight
 * characters is interned by its key (`Interner.internShort`), a longer one by its code points, which stay in
 * `out` when new. Returns how many.
 */
export function asciiTokenIds(
  ptr: usize,
  len: i32,
  unicode: bool,
  lower: bool,
  out: IntList,
  interner: Interner,
  ids: IntList,
): i32 {
  // pass 1: one bit per byte, set for a word character (bits past the end clear)
  const words = (len + 63) >> 6;
  const bitmap = new Int64Array(words + 1);
  const bp = bitmap.dataStart;
  for (let b = 0; b < words; b++) {
    let bits: u64 = 0;
    const base = b << 6;
    for (let k = 0; k < 8; k++) {
      const at = base + (k << 3);
      if (at >= len) break;
      const word = asciiWordBytes(loadUpTo8(ptr + <usize>at, len - at), unicode);
      // the eight high bits gathered into one byte (a carry-free multiply)
      bits |= (((word >> 7) * 0x0102040810204080) >> 56) << (<u64>k << 3);
    }
    if (len - base < 64) bits &= (<u64>1 << <u64>(len - base)) - 1;
    store<u64>(bp + (<usize>b << 3), bits);
  }
  // pass 2: the tokens, from the bitmap (its extra last word is 0: every token ends by then)
  ids.reserve((len >> 1) + 1); // tokens are separated: at most one per two bytes, rounded up
  const idp = ids.data.dataStart;
  let m = ids.len;
  const before = m;
  let wi = 0;
  let x = load<u64>(bp);
  while (true) {
    while (x == 0) {
      if (++wi >= words) break;
      x = load<u64>(bp + (<usize>wi << 3));
    }
    if (x == 0) break;
    const start = (wi << 6) + <i32>ctz(x);
    // the first clear bit from start on
    let y = ~load<u64>(bp + (<usize>wi << 3)) & (~(<u64>0) << (<u64>start & 63));
    while (y == 0) {
      wi++;
      y = ~load<u64>(bp + (<usize>wi << 3));
    }
    const end = (wi << 6) + <i32>ctz(y);
    // the rest of the current bitmap word, from the token's end (a clear bit) on
    x = load<u64>(bp + (<usize>wi << 3)) & (~(<u64>0) << (<u64>end & 63));
    const n = end - start;
    if (n <= 8) {
      let key = loadUpTo8(ptr + <usize>start, len - start);
      if (n < 8) key &= (<u64>1 << (<u64>n << 3)) - 1;
      if (lower) key = lowerAscii(key);
      store<i32>(idp + (<usize>m << 2), interner.internShort(key));
    } else {
      store<i32>(idp + (<usize>m << 2), internLong(ptr, start, end, lower, out, interner));
    }
    m++;
  }
  ids.len = m;
  return m - before;
}

// The id of the token of more than eight characters bytes [start, end): its (lowercased) code points are
// appended to `out` and kept there when the token is new.
function internLong(ptr: usize, start: i32, end: i32, lower: bool, out: IntList, interner: Interner): i32 {
  const at = out.len;
  out.reserve(end - start);
  interner.symbols = out.data; // the room may have moved
  const to = out.data.dataStart + (<usize>at << 2);
  let h = HASH_START;
  for (let i = start; i < end; i++) {
    let c = <i32>load<u8>(ptr + <usize>i);
    if (lower && c >= 0x41 && c <= 0x5a) c += 32;
    store<i32>(to + (<usize>(i - start) << 2), c);
    h = hashStep(h, c);
  }
  const count = interner.count;
  const id = interner.internHashed(at, end - start, h);
  if (id >= count) out.len = at + end - start;
  return id;
}

/** Whether the `n` bytes at a and b are equal (both readable eight bytes at a time past their end). */
export function sameBytes(a: usize, b: usize, n: i32): bool {
  let i = 0;
  for (; i + 8 <= n; i += 8) if (load<u64>(a + <usize>i) != load<u64>(b + <usize>i)) return false;
  if (i == n) return true;
  const keep = ~(<u64>0) >> (<u64>(8 - (n - i)) << 3);
  return ((load<u64>(a + <usize>i) ^ load<u64>(b + <usize>i)) & keep) == 0;
}
