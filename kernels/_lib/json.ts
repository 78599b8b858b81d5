// A JSON reader over UTF-8 bytes in linear memory, safe on untrusted text: bounded nesting depth,
// no recursion past MAX_DEPTH, never traps. In lenient mode it also reads Python literals as models
// write them: 'single quotes', True/False/None, tuples in parentheses, trailing commas, \xNN escapes.

import { parseNumber } from "./number";

export const MAX_DEPTH: i32 = 256;

export enum JsonKind {
  Null,
  Bool,
  Number,
  String,
  Array,
  Object,
}

/** A parsed JSON value. Objects keep their keys in order; `get` returns the last duplicate. */
export class JsonValue {
  kind: JsonKind = JsonKind.Null;
  bool: bool = false;
  num: f64 = 0;
  // A string's text; null while it is left as bytes (`raw`), decoded on first read of `str`.
  private _str: string | null = null;
  /**
   * For a string a reader with `rawStrings` left undecoded: its UTF-8 bytes, escape-free, are
   * [rawPtr + rawStart, rawPtr + rawEnd) of the reader's buffer (which must outlive the value).
   */
  raw: bool = false;
  rawPtr: usize = 0;
  rawStart: i32 = 0;
  rawEnd: i32 = 0;
  // Allocated on first use: most values are scalars, and two empty arrays per value were a tenth of
  // a small item's time in the allocator.
  private _items: JsonValue[] | null = null;
  private _keys: string[] | null = null;
  // for numbers: true when written without '.', 'e' or 'E'
  integral: bool = false;
  // for arrays: true when written as a Python tuple "( … )"
  tuple: bool = false;

  /** A string's text ("" for other kinds). */
  @inline get str(): string {
    const s = this._str;
    return s !== null ? s : this.decodeRaw();
  }

  // The text of a string left as bytes, decoded once ("" for a value that is no string).
  private decodeRaw(): string {
    const decoded = this.raw
      ? String.UTF8.decodeUnsafe(this.rawPtr + <usize>this.rawStart, <usize>(this.rawEnd - this.rawStart), false)
      : "";
    this._str = decoded;
    return decoded;
  }

  set str(s: string) {
    this._str = s;
  }

  /** An array's elements, or an object's values (in key order); empty for a scalar. */
  get items(): JsonValue[] {
    let items = this._items;
    if (items === null) this._items = items = [];
    return items;
  }

  set items(items: JsonValue[]) {
    this._items = items;
  }

  /** An object's keys, in order; empty otherwise. */
  get keys(): string[] {
    let keys = this._keys;
    if (keys === null) this._keys = keys = [];
    return keys;
  }

  set keys(keys: string[]) {
    this._keys = keys;
  }

  get(key: string): JsonValue | null {
    for (let i = this.keys.length - 1; i >= 0; i--) {
      if (unchecked(this.keys[i]) == key) return unchecked(this.items[i]);
    }
    return null;
  }

  isNumber(): bool {
    return this.kind == JsonKind.Number;
  }
}

/** Reads one JSON value starting at a byte offset; `end` is the offset after it when it succeeds. */
export class JsonReader {
  ptr: usize;
  len: i32;
  pos: i32 = 0;
  end: i32 = 0;
  lenient: bool;
  failed: bool = false;
  /**
   * Leave string values without escapes as bytes (`JsonValue.raw`), decoded only when `str` is read:
   * for a caller that reads long strings straight from the bytes. Keys are always decoded.
   */
  rawStrings: bool = false;

  constructor(ptr: usize, len: i32, lenient: bool = false) {
    this.ptr = ptr;
    this.len = len;
    this.lenient = lenient;
  }

  /**
   * Parses a value at `start`; returns null when the text there is not one. `depth`: the nesting it
   * sits at (a caller walking an enclosing object itself passes 1, so the depth bound stays the same).
   */
  parseAt(start: i32, depth: i32 = 0): JsonValue | null {
    this.pos = start;
    this.failed = false;
    const v = this.value(depth);
    if (this.failed || v === null) return null;
    this.end = this.pos;
    return v;
  }

  /** Parses the whole range as one value (surrounding whitespace allowed). */
  parseWhole(): JsonValue | null {
    const v = this.parseAt(0);
    if (v === null) return null;
    this.skipSpace();
    return this.pos == this.len ? v : null;
  }

  private at(i: i32): i32 {
    return i < this.len ? <i32>load<u8>(this.ptr + <usize>i) : -1;
  }

  private skipSpace(): void {
    while (this.pos < this.len) {
      const c = this.at(this.pos);
      if (c == 0x20 || c == 0x0a || c == 0x0d || c == 0x09) this.pos++;
      else break;
    }
  }

  private fail(): JsonValue | null {
    this.failed = true;
    return null;
  }

  private value(depth: i32): JsonValue | null {
    if (depth > MAX_DEPTH) return this.fail();
    this.skipSpace();
    const c = this.at(this.pos);
    if (c == 0x7b) return this.object(depth);
    if (c == 0x5b) return this.array(depth, 0x5d);
    if (c == 0x28 && this.lenient) return this.array(depth, 0x29);
    if (c == 0x22 || (c == 0x27 && this.lenient)) {
      const v = new JsonValue();
      v.kind = JsonKind.String;
      if (this.rawStrings) {
        const start = this.pos + 1;
        const stop = this.scanString(c);
        if (stop < 0) return this.fail();
        if (this.noEscapes) {
          v.raw = true;
          v.rawPtr = this.ptr;
          v.rawStart = start;
          v.rawEnd = stop;
          this.pos = stop + 1;
          return v;
        }
      }
      const s = this.string(c);
      if (s === null) return this.fail();
      v.str = s;
      return v;
    }
    if (c == 0x2d || c == 0x2b || (c >= 0x30 && c <= 0x39) || c == 0x2e) return this.number();
    if (this.word("true") || (this.lenient && this.word("True"))) return boolValue(true);
    if (this.word("false") || (this.lenient && this.word("False"))) return boolValue(false);
    if (this.word("null") || (this.lenient && this.word("None"))) return new JsonValue();
    return this.fail();
  }

  private word(w: string): bool {
    const n = w.length;
    if (this.pos + n > this.len) return false;
    for (let i = 0; i < n; i++) {
      if (this.at(this.pos + i) != w.charCodeAt(i)) return false;
    }
    // the word must end there: "trueish" is not true
    const next = this.at(this.pos + n);
    if ((next >= 0x61 && next <= 0x7a) || (next >= 0x41 && next <= 0x5a) || (next >= 0x30 && next <= 0x39) || next == 0x5f) {
      return false;
    }
    this.pos += n;
    return true;
  }

  private object(depth: i32): JsonValue | null {
    this.pos++; // '{'
    const v = new JsonValue();
    v.kind = JsonKind.Object;
    this.skipSpace();
    if (this.at(this.pos) == 0x7d) {
      this.pos++;
      return v;
    }
    while (true) {
      this.skipSpace();
      const q = this.at(this.pos);
      if (q != 0x22 && !(q == 0x27 && this.lenient)) {
        if (this.lenient && q == 0x7d && v.keys.length > 0) {
          this.pos++;
          return v;
        }
        return this.fail();
      }
      const k = this.string(q);
      if (k === null) return this.fail();
      this.skipSpace();
      if (this.at(this.pos) != 0x3a) return this.fail();
      this.pos++;
      const item = this.value(depth + 1);
      if (item === null) return this.fail();
      v.keys.push(k);
      v.items.push(item);
      this.skipSpace();
      const c = this.at(this.pos);
      this.pos++;
      if (c == 0x2c) continue;
      if (c == 0x7d) return v;
      return this.fail();
    }
  }

  private array(depth: i32, close: i32): JsonValue | null {
    this.pos++; // '[' or '('
    const v = new JsonValue();
    v.kind = JsonKind.Array;
    v.tuple = close == 0x29;
    this.skipSpace();
    if (this.at(this.pos) == close) {
      this.pos++;
      return v;
    }
    while (true) {
      const item = this.value(depth + 1);
      if (item === null) return this.fail();
      v.items.push(item);
      this.skipSpace();
      const c = this.at(this.pos);
      this.pos++;
      if (c == 0x2c) {
        if (this.lenient) {
          this.skipSpace();
          if (this.at(this.pos) == close) {
            this.pos++;
            return v;
          }
        }
        continue;
      }
      if (c == close) return v;
      return this.fail();
    }
  }

  private number(): JsonValue | null {
    const start = this.pos;
    let p = this.pos;
    let c = this.at(p);
    if (c == 0x2d || (c == 0x2b && this.lenient)) p++;
    else if (c == 0x2b) return this.fail();
    let digits = 0;
    let integral = true;
    while ((c = this.at(p)) >= 0x30 && c <= 0x39) {
      p++;
      digits++;
    }
    if (this.at(p) == 0x2e) {
      integral = false;
      p++;
      while ((c = this.at(p)) >= 0x30 && c <= 0x39) {
        p++;
        digits++;
      }
    }
    if (digits == 0) return this.fail();
    c = this.at(p);
    if (c == 0x65 || c == 0x45) {
      integral = false;
      p++;
      c = this.at(p);
      if (c == 0x2b || c == 0x2d) p++;
      let expDigits = 0;
      while ((c = this.at(p)) >= 0x30 && c <= 0x39) {
        p++;
        expDigits++;
      }
      if (expDigits == 0) return this.fail();
    }
    if (p - start > 400) return this.fail();
    this.pos = p;
    const v = new JsonValue();
    v.kind = JsonKind.Number;
    // the same value as parseFloat of the text (a leading '+' changes nothing), without a string
    v.num = parseNumber(this.ptr, start, p);
    v.integral = integral;
    return v;
  }

  // Whether the last string scanned had no escapes.
  private noEscapes: bool = true;

  // Finds the closing `quote` of the string that starts at this.pos; returns its offset, or -1 when
  // the string is malformed (unclosed, or a control character in strict mode). Sets `noEscapes`.
  private scanString(quote: i32): i32 {
    let p = this.pos + 1;
    let plain = true;
    const ptr = this.ptr;
    const quotes = ONES * <u64>quote;
    // a short string is read byte by byte; past its first 16 bytes, eight at a time
    const wordsFrom = p + 16;
    while (true) {
      // eight bytes at a time while none is the quote, a backslash or a control character
      if (p >= wordsFrom) {
        while (p + 8 <= this.len && !specialByte(load<u64>(ptr + <usize>p), quotes)) p += 8;
      }
      const c = this.at(p);
      if (c < 0) return -1;
      if (c == quote) break;
      if (c == 0x5c) {
        plain = false;
        p += 2;
        continue;
      }
      if (c < 0x20 && !this.lenient) return -1;
      p++;
    }
    this.noEscapes = plain;
    return p;
  }

  // Reads a quoted string that starts at this.pos with `quote`; returns null when it is malformed.
  private string(quote: i32): string | null {
    const start = this.pos + 1;
    const p = this.scanString(quote);
    if (p < 0) return null;
    this.pos = p + 1;
    if (this.noEscapes) return String.UTF8.decodeUnsafe(this.ptr + <usize>start, <usize>(p - start), false);
    return this.unescape(start, p);
  }

  private unescape(start: i32, stop: i32): string | null {
    const parts = new Array<string>();
    let runStart = start;
    let p = start;
    while (p < stop) {
      const c = this.at(p);
      if (c != 0x5c) {
        p++;
        continue;
      }
      if (p > runStart) parts.push(String.UTF8.decodeUnsafe(this.ptr + <usize>runStart, <usize>(p - runStart), false));
      const e = this.at(p + 1);
      p += 2;
      if (e == 0x6e) parts.push("\n");
      else if (e == 0x74) parts.push("\t");
      else if (e == 0x72) parts.push("\r");
      else if (e == 0x62) parts.push("\b");
      else if (e == 0x66) parts.push("\f");
      else if (e == 0x2f) parts.push("/");
      else if (e == 0x5c) parts.push("\\");
      else if (e == 0x22) parts.push('"');
      else if (e == 0x27) parts.push("'");
      else if (e == 0x75) {
        let code = 0;
        for (let k = 0; k < 4; k++) {
          const h = hexValue(this.at(p + k));
          if (h < 0) return null;
          code = (code << 4) | h;
        }
        p += 4;
        parts.push(String.fromCharCode(code));
      } else if (this.lenient && e == 0x78 && hexValue(this.at(p)) >= 0 && hexValue(this.at(p + 1)) >= 0) {
        // Python's \xNN (repr() writes control characters so); the closing quote is no hex digit, so
        // both digits lie inside the string
        parts.push(String.fromCharCode((hexValue(this.at(p)) << 4) | hexValue(this.at(p + 1))));
        p += 2;
      } else if (this.lenient && e >= 0) {
        parts.push(String.fromCharCode(0x5c));
        parts.push(String.fromCharCode(e));
      } else return null;
      runStart = p;
    }
    if (stop > runStart) parts.push(String.UTF8.decodeUnsafe(this.ptr + <usize>runStart, <usize>(stop - runStart), false));
    return parts.join("");
  }
}

const ONES: u64 = 0x0101010101010101;
const HIGHS: u64 = 0x8080808080808080;
const BACKSLASHES: u64 = ONES * 0x5c;

// Whether any of the eight bytes of w is the quote (`quotes`: it in every byte), a backslash or
// below 0x20. Each test is exact as a whole (a set high bit marks a byte that is zero, or below 0x20).
@inline function specialByte(w: u64, quotes: u64): bool {
  const q = w ^ quotes;
  const b = w ^ BACKSLASHES;
  const hits = ((q - ONES) & ~q) | ((b - ONES) & ~b) | ((w - ONES * 0x20) & ~w);
  return (hits & HIGHS) != 0;
}

function boolValue(b: bool): JsonValue {
  const v = new JsonValue();
  v.kind = JsonKind.Bool;
  v.bool = b;
  return v;
}

function hexValue(c: i32): i32 {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}
