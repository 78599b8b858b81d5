// Non-negative big integers as little-endian arrays of u32 limbs (no leading zero limb; zero is []),
// with a size cap and a work budget: past either, `bigTooComplex()` turns true and results are
// meaningless (the caller answers `too_complex`). Nothing here traps or loops without bound.

/** Largest number of limbs a result may have (about 3,850 decimal digits). */
export const MAX_LIMBS: i32 = 400;
/** Limb operations allowed per item before the item is declared too complex. */
const WORK_BUDGET: i64 = 40_000_000;

let overflow = false;
let work: i64 = 0;

/** Clears the size and work flags at the start of an item. */
export function resetBigLimits(): void {
  overflow = false;
  work = 0;
}

/** True once any big-number result passed the size cap or the item spent its work budget. */
export function bigTooComplex(): bool {
  return overflow;
}

/** Marks the item as too complex (used by other modules that bound their own work). */
export function markTooComplex(): void {
  overflow = true;
}

/** Charges `n` units of work; returns false (and marks the item) once the budget is spent. */
export function spendWork(n: i64): bool {
  work += n;
  if (work > WORK_BUDGET) overflow = true;
  return !overflow;
}

function trim(a: u32[]): u32[] {
  let n = a.length;
  while (n > 0 && unchecked(a[n - 1]) == 0) n--;
  if (n != a.length) a.length = n;
  if (n > MAX_LIMBS) {
    overflow = true;
    return [];
  }
  return a;
}

/** A big integer from a u64. */
export function bigFromU64(v: u64): u32[] {
  const r = new Array<u32>(0);
  while (v != 0) {
    r.push(<u32>v);
    v >>= 32;
  }
  return r;
}

/** True when a is zero. */
export function bigIsZero(a: u32[]): bool {
  return a.length == 0;
}

/** The value as u64 when it fits (check `bigFitsU64` first). */
export function bigToU64(a: u32[]): u64 {
  let v: u64 = 0;
  if (a.length > 0) v = <u64>unchecked(a[0]);
  if (a.length > 1) v |= (<u64>unchecked(a[1])) << 32;
  return v;
}

/** True when a < 2^64. */
export function bigFitsU64(a: u32[]): bool {
  return a.length <= 2;
}

/** -1, 0 or 1 as a <, =, > b. */
export function bigCmp(a: u32[], b: u32[]): i32 {
  if (a.length != b.length) return a.length < b.length ? -1 : 1;
  for (let i = a.length - 1; i >= 0; i--) {
    const x = unchecked(a[i]);
    const y = unchecked(b[i]);
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

/** a + b. */
export function bigAdd(a: u32[], b: u32[]): u32[] {
  if (a.length < b.length) {
    const t = a;
    a = b;
    b = t;
  }
  spendWork(a.length + 1);
  const r = new Array<u32>(a.length + 1);
  let carry: u64 = 0;
  for (let i = 0; i < a.length; i++) {
    const s = <u64>unchecked(a[i]) + (i < b.length ? <u64>unchecked(b[i]) : 0) + carry;
    unchecked((r[i] = <u32>s));
    carry = s >> 32;
  }
  unchecked((r[a.length] = <u32>carry));
  return trim(r);
}

/** a - b, for a >= b. */
export function bigSub(a: u32[], b: u32[]): u32[] {
  spendWork(a.length + 1);
  const r = new Array<u32>(a.length);
  let borrow: i64 = 0;
  for (let i = 0; i < a.length; i++) {
    let s = <i64>unchecked(a[i]) - (i < b.length ? <i64>unchecked(b[i]) : 0) - borrow;
    borrow = 0;
    if (s < 0) {
      s += 0x100000000;
      borrow = 1;
    }
    unchecked((r[i] = <u32>s));
  }
  return trim(r);
}

/** a * m + add for small m and add. */
export function bigMulSmall(a: u32[], m: u32, add: u32): u32[] {
  spendWork(a.length + 1);
  const r = new Array<u32>(a.length + 1);
  let carry: u64 = <u64>add;
  for (let i = 0; i < a.length; i++) {
    const p = <u64>unchecked(a[i]) * <u64>m + carry;
    unchecked((r[i] = <u32>p));
    carry = p >> 32;
  }
  unchecked((r[a.length] = <u32>carry));
  return trim(r);
}

/** a * b. */
export function bigMul(a: u32[], b: u32[]): u32[] {
  if (a.length == 0 || b.length == 0) return [];
  if (a.length + b.length > MAX_LIMBS + 1) {
    overflow = true;
    return [];
  }
  if (!spendWork(<i64>a.length * <i64>b.length)) return [];
  const r = new Array<u32>(a.length + b.length);
  for (let i = 0; i < a.length; i++) {
    let carry: u64 = 0;
    const x = <u64>unchecked(a[i]);
    for (let j = 0; j < b.length; j++) {
      const p = x * <u64>unchecked(b[j]) + <u64>unchecked(r[i + j]) + carry;
      unchecked((r[i + j] = <u32>p));
      carry = p >> 32;
    }
    unchecked((r[i + b.length] = <u32>carry));
  }
  return trim(r);
}

let remainderSmall: u32 = 0;

/** a / m (quotient); the remainder is then `bigLastSmallRemainder()`. */
export function bigDivSmall(a: u32[], m: u32): u32[] {
  spendWork(a.length + 1);
  const r = new Array<u32>(a.length);
  let rem: u64 = 0;
  for (let i = a.length - 1; i >= 0; i--) {
    const cur = (rem << 32) | <u64>unchecked(a[i]);
    unchecked((r[i] = <u32>(cur / <u64>m)));
    rem = cur % <u64>m;
  }
  remainderSmall = <u32>rem;
  return trim(r);
}

/** Remainder of the last `bigDivSmall`. */
export function bigLastSmallRemainder(): u32 {
  return remainderSmall;
}

/** Number of significant bits. */
export function bigBitLength(a: u32[]): i32 {
  if (a.length == 0) return 0;
  return (a.length - 1) * 32 + (32 - <i32>clz(unchecked(a[a.length - 1])));
}

/** a << bits. */
export function bigShl(a: u32[], bits: i32): u32[] {
  if (a.length == 0) return [];
  const limbs = bits >> 5;
  const s = bits & 31;
  if (a.length + limbs + 1 > MAX_LIMBS + 2) {
    overflow = true;
    return [];
  }
  spendWork(a.length + limbs);
  const r = new Array<u32>(a.length + limbs + 1);
  for (let i = 0; i < a.length; i++) {
    const v = <u64>unchecked(a[i]) << s;
    unchecked((r[i + limbs] = r[i + limbs] | <u32>v));
    unchecked((r[i + limbs + 1] = <u32>(v >> 32)));
  }
  return trim(r);
}

/** a >> bits. */
export function bigShr(a: u32[], bits: i32): u32[] {
  const limbs = bits >> 5;
  const s = bits & 31;
  if (limbs >= a.length) return [];
  spendWork(a.length);
  const n = a.length - limbs;
  const r = new Array<u32>(n);
  for (let i = 0; i < n; i++) {
    let v = <u64>unchecked(a[i + limbs]) >> s;
    if (s != 0 && i + limbs + 1 < a.length) v |= (<u64>unchecked(a[i + limbs + 1]) << (32 - s)) & 0xffffffff;
    unchecked((r[i] = <u32>v));
  }
  return trim(r);
}

let lastRemainder: u32[] = [];

/** a / b (b non-zero), schoolbook long division; the remainder is then `bigLastRemainder()`. */
export function bigDivMod(a: u32[], b: u32[]): u32[] {
  if (b.length == 0) {
    overflow = true;
    lastRemainder = [];
    return [];
  }
  if (bigCmp(a, b) < 0) {
    lastRemainder = a;
    return [];
  }
  if (b.length == 1) {
    const q = bigDivSmall(a, unchecked(b[0]));
    lastRemainder = remainderSmall == 0 ? [] : [remainderSmall];
    return q;
  }
  const n = b.length;
  const m = a.length - n;
  if (!spendWork(<i64>(m + 1) * <i64>n)) {
    lastRemainder = [];
    return [];
  }
  const s = <i32>clz(unchecked(b[n - 1]));
  const vn = new Array<u32>(n);
  for (let i = n - 1; i > 0; i--) {
    unchecked((vn[i] = (b[i] << s) | (s == 0 ? 0 : <u32>(<u64>b[i - 1] >> (32 - s)))));
  }
  unchecked((vn[0] = b[0] << s));
  const un = new Array<u32>(a.length + 1);
  unchecked((un[a.length] = s == 0 ? 0 : <u32>(<u64>a[a.length - 1] >> (32 - s))));
  for (let i = a.length - 1; i > 0; i--) {
    unchecked((un[i] = (a[i] << s) | (s == 0 ? 0 : <u32>(<u64>a[i - 1] >> (32 - s)))));
  }
  unchecked((un[0] = a[0] << s));
  const q = new Array<u32>(m + 1);
  const top = <u64>unchecked(vn[n - 1]);
  const next = <u64>unchecked(vn[n - 2]);
  for (let j = m; j >= 0; j--) {
    const num = ((<u64>unchecked(un[j + n])) << 32) | <u64>unchecked(un[j + n - 1]);
    let qhat = num / top;
    let rhat = num % top;
    while (qhat >= 0x100000000 || qhat * next > ((rhat << 32) | <u64>unchecked(un[j + n - 2]))) {
      qhat--;
      rhat += top;
      if (rhat >= 0x100000000) break;
    }
    let k: i64 = 0;
    let t: i64 = 0;
    for (let i = 0; i < n; i++) {
      const p = qhat * <u64>unchecked(vn[i]);
      t = <i64>unchecked(un[i + j]) - k - <i64>(p & 0xffffffff);
      unchecked((un[i + j] = <u32>t));
      k = <i64>(p >> 32) - (t >> 32);
    }
    t = <i64>unchecked(un[j + n]) - k;
    unchecked((un[j + n] = <u32>t));
    if (t < 0) {
      qhat--;
      let c: u64 = 0;
      for (let i = 0; i < n; i++) {
        const sum = <u64>unchecked(un[i + j]) + <u64>unchecked(vn[i]) + c;
        unchecked((un[i + j] = <u32>sum));
        c = sum >> 32;
      }
      unchecked((un[j + n] = <u32>(<u64>un[j + n] + c)));
    }
    unchecked((q[j] = <u32>qhat));
  }
  const r = new Array<u32>(n);
  for (let i = 0; i < n; i++) {
    let v = <u64>unchecked(un[i]) >> s;
    if (s != 0) v |= (<u64>unchecked(un[i + 1]) << (32 - s)) & 0xffffffff;
    unchecked((r[i] = <u32>v));
  }
  lastRemainder = trim(r);
  return trim(q);
}

/** Remainder of the last `bigDivMod`. */
export function bigLastRemainder(): u32[] {
  return lastRemainder;
}

/** Greatest common divisor (Euclid). */
export function bigGcd(a: u32[], b: u32[]): u32[] {
  let guard = 0;
  while (b.length != 0 && guard++ < 100000 && !overflow) {
    bigDivMod(a, b);
    const r = lastRemainder;
    a = b;
    b = r;
  }
  return a;
}

/** base^exp by squaring; marks too complex when the result would pass the cap. */
export function bigPow(base: u32[], exp: u64): u32[] {
  if (exp == 0) return [1];
  if (base.length == 0) return [];
  if (base.length == 1 && unchecked(base[0]) == 1) return [1];
  const bits = <u64>bigBitLength(base) - 1;
  if (bits > 0 && exp > <u64>(MAX_LIMBS * 32) / bits + 1) {
    overflow = true;
    return [];
  }
  let result: u32[] = [1];
  let b = base;
  let e = exp;
  while (e > 0 && !overflow) {
    if (e & 1) result = bigMul(result, b);
    e >>= 1;
    if (e > 0) b = bigMul(b, b);
  }
  return overflow ? [] : result;
}

/** 10^n. */
export function bigPow10(n: i32): u32[] {
  return bigPow([10], <u64>n);
}

/** Decimal digits of a. */
export function bigToString(a: u32[]): string {
  if (a.length == 0) return "0";
  const chunks = new Array<u32>();
  let cur = a;
  let guard = 0;
  while (cur.length > 0 && guard++ < 1000) {
    cur = bigDivSmall(cur, 1000000000);
    chunks.push(remainderSmall);
  }
  const parts = new Array<string>();
  parts.push(chunks[chunks.length - 1].toString());
  for (let i = chunks.length - 2; i >= 0; i--) parts.push(chunks[i].toString().padStart(9, "0"));
  return parts.join("");
}

/** Parses decimal digits s[start:end) (digits only) into a big integer. */
export function bigFromDigits(s: string, start: i32, end: i32): u32[] {
  let r: u32[] = [];
  let i = start;
  while (i < end && !overflow) {
    let chunk: u32 = 0;
    let mul: u32 = 1;
    let k = 0;
    while (k < 9 && i < end) {
      chunk = chunk * 10 + <u32>(s.charCodeAt(i) - 48);
      mul *= 10;
      k++;
      i++;
    }
    r = bigMulSmall(r, mul, chunk);
  }
  return r;
}

/** Approximate value as f64 (Infinity past the f64 range). */
export function bigToF64(a: u32[]): f64 {
  const n = a.length;
  if (n == 0) return 0;
  if (n <= 2) return <f64>bigToU64(a);
  // top three limbs carry more than 64 significant bits
  const hi = <f64>unchecked(a[n - 1]) * 4294967296.0 * 4294967296.0 + <f64>unchecked(a[n - 2]) * 4294967296.0 +
    <f64>unchecked(a[n - 3]);
  const scale = (n - 3) * 32;
  if (scale > 1100) return Infinity;
  return hi * Math.pow(2, <f64>scale);
}

/** log2 of a (a non-zero), good to about 1e-15 relative. */
export function bigLog2(a: u32[]): f64 {
  const n = a.length;
  if (n <= 3) return Math.log2(bigToF64(a));
  const hi = <f64>unchecked(a[n - 1]) * 4294967296.0 * 4294967296.0 + <f64>unchecked(a[n - 2]) * 4294967296.0 +
    <f64>unchecked(a[n - 3]);
  return Math.log2(hi) + <f64>((n - 3) * 32);
}
