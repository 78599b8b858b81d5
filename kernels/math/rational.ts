// Exact rationals over the bounded big integers of math/bigint.ts, always in lowest terms.
import {
  bigAdd, bigCmp, bigDivMod, bigFromU64, bigGcd, bigIsZero, bigLog2, bigMul, bigPow, bigSub, bigToF64,
  bigToString, bigFitsU64, bigToU64, bigLastRemainder,
} from "./bigint";

/** A signed rational num/den with den > 0 and gcd(num, den) = 1. */
export class Rat {
  neg: bool;
  num: u32[];
  den: u32[];

  constructor(neg: bool, num: u32[], den: u32[]) {
    this.neg = neg && num.length > 0;
    this.num = num;
    this.den = den;
  }

  isZero(): bool {
    return this.num.length == 0;
  }

  isInteger(): bool {
    return this.den.length == 1 && unchecked(this.den[0]) == 1;
  }

  /** Approximate value as f64. */
  toF64(): f64 {
    const n = bigToF64(this.num);
    const d = bigToF64(this.den);
    let v: f64;
    if (isFinite(n) && isFinite(d)) v = n / d;
    else v = Math.pow(2, bigLog2(this.num) - bigLog2(this.den));
    return this.neg ? -v : v;
  }

  /** "p/q" or "p" in lowest terms. */
  toString(): string {
    const s = (this.neg ? "-" : "") + bigToString(this.num);
    return this.isInteger() ? s : s + "/" + bigToString(this.den);
  }
}

/** The rational p/q (reduced); q must be non-zero. */
export function ratMake(neg: bool, num: u32[], den: u32[]): Rat {
  if (num.length == 0) return new Rat(false, [], [1]);
  if (den.length == 1 && unchecked(den[0]) == 1) return new Rat(neg, num, den);
  const g = bigGcd(num, den);
  if (g.length == 1 && unchecked(g[0]) == 1) return new Rat(neg, num, den);
  const n = bigDivMod(num, g);
  const d = bigDivMod(den, g);
  return new Rat(neg, n, d);
}

/** An integer rational. */
export function ratInt(v: i64): Rat {
  return new Rat(v < 0, bigFromU64(<u64>(v < 0 ? -v : v)), [1]);
}

function addSigned(an: bool, a: u32[], bn: bool, b: u32[]): Rat {
  // returns a signed integer as a Rat with den 1 (helper for numerators)
  if (an == bn) return new Rat(an, bigAdd(a, b), [1]);
  const c = bigCmp(a, b);
  if (c == 0) return new Rat(false, [], [1]);
  if (c > 0) return new Rat(an, bigSub(a, b), [1]);
  return new Rat(bn, bigSub(b, a), [1]);
}

/** a + b. */
export function ratAdd(a: Rat, b: Rat): Rat {
  if (a.isZero()) return b;
  if (b.isZero()) return a;
  const n = addSigned(a.neg, bigMul(a.num, b.den), b.neg, bigMul(b.num, a.den));
  return ratMake(n.neg, n.num, bigMul(a.den, b.den));
}

/** -a. */
export function ratNeg(a: Rat): Rat {
  return new Rat(!a.neg, a.num, a.den);
}

/** a - b. */
export function ratSub(a: Rat, b: Rat): Rat {
  return ratAdd(a, ratNeg(b));
}

/** a * b. */
export function ratMul(a: Rat, b: Rat): Rat {
  if (a.isZero() || b.isZero()) return new Rat(false, [], [1]);
  return ratMake(a.neg != b.neg, bigMul(a.num, b.num), bigMul(a.den, b.den));
}

/** a / b, or null when b is zero. */
export function ratDiv(a: Rat, b: Rat): Rat | null {
  if (b.isZero()) return null;
  if (a.isZero()) return a;
  return ratMake(a.neg != b.neg, bigMul(a.num, b.den), bigMul(a.den, b.num));
}

/** a^e for an integer exponent (null for 0^negative or an exponent too large to hold). */
export function ratPowInt(a: Rat, e: i64): Rat | null {
  if (e == 0) return ratInt(1);
  if (a.isZero()) return e > 0 ? a : null;
  const odd = (e & 1) != 0;
  const mag = <u64>(e < 0 ? -e : e);
  const n = bigPow(a.num, mag);
  const d = bigPow(a.den, mag);
  if (e > 0) return new Rat(a.neg && odd, n, d);
  return new Rat(a.neg && odd, d, n);
}

/** -1, 0 or 1 as a <, =, > b. */
export function ratCmp(a: Rat, b: Rat): i32 {
  if (a.neg != b.neg) return a.neg ? -1 : 1;
  const c = bigCmp(bigMul(a.num, b.den), bigMul(b.num, a.den));
  return a.neg ? -c : c;
}

/** True when a == b. */
export function ratEq(a: Rat, b: Rat): bool {
  return a.neg == b.neg && bigCmp(a.num, b.num) == 0 && bigCmp(a.den, b.den) == 0;
}

/** The value as i64 when it is an integer of at most 62 bits, else null-like (ok = false). */
export function ratSmallInt(a: Rat): i64 {
  if (!a.isInteger() || !bigFitsU64(a.num)) return i64.MIN_VALUE;
  const v = bigToU64(a.num);
  if (v > 0x3fffffffffffffff) return i64.MIN_VALUE;
  return a.neg ? -(<i64>v) : <i64>v;
}

/** Exact integer square root of a non-negative rational that is a perfect square, else null. */
export function ratSqrtExact(a: Rat): Rat | null {
  if (a.neg) return null;
  const n = bigSqrtExact(a.num);
  if (n === null) return null;
  const d = bigSqrtExact(a.den);
  if (d === null) return null;
  return new Rat(false, n, d);
}

function bigSqrtExact(a: u32[]): u32[] | null {
  if (bigIsZero(a)) return a;
  if (a.length > 8) return null;
  const approx = Math.sqrt(bigToF64(a));
  if (approx > 9.0e15) return null;
  const base = <u64>Math.round(approx);
  for (let k: i64 = -1; k <= 1; k++) {
    const c = <i64>base + k;
    if (c < 0) continue;
    const cb = bigFromU64(<u64>c);
    if (bigCmp(bigMul(cb, cb), a) == 0) return cb;
  }
  return null;
}

/** Truncated integer quotient num/den (for factorial arguments and the like). */
export function ratFloor(a: Rat): u32[] {
  const q = bigDivMod(a.num, a.den);
  if (a.neg && !bigIsZero(bigLastRemainder())) return bigAdd(q, [1]);
  return q;
}
