// A growable UTF-8 buffer that writes JSON, used by every kernel to build its output.

import { dtoa_buffered } from "util/number";

// Scratch for dtoa (UTF-16) and a small cache of the ASCII text of recent non-integral numbers:
// static data, so it survives the per-item heap reset. Kernels often write the same values again
// (a reward that is also the IoU, a threshold), and the text depends on the value alone.
const DTOA_SCRATCH: usize = memory.data(64);
const CACHE_SLOTS: i32 = 4;
const CACHE_SLOT_BYTES: usize = 32; // dtoa writes at most 28 characters
const CACHE_TEXT: usize = memory.data(<i32>CACHE_SLOT_BYTES * CACHE_SLOTS);
const CACHE_BITS: usize = memory.data(8 * CACHE_SLOTS);
const CACHE_LEN: usize = memory.data(4 * CACHE_SLOTS); // 0: empty slot
let cacheNext: i32 = 0;

/** The most bytes `writeNumberText` and `writeIntegerText` write. */
export const MAX_NUMBER_TEXT: i32 = 32;

// Writes the decimal digits of u (below 2^63) at dst; returns how many.
function writeDigits(dst: usize, u: u64): i32 {
  let n: i32 = 1;
  let t = u;
  while (t >= 10) {
    t /= 10;
    n++;
  }
  let q = u;
  for (let i = n - 1; i >= 0; i--) {
    store<u8>(dst + <usize>i, <u8>(0x30 + <i32>(q % 10)));
    q /= 10;
  }
  return n;
}

/** Writes the ASCII text of `v.toString()` for an i64 at dst; returns its length. */
export function writeIntegerText(dst: usize, v: i64): i32 {
  if (v >= 0) return writeDigits(dst, <u64>v);
  if (v == i64.MIN_VALUE) {
    const s = v.toString();
    for (let i = 0; i < s.length; i++) store<u8>(dst + <usize>i, <u8>s.charCodeAt(i));
    return s.length;
  }
  store<u8>(dst, 0x2d);
  return 1 + writeDigits(dst + 1, <u64>(-v));
}

/**
 * Writes a JSON number at dst as `JsonWriter.num` does (null when not finite, integers below 1e15
 * without a fraction, other values as their shortest round-trip text); returns its length.
 */
export function writeNumberText(dst: usize, v: f64): i32 {
  if (!isFinite(v)) {
    store<u32>(dst, 0x6c6c756e); // "null"
    return 4;
  }
  if (v == Math.floor(v) && Math.abs(v) < 1e15) return writeIntegerText(dst, <i64>v);
  const bits = reinterpret<u64>(v);
  let slot = -1;
  for (let k = 0; k < CACHE_SLOTS; k++) {
    if (load<i32>(CACHE_LEN + (<usize>k << 2)) != 0 && load<u64>(CACHE_BITS + (<usize>k << 3)) == bits) {
      slot = k;
      break;
    }
  }
  if (slot < 0) {
    slot = cacheNext;
    cacheNext = (cacheNext + 1) % CACHE_SLOTS;
    const n = <i32>dtoa_buffered(DTOA_SCRATCH, v);
    const text = CACHE_TEXT + <usize>slot * CACHE_SLOT_BYTES;
    for (let i = 0; i < n; i++) store<u8>(text + <usize>i, <u8>load<u16>(DTOA_SCRATCH + (<usize>i << 1)));
    store<u64>(CACHE_BITS + (<usize>slot << 3), bits);
    store<i32>(CACHE_LEN + (<usize>slot << 2), n);
  }
  const n = load<i32>(CACHE_LEN + (<usize>slot << 2));
  const text = CACHE_TEXT + <usize>slot * CACHE_SLOT_BYTES;
  // at most 28 bytes: four 8-byte moves
  store<u64>(dst, load<u64>(text));
  store<u64>(dst + 8, load<u64>(text + 8));
  store<u64>(dst + 16, load<u64>(text + 16));
  store<u64>(dst + 24, load<u64>(text + 24));
  return n;
}

/** Builds one JSON text, ASCII only, byte by byte; numbers that are not finite are written as null. */
export class JsonWriter {
  // The output, written in place: not zeroed (only [0, len) is ever read), doubled when full;
  // `finish` shrinks it to `len` and hands it over as it is, without a copy.
  private buf: ArrayBuffer = rawBuffer(256);
  len: i32 = 0;
  // true right after '{' or '[' (no comma needed before the next value)
  private fresh: bool = true;

  // Where the output's bytes start.
  @inline private get start(): usize {
    return changetype<usize>(this.buf);
  }

  // Makes room for n more bytes: the check inline, the growth (rare) out of line.
  @inline
  private reserve(n: i32): void {
    if (this.len + n > this.buf.byteLength) this.grow(n);
  }

  private grow(n: i32): void {
    let cap = this.buf.byteLength * 2;
    while (cap < this.len + n) cap *= 2;
    const next = rawBuffer(cap);
    memory.copy(changetype<usize>(next), this.start, <usize>this.len);
    this.buf = next;
  }

  @inline private byte(b: i32): void {
    if (this.len >= this.buf.byteLength) this.grow(1);
    store<u8>(this.start + <usize>this.len, <u8>b);
    this.len++;
  }

  @inline
  private ascii(s: string): void {
    const n = s.length;
    this.reserve(n);
    const dst = this.start + <usize>this.len;
    const src = changetype<usize>(s);
    let i = 0;
    for (; i + 4 <= n; i += 4) store<u32>(dst + <usize>i, packUnits(load<u64>(src + (<usize>i << 1))));
    for (; i < n; i++) store<u8>(dst + <usize>i, <u8>load<u16>(src + (<usize>i << 1)));
    this.len += n;
  }

  /**
   * Appends `text`: JSON already written out, in ASCII (a constant such as `,"mode":`), after which
   * a value comes (no comma is written before it). The caller places the commas inside `text`.
   */
  @inline
  raw(text: string): JsonWriter {
    this.ascii(text);
    this.fresh = true;
    return this;
  }

  private integer(v: i64): void {
    this.reserve(MAX_NUMBER_TEXT);
    this.len += writeIntegerText(this.start + <usize>this.len, v);
  }

  @inline
  private comma(): void {
    if (!this.fresh) this.byte(0x2c);
    this.fresh = false;
  }

  beginObject(): JsonWriter {
    this.comma();
    this.byte(0x7b);
    this.fresh = true;
    return this;
  }

  endObject(): JsonWriter {
    this.byte(0x7d);
    this.fresh = false;
    return this;
  }

  beginArray(): JsonWriter {
    this.comma();
    this.byte(0x5b);
    this.fresh = true;
    return this;
  }

  endArray(): JsonWriter {
    this.byte(0x5d);
    this.fresh = false;
    return this;
  }

  /** Writes an object key; the next call writes its value. */
  @inline
  key(k: string): JsonWriter {
    this.comma();
    this.writeString(k);
    this.byte(0x3a);
    this.fresh = true;
    return this;
  }

  /**
   * Writes an object key that is plain ASCII (no quote, backslash or control character: a constant
   * name), copied without the checks of `key`; the next call writes its value.
   */
  @inline
  plainKey(k: string): JsonWriter {
    this.comma();
    this.quotedAscii(k);
    this.byte(0x3a);
    this.fresh = true;
    return this;
  }

  /** Writes a string value that is plain ASCII (as for `plainKey`), copied without the checks of `str`. */
  @inline
  plainStr(s: string): JsonWriter {
    this.comma();
    this.quotedAscii(s);
    return this;
  }

  @inline
  private quotedAscii(s: string): void {
    this.reserve(s.length + 2);
    store<u8>(this.start + <usize>this.len, 0x22);
    this.len++;
    this.ascii(s);
    store<u8>(this.start + <usize>this.len, 0x22);
    this.len++;
  }

  @inline
  num(v: f64): JsonWriter {
    this.comma();
    this.reserve(MAX_NUMBER_TEXT);
    this.len += writeNumberText(this.start + <usize>this.len, v);
    return this;
  }

  int(v: i64): JsonWriter {
    this.comma();
    this.integer(v);
    return this;
  }

  bool(v: bool): JsonWriter {
    this.comma();
    this.ascii(v ? "true" : "false");
    return this;
  }

  null(): JsonWriter {
    this.comma();
    this.ascii("null");
    return this;
  }

  /** Writes a JSON string, escaping quotes, backslashes and control characters. */
  @inline
  str(s: string): JsonWriter {
    this.comma();
    this.writeString(s);
    return this;
  }

  /** Writes a JSON string from raw UTF-8 bytes; invalid UTF-8 is replaced by U+FFFD. */
  strBytes(ptr: usize, n: i32): JsonWriter {
    this.comma();
    this.writeString(String.UTF8.decodeUnsafe(ptr, <usize>n, false));
    return this;
  }

  /** A string value or null. */
  strOrNull(s: string | null): JsonWriter {
    if (s === null) return this.null();
    return this.str(s);
  }

  private writeString(s: string): void {
    const n = s.length;
    // fast path: printable ASCII without quotes or backslashes, copied in one pass
    this.reserve(n + 2);
    const src = changetype<usize>(s);
    const dst = this.start + <usize>this.len;
    let i = 0;
    // four code units at a time while all four are plain (most keys and values are)
    while (i + 4 <= n) {
      const units = load<u64>(src + (<usize>i << 1));
      if (!plainUnits(units)) break;
      store<u32>(dst + 1 + <usize>i, packUnits(units));
      i += 4;
    }
    let plain = true;
    for (; i < n; i++) {
      const c = <i32>load<u16>(src + (<usize>i << 1));
      if (c < 0x20 || c >= 0x80 || c == 0x22 || c == 0x5c) {
        plain = false;
        break;
      }
      store<u8>(dst + 1 + <usize>i, <u8>c);
    }
    if (plain) {
      store<u8>(dst, 0x22);
      store<u8>(dst + 1 + <usize>n, 0x22);
      this.len += n + 2;
    } else this.writeEscaped(s);
  }

  // The general case of writeString, out of line: escapes as JSON requires.
  private writeEscaped(s: string): void {
    const n = s.length;
    this.byte(0x22);
    for (let i = 0; i < n; i++) {
      let c = s.charCodeAt(i);
      if (c == 0x22 || c == 0x5c) {
        this.byte(0x5c);
        this.byte(c);
      } else if (c < 0x20) {
        this.ascii("\\u00");
        this.byte(hexDigit(c >> 4));
        this.byte(hexDigit(c & 15));
      } else if (c < 0x80) {
        this.byte(c);
      } else {
        // Non-ASCII as \uXXXX escapes (surrogate pairs as two): the output stays ASCII, so the
        // host can slice a chunk's decoded text by byte offsets.
        this.ascii("\\u");
        this.byte(hexDigit((c >> 12) & 15));
        this.byte(hexDigit((c >> 8) & 15));
        this.byte(hexDigit((c >> 4) & 15));
        this.byte(hexDigit(c & 15));
      }
    }
    this.byte(0x22);
  }

  /**
   * The finished bytes, to hand to `emit()`: the buffer itself, shrunk to the output's length (the
   * stub allocator shrinks in place, so its address stays). The writer is done with after this.
   */
  finish(): ArrayBuffer {
    return changetype<ArrayBuffer>(__renew(this.start, <usize>this.len));
  }
}

const UNIT_ONES: u64 = 0x0001000100010001;
const UNIT_HIGHS: u64 = 0x8000800080008000;

/**
 * Whether four UTF-16 code units (one per 16-bit lane) are all printable ASCII other than the quote
 * and the backslash: none at or above 0x80, none below 0x20 (a borrow starts only in such a lane, so
 * the test as a whole is exact), none equal to 0x22 or 0x5c (a lane that is zero after the xor).
 */
@inline function plainUnits(w: u64): bool {
  if ((w & 0xff80ff80ff80ff80) != 0) return false;
  const quote = w ^ (UNIT_ONES * 0x22);
  const slash = w ^ (UNIT_ONES * 0x5c);
  const hits = (w - UNIT_ONES * 0x20) | ((quote - UNIT_ONES) & ~quote) | ((slash - UNIT_ONES) & ~slash);
  return (hits & UNIT_HIGHS) == 0;
}

/** The four ASCII code units of w (each below 0x80) as four bytes, first unit in the lowest byte. */
@inline function packUnits(w: u64): u32 {
  return <u32>((w & 0xff) | ((w >> 8) & 0xff00) | ((w >> 16) & 0xff0000) | ((w >> 24) & 0xff000000));
}

// An ArrayBuffer of n bytes that are not zeroed (the writer reads only what it wrote).
function rawBuffer(n: i32): ArrayBuffer {
  return changetype<ArrayBuffer>(__new(<usize>n, idof<ArrayBuffer>()));
}

function hexDigit(n: i32): i32 {
  return n < 10 ? 0x30 + n : 0x57 + n;
}
