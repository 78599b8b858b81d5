// Plain JSON lists: arrays of strings without escapes and of short integers, read as spans of the
// bytes instead of JSON values. The host writes its reference and choice lists so, and models write
// many answers so ("[2, 1, 3, 4]", ["doc2", "doc1"]). Anything else is left to the JSON reader.

import { IntList } from "../_lib/unicode";
import { isJsonSpace, plainStringEnd, skipJsonSpace } from "../_lib/plain_json";

/** A span's kind: a string's bytes between its quotes, or an integer's text. */
export const SPAN_STRING: i32 = 0;
export const SPAN_INTEGER: i32 = 1;

// Appends the triple (kind, s, e) to `out` (one capacity check for the three).
@inline function pushSpan(out: IntList, kind: i32, s: i32, e: i32): void {
  out.reserve(3);
  const at = out.data.dataStart + (<usize>out.len << 2);
  store<i32>(at, kind);
  store<i32>(at, s, 4);
  store<i32>(at, e, 8);
  out.len += 3;
}

/**
 * Reads the JSON array at p when it holds only plain strings (no escapes, nothing below 0x20) and,
 * with `integers`, integers of up to 15 digits (an optional '-', no fraction or exponent): appends a
 * (kind, start, end) triple per element to `out` and returns the offset after the array. Returns -1
 * for any other text; the JSON reader then parses the value (and accepts or refuses it): on what
 * this accepts, the strict and the lenient reader read the same values and end at the same offset.
 */
export function scanPlainArray(ptr: usize, len: i32, p: i32, out: IntList, integers: bool): i32 {
  if (p >= len || load<u8>(ptr + <usize>p) != 0x5b) return -1;
  p = skipJsonSpace(ptr, len, p + 1);
  if (p < len && load<u8>(ptr + <usize>p) == 0x5d) return p + 1;
  while (true) {
    if (p >= len) return -1;
    const first = <i32>load<u8>(ptr + <usize>p);
    if (first == 0x22) {
      const e = plainStringEnd(ptr, len, p);
      if (e < 0) return -1;
      pushSpan(out, SPAN_STRING, p + 1, e);
      p = e + 1;
    } else if (integers && (first == 0x2d || (first >= 0x30 && first <= 0x39))) {
      const s = p;
      let e = first == 0x2d ? p + 1 : p;
      const digitsFrom = e;
      while (e < len && <u32>(<i32>load<u8>(ptr + <usize>e) - 0x30) <= 9) e++; // digits
      const digits = e - digitsFrom;
      if (digits == 0 || digits > 15) return -1;
      const next = e < len ? <i32>load<u8>(ptr + <usize>e) : -1;
      if (next != 0x2c && next != 0x5d && !isJsonSpace(next)) return -1; // a fraction, exponent or junk
      pushSpan(out, SPAN_INTEGER, s, e);
      p = e;
    } else return -1;
    p = skipJsonSpace(ptr, len, p);
    if (p >= len) return -1;
    const b = load<u8>(ptr + <usize>p);
    if (b == 0x5d) return p + 1;
    if (b != 0x2c) return -1;
    p = skipJsonSpace(ptr, len, p + 1);
    if (p < len && load<u8>(ptr + <usize>p) == 0x5d) return -1; // a trailing comma: the reader's to refuse
  }
}
