// Python's float semantics, bit for bit, as MathVista's scoring uses them: float(str) (correctly
// rounded), int(float) truncation, round(x, n) (half-even on the exact binary value) and repr(x)
// (the shortest string that reads back to the same double).
import {
  bigBitLength, bigCmp, bigDivMod, bigFromDigits, bigFromU64, bigIsZero, bigLastRemainder, bigMul, bigPow10,
  bigShl, bigToString, bigToU64, bigAdd,
} from "./bigint";

/** Result of `pyFloat`: ok is false where Python raises ValueError. */
export class PyFloat {
  ok: bool = false;
  value: f64 = 0;
}

function isSpace(c: i32): bool {
  return c == 32 || (c >= 9 && c <= 13) || (c >= 0x1c && c <= 0x1f) || c == 0x85 || c == 0xa0 || c == 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 || c == 0x202f || c == 0x205f || c == 0x3000;
}

/** Python's str.strip() with no argument. */
export function pyStrip(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isSpace(s.charCodeAt(a))) a++;
  while (b > a && isSpace(s.charCodeAt(b - 1))) b--;
  return s.substring(a, b);
}

function digitValue(c: i32): i32 {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 0xff10 && c <= 0xff19) return c - 0xff10; // full-width digits are Unicode decimals too
  if (c >= 0x660 && c <= 0x669) return c - 0x660;
  return -1;
}

/** Python's float(s). */
export function pyFloat(src: string): PyFloat {
  const r = new PyFloat();
  const s = pyStrip(src);
  let i = 0;
  const n = s.length;
  let neg = false;
  if (i < n && (s.charCodeAt(i) == 43 || s.charCodeAt(i) == 45)) {
    neg = s.charCodeAt(i) == 45;
    i++;
  }
  const rest = s.substring(i).toLowerCase();
  if (rest == "inf" || rest == "infinity") {
    r.ok = true;
    r.value = neg ? -Infinity : Infinity;
    return r;
  }
  if (rest == "nan") {
    r.ok = true;
    r.value = NaN;
    return r;
  }
  const digits = new Array<string>();
  let decExp = 0;
  let any = false;
  let lastWasDigit = false;
  let seenDot = false;
  while (i < n) {
    const c = s.charCodeAt(i);
    const d = digitValue(c);
    if (d >= 0) {
      if (digits.length > 0 || d != 0) digits.push(String.fromCharCode(48 + d));
      if (seenDot) decExp--;
      any = true;
      lastWasDigit = true;
      i++;
    } else if (c == 95) {
      // underscores only between digits
      if (!lastWasDigit || i + 1 >= n || digitValue(s.charCodeAt(i + 1)) < 0) return r;
      lastWasDigit = false;
      i++;
    } else if (c == 46 && !seenDot) {
      seenDot = true;
      lastWasDigit = false;
      i++;
    } else break;
  }
  if (!any) return r;
  if (i < n && (s.charCodeAt(i) == 101 || s.charCodeAt(i) == 69)) {
    i++;
    let eneg = false;
    if (i < n && (s.charCodeAt(i) == 43 || s.charCodeAt(i) == 45)) {
      eneg = s.charCodeAt(i) == 45;
      i++;
    }
    let e: i64 = 0;
    let eAny = false;
    let last = false;
    while (i < n) {
      const c = s.charCodeAt(i);
      const d = digitValue(c);
      if (d >= 0) {
        if (e < 100000000) e = e * 10 + d;
        eAny = true;
        last = true;
        i++;
      } else if (c == 95 && last && i + 1 < n && digitValue(s.charCodeAt(i + 1)) >= 0) {
        last = false;
        i++;
      } else break;
    }
    if (!eAny) return r;
    decExp += <i32>(eneg ? -e : e);
  }
  if (i != n) return r;
  r.ok = true;
  r.value = decimalToDouble(neg, digits.join(""), decExp);
  return r;
}

const POW10: f64[] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17,
  1e18, 1e19, 1e20, 1e21, 1e22];

/** The double nearest to (-1)^neg × digits × 10^exp (digits without leading zeros). */
export function decimalToDouble(neg: bool, digits: string, exp: i32): f64 {
  let v: f64;
  const nd = digits.length;
  if (nd == 0) v = 0;
  else if (nd + exp > 311) v = Infinity;
  else if (nd + exp < -326) v = 0;
  else if (nd <= 15 && exp >= -22 && exp <= 22) {
    const m = <f64>I64.parseInt(digits);
    v = exp >= 0 ? m * POW10[exp] : m / POW10[-exp];
  } else {
    const cut = min(nd, 800); // digits past 800 cannot change a double here beyond a sticky bit
    const d = bigFromDigits(digits, 0, cut);
    const e = exp + (nd - cut);
    v = e >= 0 ? ratioToDouble(bigMul(d, bigPow10(e)), [1]) : ratioToDouble(d, bigPow10(-e));
  }
  return neg ? -v : v;
}

/** The double nearest to n/m (n, m > 0 big integers), ties to even. */
export function ratioToDouble(n: u32[], m: u32[]): f64 {
  if (bigIsZero(n)) return 0;
  const k = 55 - (bigBitLength(n) - bigBitLength(m));
  const nn = k > 0 ? bigShl(n, k) : n;
  const mm = k < 0 ? bigShl(m, -k) : m;
  const qb = bigDivMod(nn, mm);
  let sticky = !bigIsZero(bigLastRemainder());
  let q = bigToU64(qb);
  let e2 = -k;
  while (q >= (<u64>1 << 54)) {
    if (q & 1) sticky = true;
    q >>= 1;
    e2++;
  }
  return assemble(q, e2, sticky);
}

function assemble(q: u64, e2: i32, sticky: bool): f64 {
  // q: 54 significant bits (53 + guard); value q × 2^e2 (+ sticky)
  let u = max(e2 + 1, -1074);
  let shift = u - e2;
  if (shift > 60) return 0;
  const guard = (q >> <u64>(shift - 1)) & 1;
  if (shift > 1 && (q & ((<u64>1 << <u64>(shift - 1)) - 1)) != 0) sticky = true;
  let m = q >> <u64>shift;
  if (guard == 1 && (sticky || (m & 1) == 1)) m++;
  if (m == (<u64>1 << 53)) {
    m >>= 1;
    u++;
  }
  if (m >= (<u64>1 << 52)) {
    const biased = u + 52 + 1023;
    if (biased >= 2047) return Infinity;
    return reinterpret<f64>((<u64>biased << 52) | (m - (<u64>1 << 52)));
  }
  return reinterpret<f64>(m);
}

/** Splits a finite non-zero |x| into mantissa m and exponent e with |x| = m × 2^e. */
function decompose(x: f64): u64 {
  const bits = reinterpret<u64>(x) & 0x7fffffffffffffff;
  const be = <i32>(bits >> 52);
  const frac = bits & 0xfffffffffffff;
  if (be == 0) {
    decomposedExp = -1074;
    return frac;
  }
  decomposedExp = be - 1075;
  return frac | (<u64>1 << 52);
}

let decomposedExp: i32 = 0;

/** Python's str(int(x)) for a finite x. */
export function pyIntString(x: f64): string {
  const t = x < 0 ? Math.ceil(x) : Math.floor(x);
  if (Math.abs(t) < 9.0e18) return (<i64>t).toString();
  const m = decompose(t);
  const big = bigShl(bigFromU64(m), decomposedExp);
  return (t < 0 ? "-" : "") + bigToString(big);
}

/** Python's round(x, ndigits) for a finite x. */
export function pyRound(x: f64, nd: i32): f64 {
  if (!isFinite(x) || x == 0) return x;
  if (nd > 323) return x;
  if (nd < -308) return 0.0 * x;
  const neg = x < 0;
  const m = decompose(x);
  const e = decomposedExp;
  // |x| × 10^nd = N / D exactly
  let N = bigShl(bigFromU64(m), max(e, 0));
  let D: u32[] = bigShl([1], max(-e, 0));
  if (nd >= 0) N = bigMul(N, bigPow10(nd));
  else D = bigMul(D, bigPow10(-nd));
  let q = bigDivMod(N, D);
  const r2 = bigShl(bigLastRemainder(), 1);
  const c = bigCmp(r2, D);
  if (c > 0 || (c == 0 && q.length > 0 && (q[0] & 1) == 1)) q = bigAdd(q, [1]);
  let v: f64;
  if (nd >= 0) v = ratioToDouble(q, bigPow10(nd));
  else v = ratioToDouble(bigMul(q, bigPow10(-nd)), [1]);
  return neg ? -v : v;
}

/** Python's repr(x) == str(x) for floats: the shortest round-tripping digits, Python's layout. */
export function pyRepr(x: f64): string {
  if (isNaN(x)) return "nan";
  if (!isFinite(x)) return x > 0 ? "inf" : "-inf";
  const neg = (reinterpret<u64>(x) >> 63) != 0;
  if (x == 0) return neg ? "-0.0" : "0.0";
  const ax = Math.abs(x);
  const m = decompose(ax);
  const e = decomposedExp;
  const N = bigShl(bigFromU64(m), max(e, 0));
  const D: u32[] = bigShl([1], max(-e, 0));
  let k = <i32>Math.floor(Math.log10(ax));
  let digits = "";
  for (let p = 1; p <= 17; p++) {
    let q: u32[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      q = roundedDigits(N, D, p - 1 - k);
      const s = bigToString(q);
      if (s.length > p) k++;
      else if (s.length < p) k--;
      else break;
    }
    const s = bigToString(q);
    if (decimalToDouble(false, s, k - p + 1) == ax) {
      digits = s;
      break;
    }
  }
  // strip trailing zeros
  let end = digits.length;
  while (end > 1 && digits.charCodeAt(end - 1) == 48) end--;
  digits = digits.substring(0, end);
  const decpt = k + 1;
  let out: string;
  if (decpt <= -4 || decpt > 16) {
    const exp = decpt - 1;
    const mant = digits.length > 1 ? digits.substring(0, 1) + "." + digits.substring(1) : digits;
    const ae = exp < 0 ? -exp : exp;
    out = mant + "e" + (exp < 0 ? "-" : "+") + (ae < 10 ? "0" : "") + ae.toString();
  } else if (decpt <= 0) {
    out = "0." + "0".repeat(-decpt) + digits;
  } else if (decpt >= digits.length) {
    out = digits + "0".repeat(decpt - digits.length) + ".0";
  } else {
    out = digits.substring(0, decpt) + "." + digits.substring(decpt);
  }
  return neg ? "-" + out : out;
}

function roundedDigits(N: u32[], D: u32[], scale: i32): u32[] {
  // round_half_even(N/D × 10^scale)
  let n = N;
  let d = D;
  if (scale >= 0) n = bigMul(n, bigPow10(scale));
  else d = bigMul(d, bigPow10(-scale));
  let q = bigDivMod(n, d);
  const r2 = bigShl(bigLastRemainder(), 1);
  const c = bigCmp(r2, d);
  if (c > 0 || (c == 0 && q.length > 0 && (q[0] & 1) == 1)) q = bigAdd(q, [1]);
  return q;
}

/** Levenshtein distance over code points, as python-Levenshtein's `distance`. */
export function levenshtein(a: string, b: string): i32 {
  const x = codePoints(a);
  const y = codePoints(b);
  const n = x.length;
  const m = y.length;
  if (n == 0) return m;
  if (m == 0) return n;
  let prev = new Array<i32>(m + 1);
  let cur = new Array<i32>(m + 1);
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    const xi = x[i - 1];
    for (let j = 1; j <= m; j++) {
      const cost = xi == unchecked(y[j - 1]) ? 0 : 1;
      let v = unchecked(prev[j - 1]) + cost;
      const del = unchecked(prev[j]) + 1;
      const ins = unchecked(cur[j - 1]) + 1;
      if (del < v) v = del;
      if (ins < v) v = ins;
      unchecked((cur[j] = v));
    }
    const t = prev;
    prev = cur;
    cur = t;
  }
  return prev[m];
}

function codePoints(s: string): i32[] {
  const out = new Array<i32>();
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d < 0xe000) {
        out.push(0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00));
        i++;
        continue;
      }
    }
    out.push(c);
  }
  return out;
}

