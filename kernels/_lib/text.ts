// Byte-level text helpers over UTF-8 in linear memory: find ASCII markers, test for blank runs,
// pick the answer region of a model's response. Nothing here builds strings per character.

/** True when the ASCII text `pat` occurs at byte offset `at` of [ptr, ptr + len). */
export function matchesAt(ptr: usize, len: i32, at: i32, pat: string): bool {
  const n = pat.length;
  if (at < 0 || at + n > len) return false;
  const units = changetype<usize>(pat); // the pattern's UTF-16 code units, i < n
  for (let i = 0; i < n; i++) {
    if (<i32>load<u8>(ptr + <usize>(at + i)) != <i32>load<u16>(units + (<usize>i << 1))) return false;
  }
  return true;
}

const ONES: u64 = 0x0101010101010101;
const HIGHS: u64 = 0x8080808080808080;

/**
 * First offset >= `from` and < `to` holding the byte `b`, or -1. Reads eight bytes at a time, and
 * never past `to`.
 */
export function indexOfByte(ptr: usize, to: i32, b: i32, from: i32): i32 {
  let i = max(from, 0);
  const pattern = ONES * <u64>(b & 0xff);
  while (i + 8 <= to) {
    const x = load<u64>(ptr + <usize>i) ^ pattern;
    // a set high bit marks a zero byte of x; the lowest one is always exact
    const t = (x - ONES) & ~x & HIGHS;
    if (t != 0) return i + <i32>(ctz(t) >> 3);
    i += 8;
  }
  while (i < to) {
    if (<i32>load<u8>(ptr + <usize>i) == b) return i;
    i++;
  }
  return -1;
}

/** First offset >= `from` and < `to` where `pat` starts, or -1. */
export function indexOfAscii(ptr: usize, to: i32, pat: string, from: i32): i32 {
  const n = pat.length;
  if (n == 0) return from;
  const first = pat.charCodeAt(0);
  const last = to - n;
  let i = max(from, 0);
  while (i <= last) {
    i = indexOfByte(ptr, last + 1, first, i);
    if (i < 0) return -1;
    if (matchesAt(ptr, to, i, pat)) return i;
    i++;
  }
  return -1;
}

/** True for ASCII whitespace (space, tab, newline, carriage return, form feed, vertical tab). */
export function isSpaceByte(c: i32): bool {
  return c == 0x20 || (c >= 0x09 && c <= 0x0d);
}

/** True when [start, end) holds nothing but ASCII whitespace. */
export function isBlank(ptr: usize, start: i32, end: i32): bool {
  for (let i = start; i < end; i++) {
    if (!isSpaceByte(<i32>load<u8>(ptr + <usize>i))) return false;
  }
  return true;
}

/** A byte range of the response and the rule that chose it. */
export class Span {
  start: i32;
  end: i32;
  via: string;

  constructor(start: i32, end: i32, via: string) {
    this.start = start;
    this.end = end;
    this.via = via;
  }
}

/**
 * The part of the response that holds the answer: the content of the last complete
 * `<answer>…</answer>` block; failing that, the text after the last `<answer>`; failing that, the
 * whole range. `via` is "answer_tag", "answer_tag_unclosed" or "whole".
 */
export function answerRegion(ptr: usize, start: i32, end: i32): Span {
  return answerBlock(ptr, start, end, "answer_tag", "answer_tag_unclosed");
}

const LT: u64 = ONES * 0x3c;
// "<answer>" and "</answer" as little-endian u64s
const OPEN_ANSWER: u64 = 0x3e726577736e613c;
const CLOSE_ANSWER: u64 = 0x726577736e612f3c;

/**
 * `answerRegion`'s rule with the names a kernel reports for its two tag cases (`text` names them as
 * its `tagRegion` does: "tag", "tag_unclosed"). One pass over the response's `<` bytes, eight bytes
 * at a time, instead of a search per marker.
 */
export function answerBlock(ptr: usize, start: i32, end: i32, closedVia: string, unclosedVia: string): Span {
  let lastOpen = -1;
  let blockStart = -1;
  let blockEnd = -1;
  let inBlock = false; // after an opening marker, looking for the closing one
  let from = start; // markers start at or after this
  let i = start;
  while (i < end) {
    // the next `<` from i on
    let p = -1;
    if (i + 8 <= end) {
      const x = load<u64>(ptr + <usize>i) ^ LT;
      const hits = (x - ONES) & ~x & HIGHS; // the lowest set bit marks the first `<` (exact)
      if (hits == 0) {
        i += 8;
        continue;
      }
      p = i + <i32>(ctz(hits) >> 3);
    } else {
      if (load<u8>(ptr + <usize>i) != 0x3c) {
        i++;
        continue;
      }
      p = i;
    }
    i = p + 1;
    if (p < from) continue;
    if (!inBlock) {
      if (p + 8 <= end && load<u64>(ptr + <usize>p) == OPEN_ANSWER) {
        lastOpen = p + 8;
        inBlock = true;
        from = p + 8;
      }
    } else if (p + 9 <= end && load<u64>(ptr + <usize>p) == CLOSE_ANSWER && load<u8>(ptr + <usize>p, 8) == 0x3e) {
      blockStart = lastOpen;
      blockEnd = p;
      inBlock = false;
      from = p + 9;
    }
  }
  // A block closed and a later one left open: the later one is the final word.
  if (blockStart >= 0 && lastOpen == blockStart) return new Span(blockStart, blockEnd, closedVia);
  if (lastOpen >= 0) return new Span(lastOpen, end, unclosedVia);
  return new Span(start, end, "whole");
}

/**
 * Within a span, the content of the last complete Markdown code fence (```json … ``` or ``` … ```),
 * or null when the span has no complete fence. The language word after the opening fence is skipped.
 */
export function lastFence(ptr: usize, span: Span): Span | null {
  let found: Span | null = null;
  let at = indexOfAscii(ptr, span.end, "```", span.start);
  while (at >= 0) {
    let body = at + 3;
    // skip the info string (e.g. "json") up to the end of its line or the first non-word byte
    while (body < span.end) {
      const c = <i32>load<u8>(ptr + <usize>body);
      if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c == 0x5f || c == 0x2d) body++;
      else break;
    }
    const close = indexOfAscii(ptr, span.end, "```", body);
    if (close < 0) break;
    found = new Span(body, close, "fence");
    at = indexOfAscii(ptr, span.end, "```", close + 3);
  }
  return found;
}
