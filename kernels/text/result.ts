// The verdict of a scored `text` item, written straight into static memory: the same bytes as
// beginResult / JsonWriter / finishResult give (their layout, numbers by writeNumberText), for the
// common case whose strings are all plain ASCII constants (metric names, extraction rules, detail
// names). The numbers' texts are kept in a table that survives items: captions give few distinct
// ratios, and the shortest round-trip text of a fraction cost a tenth of a short item.

import { MAX_NUMBER_TEXT, writeIntegerText, writeNumberText } from "../_lib/writer";
import { Score } from "./metrics";

// The output is built here, then copied into an ArrayBuffer of its exact length.
const OUT_BYTES: i32 = 2048;
const OUT: usize = memory.data(OUT_BYTES);

// Direct-mapped table of number texts by the value's bits: SLOTS entries of the bits, the length (0: empty) and
// the text (at most MAX_NUMBER_TEXT bytes).
const SLOTS: i32 = 512;
const SLOT_BITS: usize = memory.data(8 * SLOTS);
const SLOT_LEN: usize = memory.data(4 * SLOTS);
const SLOT_TEXT: usize = memory.data(MAX_NUMBER_TEXT * SLOTS);

/** Whether `writeScored` can write the verdict of `s` (else the caller uses the general writer). */
export function fitsScored(s: Score): bool {
  // the head (under 256 bytes), then per detail at most a 16-byte name, its key's quotes, colon and comma, and a
  // number (32 bytes): inside OUT_BYTES
  return s.count <= 16;
}

// Appends the ASCII string `str` at `at`; returns the new end. Four characters at a time: the last four may read
// past the string (in memory: strings are followed by their block's rest or other data) and write up to three bytes
// past the new end (inside OUT, overwritten by what follows).
@inline function ascii(at: usize, str: string): usize {
  const n = str.length;
  const src = changetype<usize>(str);
  for (let i = 0; i < n; i += 4) {
    const x = load<u64>(src + (<usize>i << 1));
    store<u32>(at + <usize>i, <u32>((x & 0xff) | ((x >> 8) & 0xff00) | ((x >> 16) & 0xff0000) | ((x >> 24) & 0xff000000)));
  }
  return at + <usize>n;
}

// Appends `,"name":` at `at`.
@inline function key(at: usize, name: string): usize {
  store<u16>(at, 0x222c); // ,"
  at = ascii(at + 2, name);
  store<u16>(at, 0x3a22); // ":
  return at + 2;
}

// Appends `"str"` at `at`.
@inline function quoted(at: usize, str: string): usize {
  store<u8>(at, 0x22);
  at = ascii(at + 1, str);
  store<u8>(at, 0x22);
  return at + 1;
}

// Appends the text of v (writeNumberText's) at `at`, from the table when it holds v.
function num(at: usize, v: f64): usize {
  if (v == Math.floor(v) && Math.abs(v) < 1e15) return at + <usize>writeIntegerText(at, <i64>v);
  const bits = reinterpret<u64>(v);
  const slot = <usize>(<i32>((bits * 0x9e3779b97f4a7c15) >> 55) & (SLOTS - 1));
  const text = SLOT_TEXT + slot * <usize>MAX_NUMBER_TEXT;
  let n = load<i32>(SLOT_LEN + (slot << 2));
  if (n == 0 || load<u64>(SLOT_BITS + (slot << 3)) != bits) {
    n = writeNumberText(text, v);
    store<u64>(SLOT_BITS + (slot << 3), bits);
    store<i32>(SLOT_LEN + (slot << 2), n);
  }
  memory.copy(at, text, <usize>n);
  return at + <usize>n;
}

/**
 * The verdict {"reward", "correct", "details": {"reason", "metric", "extraction", ["reference_index"], details…}} of a
 * scored item, as the general writer gives it; `metric`, `via` and the detail names plain ASCII without quotes or
 * backslashes (the caller's constants).
 */
export function writeScored(s: Score, threshold: f64, metric: string, via: string, refCount: i32): ArrayBuffer {
  const correct = s.reward >= threshold;
  let r = s.reward;
  if (!(r >= 0)) r = 0;
  if (r > 1) r = 1;
  let at = ascii(OUT, '{"reward":');
  at = num(at, r);
  at = ascii(at, correct ? ',"correct":true,"details":{"reason":null' : ',"correct":false,"details":{"reason":"wrong"');
  at = quoted(key(at, "metric"), metric);
  at = quoted(key(at, "extraction"), via);
  if (refCount > 1) {
    at = key(at, "reference_index");
    at += <usize>writeIntegerText(at, <i64>s.best);
  }
  for (let i = 0; i < s.count; i++) at = num(key(at, unchecked(s.names[i])), unchecked(s.values[i]));
  store<u16>(at, 0x7d7d); // }}
  at += 2;
  const len = <i32>(at - OUT);
  const out = new ArrayBuffer(len);
  memory.copy(changetype<usize>(out), OUT, <usize>len);
  return out;
}
