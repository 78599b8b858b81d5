// A byte cursor for the `gui_action` fast paths (gui_action/fast_params.ts, gui_action/fast.ts): plain JSON
// tokens read straight from the item's bytes, without a value tree. Module state, one item at a
// time; nothing here survives an item except numbers. Every reader clears `ok` on anything outside
// the narrow grammar it knows, and the fast path that called it then declines.

import { parseNumber } from "../_lib/number";

export let base: usize = 0;
export let pos: i32 = 0;
export let limit: i32 = 0;
export let ok: bool = true;

/** Points the cursor at bytes [ptr + from, ptr + to). */
export function start(ptr: usize, from: i32, to: i32): void {
  base = ptr;
  pos = from;
  limit = to;
  ok = true;
}

@inline export function peek(): i32 {
  return pos < limit ? <i32>load<u8>(base + <usize>pos) : -1;
}

@inline export function byteAt(i: i32): i32 {
  return i < limit ? <i32>load<u8>(base + <usize>i) : -1;
}

/** Skips JSON whitespace (space, newline, carriage return, tab), as the JSON reader does. */
export function skipWs(): void {
  let p = pos;
  const end = limit;
  const b = base;
  while (p < end) {
    const c = <i32>load<u8>(b + <usize>p);
    if (c == 0x20 || c == 0x0a || c == 0x0d || c == 0x09) p++;
    else break;
  }
  pos = p;
}

/** Expects byte `c` after whitespace; clears `ok` when it is not there. */
export function expect(c: i32): void {
  skipWs();
  if (peek() != c) {
    ok = false;
    return;
  }
  pos++;
}

// the content of the last string read: [strStart, strEnd), and whether it holds a byte >= 0x80
export let strStart: i32 = 0;
export let strEnd: i32 = 0;
export let strWide: bool = false;

// Byte classes inside a quoted string (static memory, filled once): 1 for bytes that break a plain
// string (backslash, control bytes), 2 for brackets, 4 for bytes >= 0x80, 8 for quotes.
const STRING_CLASS: usize = memory.data(256);
let classesReady = false;

function prepareClasses(): void {
  for (let c = 0; c < 256; c++) {
    let k = 0;
    if (c < 0x20 || c == 0x5c) k = 1;
    else if (c == 0x22 || c == 0x27) k = 8;
    else if (c == 0x5b || c == 0x7b || c == 0x28) k = 2;
    else if (c >= 0x80) k = 4;
    store<u8>(STRING_CLASS + <usize>c, <u8>k);
  }
  classesReady = true;
}

/**
 * A string quoted by `quote` (0x22 or 0x27) without escapes or control bytes, at the cursor after
 * whitespace. When `noBrackets`, '[', '{' and '(' inside also decline (they count towards the
 * general path's bracket-depth bound).
 */
export function readPlainString(quote: i32, noBrackets: bool): void {
  if (!classesReady) prepareClasses();
  skipWs();
  const b = base;
  const end = limit;
  let p = pos;
  if (p >= end || <i32>load<u8>(b + <usize>p) != quote) {
    ok = false;
    return;
  }
  p++;
  strStart = p;
  let wide = false;
  while (true) {
    if (p >= end) {
      ok = false;
      return;
    }
    const c = <i32>load<u8>(b + <usize>p);
    const k = <i32>load<u8>(STRING_CLASS + <usize>c);
    if (k != 0) {
      if (c == quote) break;
      if (k == 1 || (k == 2 && noBrackets)) {
        ok = false;
        return;
      }
      if (k == 4) wide = true;
    }
    p++;
  }
  strEnd = p;
  strWide = wide;
  pos = p + 1;
}

/** The last string read, decoded as the JSON reader decodes an escape-free string. */
export function lastString(): string {
  return String.UTF8.decodeUnsafe(base + <usize>strStart, <usize>(strEnd - strStart), false);
}

/** True when bytes [s, e) spell the ASCII literal `lit`. */
export function spells(s: i32, e: i32, lit: string): bool {
  const n = lit.length;
  if (e - s != n) return false;
  for (let k = 0; k < n; k++) {
    if (<i32>load<u8>(base + <usize>(s + k)) != lit.charCodeAt(k)) return false;
  }
  return true;
}

/** True when the last string read spells `lit`. */
@inline export function stringIs(lit: string): bool {
  return spells(strStart, strEnd, lit);
}

// whether the last number read was written without '.', 'e' or 'E' (the JSON reader's `integral`)
export let integral: bool = true;

/**
 * A number in the JSON reader's grammar (optional '-', digits with at most one '.', an optional
 * exponent; no '+', at most 64 bytes) at the cursor after whitespace; its value as the reader
 * computes it (`parseNumber`).
 */
export function readNumber(): f64 {
  skipWs();
  const from = pos;
  let c = peek();
  const negative = c == 0x2d;
  if (negative) pos++;
  let digits = 0;
  let m: u64 = 0;
  while ((c = peek()) >= 0x30 && c <= 0x39) {
    m = m * 10 + <u64>(c - 0x30);
    pos++;
    digits++;
  }
  c = peek();
  if (digits > 0 && digits <= 15 && c != 0x2e && c != 0x65 && c != 0x45) {
    // a plain integer below 10^15: exact, as parseNumber gives it
    integral = true;
    const v = <f64>m;
    return negative ? -v : v;
  }
  integral = true;
  if (c == 0x2e) {
    integral = false;
    pos++;
    while ((c = peek()) >= 0x30 && c <= 0x39) {
      pos++;
      digits++;
    }
  }
  c = peek();
  if (c == 0x65 || c == 0x45) {
    integral = false;
    pos++;
    c = peek();
    if (c == 0x2b || c == 0x2d) pos++;
    let expDigits = 0;
    while ((c = peek()) >= 0x30 && c <= 0x39) {
      pos++;
      expDigits++;
    }
    if (expDigits == 0) ok = false;
  }
  if (digits == 0 || pos - from > 64) {
    ok = false;
    return 0;
  }
  return parseNumber(base, from, pos);
}

// the numbers of the last list read (up to four)
export let n0: f64 = 0;
export let n1: f64 = 0;
export let n2: f64 = 0;
export let n3: f64 = 0;

/** "[a, b, …]" with exactly `count` (2 or 4) numbers into n0…n3. */
export function readNumberList(count: i32): void {
  expect(0x5b);
  for (let k = 0; k < count && ok; k++) {
    if (k > 0) expect(0x2c);
    if (!ok) return;
    const v = readNumber();
    if (k == 0) n0 = v;
    else if (k == 1) n1 = v;
    else if (k == 2) n2 = v;
    else n3 = v;
  }
  if (ok) expect(0x5d);
}

/** `true` or `false` (a whole word); clears `ok` otherwise. */
export function readBool(): bool {
  skipWs();
  if (pos + 4 <= limit && load<u32>(base + <usize>pos) == 0x65757274) {
    pos += 4;
    return true;
  }
  if (pos + 5 <= limit && load<u32>(base + <usize>pos) == 0x736c6166 && load<u8>(base + <usize>(pos + 4)) == 0x65) {
    pos += 5;
    return false;
  }
  ok = false;
  return false;
}

/** After a member: ',' (true, more follow) or '}' (false, the object ends); clears `ok` otherwise. */
export function nextMember(): bool {
  skipWs();
  const c = peek();
  pos++;
  if (c == 0x2c) return true;
  if (c != 0x7d) ok = false;
  return false;
}
