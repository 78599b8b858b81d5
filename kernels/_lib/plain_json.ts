// JSON as the host writes its parameter blocks, read without building values: whitespace and plain
// strings (no escapes, nothing below 0x20). The parameter walkers of `match` and `text` use it; any
// other text goes to the general reader (json.ts), which gives it its exact meaning.

/** JSON whitespace: space, newline, carriage return, tab. */
@inline export function isJsonSpace(b: i32): bool {
  return b == 0x20 || b == 0x0a || b == 0x0d || b == 0x09;
}

/** The first offset from p on (at most len) that is not JSON whitespace. */
export function skipJsonSpace(ptr: usize, len: i32, p: i32): i32 {
  while (p < len && isJsonSpace(<i32>load<u8>(ptr + <usize>p))) p++;
  return p;
}

/** The byte at p, or -1 past the end. */
@inline export function byteAt(ptr: usize, len: i32, p: i32): i32 {
  return p < len ? <i32>load<u8>(ptr + <usize>p) : -1;
}

const ONES: u64 = 0x0101010101010101;
const HIGHS: u64 = 0x8080808080808080;
const QUOTES: u64 = ONES * 0x22;
const BACKSLASHES: u64 = ONES * 0x5c;

/**
 * The offset of the closing quote of the plain string whose opening quote is at p (every byte
 * between them 0x20 or above, no backslash); -1 for any other string (escapes, control bytes,
 * unclosed) or when no string starts at p. Eight bytes at a time: the lowest set high bit of the
 * tests below marks the first quote, backslash or byte below 0x20 in the word (exact: the tests'
 * borrows only ever set a false bit above a true one), so a short key or value ends in one step.
 */
export function plainStringEnd(ptr: usize, len: i32, p: i32): i32 {
  if (byteAt(ptr, len, p) != 0x22) return -1;
  let q = p + 1;
  while (q + 8 <= len) {
    const w = load<u64>(ptr + <usize>q);
    const quotes = w ^ QUOTES;
    const slashes = w ^ BACKSLASHES;
    const hits = (((quotes - ONES) & ~quotes) | ((slashes - ONES) & ~slashes) | ((w - ONES * 0x20) & ~w)) & HIGHS;
    if (hits != 0) {
      q += <i32>(ctz(hits) >> 3);
      return load<u8>(ptr + <usize>q) == 0x22 ? q : -1;
    }
    q += 8;
  }
  for (; q < len; q++) {
    const b = <i32>load<u8>(ptr + <usize>q);
    if (b == 0x22) return q;
    if (b < 0x20 || b == 0x5c) return -1;
  }
  return -1;
}
