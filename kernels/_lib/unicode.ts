// Unicode helpers over code points for the text-comparing kernels (match, text): a UTF-8 decoder
// that never traps (each invalid byte becomes U+FFFD), the whitespace and punctuation classes, CJK
// detection and one-code-point lowercasing. Classes are hand-written ranges, documented in
// verifiers/text/README.md; there are no Unicode tables in the kernels.

/** A growable list of 32-bit integers: code points, token ids, spans. */
export class IntList {
  data: Int32Array;
  len: i32 = 0;

  constructor(capacity: i32 = 64) {
    this.data = new Int32Array(max(capacity, 4));
  }

  @inline at(i: i32): i32 {
    return unchecked(this.data[i]);
  }

  @inline push(cp: i32): void {
    if (this.len == this.data.length) this.grow(1);
    unchecked((this.data[this.len++] = cp));
  }

  /** Makes room for `n` more values, so that a loop may store them without checks. */
  reserve(n: i32): void {
    if (this.len + n > this.data.length) this.grow(n);
  }

  private grow(n: i32): void {
    let cap = this.data.length * 2;
    while (cap < this.len + n) cap *= 2;
    const next = new Int32Array(cap);
    memory.copy(next.dataStart, this.data.dataStart, <usize>this.len << 2);
    this.data = next;
  }
}

/** Appends the code points of UTF-8 bytes [ptr + start, ptr + end); an invalid byte appends U+FFFD. */
export function appendUtf8(out: IntList, ptr: usize, start: i32, end: i32): void {
  out.reserve(end - start); // at most one code point per byte
  let i = start;
  while (i < end) {
    // eight ASCII bytes at a time, stored without checks into the reserved room
    if (i + 8 <= end) {
      const w = load<u64>(ptr + <usize>i);
      if ((w & 0x8080808080808080) == 0) {
        storeAscii8(out, w);
        i += 8;
        continue;
      }
    }
    const b0 = <i32>load<u8>(ptr + <usize>i);
    if (b0 < 0x80) {
      out.push(b0);
      i++;
      continue;
    }
    let need = 0;
    let cp = 0;
    let min = 0;
    if (b0 >= 0xc2 && b0 <= 0xdf) {
      need = 1;
      cp = b0 & 0x1f;
      min = 0x80;
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
      need = 2;
      cp = b0 & 0x0f;
      min = 0x800;
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      need = 3;
      cp = b0 & 0x07;
      min = 0x10000;
    }
    let ok = need > 0 && i + need < end;
    if (ok) {
      for (let k = 1; k <= need; k++) {
        const b = <i32>load<u8>(ptr + <usize>(i + k));
        if ((b & 0xc0) != 0x80) {
          ok = false;
          break;
        }
        cp = (cp << 6) | (b & 0x3f);
      }
    }
    if (ok && (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))) ok = false;
    if (ok) {
      out.push(cp);
      i += need + 1;
    } else {
      out.push(0xfffd);
      i++;
    }
  }
}

/** Appends the code points of a string (a lone surrogate appends U+FFFD). */
export function appendString(out: IntList, s: string): void {
  const n = s.length;
  out.reserve(n);
  const units = changetype<usize>(s);
  let i = 0;
  while (i < n) {
    // four code units below U+8000 (never surrogates) at a time, stored without checks into the reserved room
    if (i + 4 <= n) {
      const w = load<u64>(units + (<usize>i << 1));
      if ((w & 0x8000800080008000) == 0) {
        const to = out.data.dataStart + (<usize>out.len << 2);
        store<u64>(to, (w & 0xffff) | ((w & 0xffff0000) << 16));
        store<u64>(to, ((w >> 32) & 0xffff) | ((w >> 16) & 0xffff00000000), 8);
        out.len += 4;
        i += 4;
        continue;
      }
    }
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        out.push(0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00));
        i += 2;
        continue;
      }
    }
    out.push(c >= 0xd800 && c <= 0xdfff ? 0xfffd : c);
    i++;
  }
}

/**
 * Appends the code points that `appendString(String.UTF8.decodeUnsafe(ptr + start, end - start))`
 * appends, without the string: bytes decoded as AssemblyScript's lenient decoder reads them
 * (continuation bytes unchecked, a truncated sequence ends the text), then UTF-16 surrogate pairs
 * joined and lone surrogates as U+FFFD. For JSON string values read in place (`JsonValue.raw`).
 */
export function appendDecodedUtf8(out: IntList, ptr: usize, start: i32, end: i32): void {
  out.reserve(end - start); // at most one UTF-16 unit per byte, one code point per unit
  let pending = -1; // a high surrogate waiting for its low half
  let i = start;
  while (i < end) {
    if (pending < 0 && i + 8 <= end) {
      const w = load<u64>(ptr + <usize>i);
      if ((w & 0x8080808080808080) == 0) {
        storeAscii8(out, w);
        i += 8;
        continue;
      }
    }
    let u = <i32>load<u8>(ptr + <usize>(i++));
    if (u >= 0x80) {
      if (i == end) break;
      const u1 = <i32>load<u8>(ptr + <usize>(i++)) & 63;
      if ((u & 0xe0) == 0xc0) {
        u = ((u & 31) << 6) | u1;
      } else {
        if (i == end) break;
        const u2 = <i32>load<u8>(ptr + <usize>(i++)) & 63;
        if ((u & 0xf0) == 0xe0) {
          u = ((u & 15) << 12) | (u1 << 6) | u2;
        } else {
          if (i == end) break;
          u = ((u & 7) << 18) | (u1 << 12) | (u2 << 6) | (<i32>load<u8>(ptr + <usize>(i++)) & 63);
          if (u >= 0x10000) {
            // the decoder's two units (past U+10FFFF the first may be a low surrogate)
            u -= 0x10000;
            pending = appendUnit(out, pending, (u >> 10) | 0xd800);
            pending = appendUnit(out, pending, (u & 0x3ff) | 0xdc00);
            continue;
          }
        }
      }
    }
    pending = appendUnit(out, pending, u);
  }
  if (pending >= 0) out.push(0xfffd);
}

// Appends the code point of one more UTF-16 unit `u` after `pending` (a high surrogate, or -1), as
// appendString reads units; returns the new pending high surrogate (or -1).
@inline function appendUnit(out: IntList, pending: i32, u: i32): i32 {
  if (pending >= 0) {
    if (u >= 0xdc00 && u <= 0xdfff) {
      out.push(0x10000 + ((pending - 0xd800) << 10) + (u - 0xdc00));
      return -1;
    }
    out.push(0xfffd);
  }
  if (u >= 0xd800 && u <= 0xdbff) return u;
  out.push(u >= 0xdc00 && u <= 0xdfff ? 0xfffd : u);
  return -1;
}

// Stores the eight ASCII bytes of w as eight code points at the end of `out` (room reserved).
@inline function storeAscii8(out: IntList, w: u64): void {
  const to = out.data.dataStart + (<usize>out.len << 2);
  store<u64>(to, (w & 0xff) | ((w & 0xff00) << 24));
  store<u64>(to, ((w >> 16) & 0xff) | ((w & 0xff000000) << 8), 8);
  store<u64>(to, ((w >> 32) & 0xff) | ((w >> 8) & 0xff00000000), 16);
  store<u64>(to, ((w >> 48) & 0xff) | ((w >> 24) & 0xff00000000), 24);
  out.len += 8;
}

/** A string of code points [start, start + len) of `cps`. */
export function stringOf(cps: IntList, start: i32, len: i32): string {
  const parts = new Array<string>();
  for (let i = start; i < start + len; i++) parts.push(String.fromCodePoint(cps.at(i)));
  return parts.join("");
}

/** Whitespace as Python's str.isspace() sees it (str.split() splits on these). */
export function isSpace(cp: i32): bool {
  if (cp < 0x80) return cp == 0x20 || (cp >= 0x09 && cp <= 0x0d) || (cp >= 0x1c && cp <= 0x1f);
  return cp == 0x85 || cp == 0xa0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 ||
    cp == 0x2029 || cp == 0x202f || cp == 0x205f || cp == 0x3000;
}

/** ASCII punctuation: Python's string.punctuation. */
export function isAsciiPunct(cp: i32): bool {
  return (cp >= 0x21 && cp <= 0x2f) || (cp >= 0x3a && cp <= 0x40) || (cp >= 0x5b && cp <= 0x60) ||
    (cp >= 0x7b && cp <= 0x7e);
}

/**
 * Punctuation and symbols: ASCII's, Latin-1's, General Punctuation, arrows to dingbats, CJK and
 * full-width punctuation, emoji. Letters, digits and marks of every script are not.
 */
export function isPunct(cp: i32): bool {
  if (cp < 0x80) return isAsciiPunct(cp);
  if (cp <= 0xbf) {
    return cp >= 0xa1 && cp != 0xaa && cp != 0xb2 && cp != 0xb3 && cp != 0xb5 && cp != 0xb9 && cp != 0xba &&
      cp != 0xbc && cp != 0xbd && cp != 0xbe;
  }
  if (cp == 0xd7 || cp == 0xf7) return true;
  if (cp >= 0x2010 && cp <= 0x2027) return true;
  if (cp >= 0x2030 && cp <= 0x205e) return true;
  if (cp >= 0x20a0 && cp <= 0x20cf) return true; // currency
  if (cp >= 0x2190 && cp <= 0x2bff) return true; // arrows, math operators, technical, box drawing, shapes, dingbats
  if (cp >= 0x2e00 && cp <= 0x2e7f) return true;
  if (cp >= 0x3001 && cp <= 0x3003) return true;
  if (cp >= 0x3008 && cp <= 0x3011) return true;
  if (cp >= 0x3014 && cp <= 0x301f) return true;
  if (cp == 0x30fb) return true;
  if (cp >= 0xfe10 && cp <= 0xfe1f) return true;
  if (cp >= 0xfe30 && cp <= 0xfe6f) return true;
  if (cp >= 0xff01 && cp <= 0xff0f) return true;
  if (cp >= 0xff1a && cp <= 0xff20) return true;
  if (cp >= 0xff3b && cp <= 0xff40) return true;
  if (cp >= 0xff5b && cp <= 0xff65) return true;
  if (cp >= 0x1f000 && cp <= 0x1faff) return true; // emoji and pictographs
  return false;
}

/** Code points that separate words but are neither whitespace nor punctuation: controls, zero-width marks. */
export function isInvisible(cp: i32): bool {
  return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || (cp >= 0x200b && cp <= 0x200f) || cp == 0xfeff ||
    (cp >= 0xfe00 && cp <= 0xfe0f) || cp == 0xfffd;
}

/** Scripts written without spaces between words, tokenized one character at a time: Han, kana. */
export function isCjk(cp: i32): bool {
  return (cp >= 0x3040 && cp <= 0x30ff) || (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0x31f0 && cp <= 0x31ff) || (cp >= 0xff66 && cp <= 0xff9f) ||
    (cp >= 0x20000 && cp <= 0x3ffff);
}

// Blocks of scripts with letter case (Latin, Greek, Cyrillic, Armenian, Georgian, Cherokee, Glagolitic,
// Coptic, full-width Latin, Deseret, Old Hungarian, Warang Citi, Medefaidrin, Adlam, letterlike and
// enclosed forms); every other code point is its own lowercase, without a string round trip.
function hasCase(cp: i32): bool {
  if (cp < 0x0590) return cp >= 0xc0;
  if (cp < 0x1e00) return (cp >= 0x10a0 && cp <= 0x10ff) || (cp >= 0x13a0 && cp <= 0x13ff) || (cp >= 0x1c80 && cp <= 0x1cbf);
  if (cp < 0x2200) return cp <= 0x1fff || (cp >= 0x2100 && cp <= 0x218f);
  if (cp < 0xa640) return (cp >= 0x24b6 && cp <= 0x24e9) || (cp >= 0x2c00 && cp <= 0x2d2f);
  if (cp < 0xff21) return cp <= 0xa7ff || (cp >= 0xab70 && cp <= 0xabbf);
  if (cp <= 0xff3a) return true;
  return (cp >= 0x10400 && cp <= 0x105bf) || (cp >= 0x10c80 && cp <= 0x10d8f) || (cp >= 0x118a0 && cp <= 0x118bf) ||
    (cp >= 0x16e40 && cp <= 0x16e5f) || (cp >= 0x1e900 && cp <= 0x1e921);
}

/** The lowercase of one code point (a one-to-many lowercase, like U+0130, keeps its first code point). */
export function lowerCodePoint(cp: i32): i32 {
  if (cp < 0x80) return cp >= 0x41 && cp <= 0x5a ? cp + 32 : cp;
  if (!hasCase(cp)) return cp;
  const s = String.fromCodePoint(cp).toLowerCase();
  return s.codePointAt(0);
}

/** Lowercases [start, len) of `cps` in place. */
export function lowerInPlace(cps: IntList, start: i32, end: i32): void {
  for (let i = start; i < end; i++) {
    const c = cps.at(i);
    if (c >= 0x41 && c <= 0x5a) unchecked((cps.data[i] = c + 32));
    else if (c >= 0xc0) unchecked((cps.data[i] = lowerCodePoint(c)));
  }
}
