// Decimal text → f64 straight from UTF-8 bytes, without building a string.
//
// The fast path covers what models and hosts write (up to 19 significant digits whose value fits
// in 53 bits, a decimal exponent within ±22): the digits become an exact integer m and the result
// is m × 10^e or m / 10^e, one correctly rounded IEEE operation on exact operands (Clinger's fast
// path). These are the very operations AssemblyScript's `parseFloat` performs for such input, so
// the result is bit for bit the same. Everything else (long mantissas, large exponents, several
// dots, odd text) takes the exact slow path: `parseFloat` of the decoded text, as before.

// exact powers of ten 1e0 … 1e22 (every one representable in an f64)
const POW10: usize = memory.data<f64>([
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
  1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
]);

const MAX_EXACT: u64 = 9007199254740991; // 2^53 - 1

/** `parseFloat` of the bytes [start, end), decoded as UTF-8: the slow, general path. */
export function parseFloatSlow(ptr: usize, start: i32, end: i32): f64 {
  return parseFloat(String.UTF8.decodeUnsafe(ptr + <usize>start, <usize>(end - start), false));
}

/**
 * The value of the number written in bytes [start, end): an optional sign, digits with at most one
 * '.', an optional exponent (e or E, optional sign, digits). Equal to `parseFloat` of the same text
 * in every case (the fast path where it applies, `parseFloat` itself otherwise).
 */
export function parseNumber(ptr: usize, start: i32, end: i32): f64 {
  let i = start;
  let negative = false;
  if (i < end) {
    const c = <i32>load<u8>(ptr + <usize>i);
    if (c == 0x2d) {
      negative = true;
      i++;
    } else if (c == 0x2b) i++;
  }
  let m: u64 = 0;
  let significant = 0; // digits from the first non-zero one on
  let fraction = 0; // digits after the '.'
  let digits = 0;
  let pointed = false;
  while (i < end) {
    const c = <i32>load<u8>(ptr + <usize>i);
    const d = c - 0x30;
    if (<u32>d < 10) {
      digits++;
      if (pointed) fraction++;
      if (significant > 0 || d != 0) {
        significant++;
        if (significant > 19) return parseFloatSlow(ptr, start, end);
        m = m * 10 + <u64>d;
      }
      i++;
    } else if (c == 0x2e && !pointed) {
      pointed = true;
      i++;
    } else break;
  }
  if (digits == 0) return parseFloatSlow(ptr, start, end);
  let exp = 0;
  if (i < end) {
    const c = <i32>load<u8>(ptr + <usize>i);
    if (c != 0x65 && c != 0x45) return parseFloatSlow(ptr, start, end);
    i++;
    let expNegative = false;
    if (i < end) {
      const s = <i32>load<u8>(ptr + <usize>i);
      if (s == 0x2d || s == 0x2b) {
        expNegative = s == 0x2d;
        i++;
      }
    }
    const expStart = i;
    while (i < end) {
      const d = <i32>load<u8>(ptr + <usize>i) - 0x30;
      if (<u32>d >= 10 || i - expStart >= 4) return parseFloatSlow(ptr, start, end);
      exp = exp * 10 + d;
      i++;
    }
    if (i == expStart) return parseFloatSlow(ptr, start, end);
    if (expNegative) exp = -exp;
  }
  if (m == 0) return negative ? -0.0 : 0.0;
  const e = exp - fraction;
  if (m > MAX_EXACT || e < -22 || e > 22) return parseFloatSlow(ptr, start, end);
  let r = <f64>m;
  if (e > 0) r = r * load<f64>(POW10 + (<usize>e << 3));
  else if (e < 0) r = r / load<f64>(POW10 + (<usize>(-e) << 3));
  return negative ? -r : r;
}
