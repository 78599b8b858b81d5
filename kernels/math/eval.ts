// Evaluation of expression trees: exactly over rationals where every step is rational, and
// numerically over complex f64 at given variable values otherwise. `pmMask` picks the sign of each
// ± in tree order, so an answer with k ± signs stands for up to 2^k values.
import { K, Node } from "./ast";
import {
  Rat, ratAdd, ratDiv, ratInt, ratMake, ratMul, ratNeg, ratPowInt, ratSmallInt, ratSqrtExact,
} from "./rational";
import { bigFromU64, bigMul, bigTooComplex, markTooComplex, spendWork } from "./bigint";

const MAX_EVAL_DEPTH: i32 = 400;

let pmMask: i32 = 0;
let pmIndex: i32 = 0;

/** Chooses the signs of the ± nodes for the next evaluation (bit k set: the k-th ± is minus). */
export function setPmMask(mask: i32): void {
  pmMask = mask;
}

function pmSign(op: i32): bool {
  // true: plus
  const bit = (pmMask >> pmIndex) & 1;
  pmIndex++;
  return op > 0 ? bit == 0 : bit != 0;
}

// ---------------------------------------------------------------- exact

/** The exact rational value of a tree without variables, or null when a step is not rational. */
export function evalExact(n: Node): Rat | null {
  pmIndex = 0;
  return exact(n, 0);
}

function exact(n: Node, depth: i32): Rat | null {
  if (depth > MAX_EVAL_DEPTH || bigTooComplex()) {
    if (depth > MAX_EVAL_DEPTH) markTooComplex();
    return null;
  }
  spendWork(1);
  switch (n.kind) {
    case K.Num:
      if (n.name == "huge") {
        markTooComplex();
        return null;
      }
      return n.rat;
    case K.Neg: {
      const a = exact(n.a!, depth + 1);
      return a === null ? null : ratNeg(a);
    }
    case K.Percent:
      return exact(n.a!, depth + 1);
    case K.Add: {
      let acc = ratInt(0);
      for (let i = 0; i < n.kids.length; i++) {
        const v = exact(n.kids[i], depth + 1);
        if (v === null) return null;
        acc = ratAdd(acc, v);
      }
      return acc;
    }
    case K.Mul: {
      let acc = ratInt(1);
      for (let i = 0; i < n.kids.length; i++) {
        const v = exact(n.kids[i], depth + 1);
        if (v === null) return null;
        acc = ratMul(acc, v);
      }
      return acc;
    }
    case K.Div: {
      const a = exact(n.a!, depth + 1);
      if (a === null) return null;
      const b = exact(n.b!, depth + 1);
      if (b === null) return null;
      return ratDiv(a, b);
    }
    case K.Pow:
      return exactPow(n, depth);
    case K.Pm: {
      const plus = pmSign(n.ops[0]);
      const b = exact(n.b!, depth + 1);
      if (b === null) return null;
      const sb = plus ? b : ratNeg(b);
      if (n.a === null) return sb;
      const a = exact(n.a!, depth + 1);
      return a === null ? null : ratAdd(a, sb);
    }
    case K.Abs: {
      const a = exact(n.a!, depth + 1);
      return a === null ? null : new Rat(false, a.num, a.den);
    }
    case K.Fact: {
      const a = exact(n.a!, depth + 1);
      if (a === null) return null;
      const k = ratSmallInt(a);
      if (k < 0 || k == i64.MIN_VALUE) return null;
      if (k > 3000) {
        markTooComplex();
        return null;
      }
      let acc: u32[] = [1];
      for (let i: i64 = 2; i <= k && !bigTooComplex(); i++) acc = bigMul(acc, bigFromU64(<u64>i));
      return new Rat(false, acc, [1]);
    }
    case K.Func:
      return exactFunc(n, depth);
  }
  return null;
}

function exactPow(n: Node, depth: i32): Rat | null {
  const base = exact(n.a!, depth + 1);
  if (base === null) return null;
  const e = exact(n.b!, depth + 1);
  if (e === null) return null;
  if (e.isInteger()) {
    const k = ratSmallInt(e);
    if (k == i64.MIN_VALUE || k > 1000000 || k < -1000000) {
      // 10^{10^{10}}: far past any bound we hold exactly
      if (!(base.isZero() || (base.isInteger() && base.num.length == 1 && base.num[0] == 1))) markTooComplex();
      return null;
    }
    return ratPowInt(base, k);
  }
  // p/2 powers of perfect squares
  if (e.den.length == 1 && e.den[0] == 2) {
    const root = ratSqrtExact(base);
    if (root === null) return null;
    const k = ratSmallInt(new Rat(e.neg, e.num, [1]));
    if (k == i64.MIN_VALUE || k > 100000 || k < -100000) return null;
    return ratPowInt(root, k);
  }
  return null;
}

function exactFunc(n: Node, depth: i32): Rat | null {
  if (n.name == "sqrt") {
    const a = exact(n.kids[0], depth + 1);
    return a === null ? null : ratSqrtExact(a);
  }
  if (n.name == "binom") {
    const a = exact(n.kids[0], depth + 1);
    const b = exact(n.kids[1], depth + 1);
    if (a === null || b === null) return null;
    const nn = ratSmallInt(a);
    const kk = ratSmallInt(b);
    if (nn == i64.MIN_VALUE || kk == i64.MIN_VALUE || nn < 0 || kk < 0 || kk > nn) return kk > nn ? ratInt(0) : null;
    const k = min(kk, nn - kk);
    if (k > 3000) {
      markTooComplex();
      return null;
    }
    let num: u32[] = [1];
    let den: u32[] = [1];
    for (let i: i64 = 0; i < k && !bigTooComplex(); i++) {
      num = bigMul(num, bigFromU64(<u64>(nn - i)));
      den = bigMul(den, bigFromU64(<u64>(i + 1)));
    }
    return ratMake(false, num, den);
  }
  if (n.name == "max" || n.name == "min") return null;
  return null;
}

// ---------------------------------------------------------------- complex

/** A complex number. */
export class C {
  re: f64;
  im: f64;
  constructor(re: f64, im: f64) {
    this.re = re;
    this.im = im;
  }
}

// (a function, not a global object: the heap is reset between items)
@inline function nanC(): C {
  return new C(NaN, NaN);
}

/** Variable values for a numeric evaluation. */
export class Env {
  names: string[] = [];
  values: C[] = [];
  lookup(name: string): C {
    for (let i = 0; i < this.names.length; i++) if (unchecked(this.names[i]) == name) return unchecked(this.values[i]);
    return nanC();
  }
}

/** The complex value of a tree at the given variable values (NaN parts where undefined). */
export function evalComplex(n: Node, env: Env): C {
  pmIndex = 0;
  return cval(n, env, 0);
}

function cadd(a: C, b: C): C {
  return new C(a.re + b.re, a.im + b.im);
}

function cmul(a: C, b: C): C {
  return new C(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re);
}

function cdiv(a: C, b: C): C {
  const d = b.re * b.re + b.im * b.im;
  if (d == 0) return nanC();
  return new C((a.re * b.re + a.im * b.im) / d, (a.im * b.re - a.re * b.im) / d);
}

function cexp(a: C): C {
  const m = Math.exp(a.re);
  if (a.im == 0) return new C(m, 0);
  return new C(m * Math.cos(a.im), m * Math.sin(a.im));
}

function clog(a: C): C {
  if (a.im == 0 && a.re > 0) return new C(Math.log(a.re), 0);
  return new C(Math.log(Math.hypot(a.re, a.im)), Math.atan2(a.im, a.re));
}

function csqrt(a: C): C {
  if (a.im == 0) {
    if (a.re >= 0) return new C(Math.sqrt(a.re), 0);
    return new C(0, Math.sqrt(-a.re));
  }
  const r = Math.hypot(a.re, a.im);
  const re = Math.sqrt((r + a.re) / 2);
  let im = Math.sqrt((r - a.re) / 2);
  if (a.im < 0) im = -im;
  return new C(re, im);
}

function cpow(a: C, b: C): C {
  if (b.im == 0 && b.re == Math.floor(b.re) && Math.abs(b.re) <= 64) {
    let k = <i32>Math.abs(b.re);
    let acc = new C(1, 0);
    let base = a;
    while (k > 0) {
      if (k & 1) acc = cmul(acc, base);
      base = cmul(base, base);
      k >>= 1;
    }
    return b.re < 0 ? cdiv(new C(1, 0), acc) : acc;
  }
  if (a.im == 0 && b.im == 0 && a.re > 0) return new C(Math.pow(a.re, b.re), 0);
  if (a.re == 0 && a.im == 0) return b.re > 0 ? new C(0, 0) : nanC();
  // real odd roots of negative reals (x^{1/3}) keep the real branch
  if (a.im == 0 && b.im == 0 && a.re < 0) {
    const inv = 1 / b.re;
    if (Math.abs(inv - Math.round(inv)) < 1e-12 && (<i64>Math.round(inv)) % 2 != 0) {
      return new C(-Math.pow(-a.re, b.re), 0);
    }
  }
  return cexp(cmul(b, clog(a)));
}

function csin(a: C): C {
  return new C(Math.sin(a.re) * Math.cosh(a.im), Math.cos(a.re) * Math.sinh(a.im));
}

function ccos(a: C): C {
  return new C(Math.cos(a.re) * Math.cosh(a.im), -Math.sin(a.re) * Math.sinh(a.im));
}

function realOnly(a: C, v: f64): C {
  return a.im == 0 ? new C(v, 0) : nanC();
}

function gammaInt(k: f64): f64 {
  // k! for integers 0..170
  let acc: f64 = 1;
  for (let i: f64 = 2; i <= k; i++) acc *= i;
  return acc;
}

function cval(n: Node, env: Env, depth: i32): C {
  if (depth > MAX_EVAL_DEPTH) return nanC();
  switch (n.kind) {
    case K.Num:
      return new C(n.rat!.toF64(), 0);
    case K.Sym:
    case K.Text:
      return env.lookup(n.name);
    case K.Pi:
      return new C(Math.PI, 0);
    case K.E:
      return new C(Math.E, 0);
    case K.I:
      return new C(0, 1);
    case K.Inf:
      return new C(Infinity, 0);
    case K.Neg: {
      const a = cval(n.a!, env, depth + 1);
      return new C(-a.re, -a.im);
    }
    case K.Percent:
      return cval(n.a!, env, depth + 1);
    case K.Add: {
      let acc = new C(0, 0);
      for (let i = 0; i < n.kids.length; i++) acc = cadd(acc, cval(n.kids[i], env, depth + 1));
      return acc;
    }
    case K.Mul: {
      let acc = new C(1, 0);
      for (let i = 0; i < n.kids.length; i++) acc = cmul(acc, cval(n.kids[i], env, depth + 1));
      return acc;
    }
    case K.Div:
      return cdiv(cval(n.a!, env, depth + 1), cval(n.b!, env, depth + 1));
    case K.Pow:
      return cpow(cval(n.a!, env, depth + 1), cval(n.b!, env, depth + 1));
    case K.Pm: {
      const plus = pmSign(n.ops[0]);
      let b = cval(n.b!, env, depth + 1);
      if (!plus) b = new C(-b.re, -b.im);
      if (n.a === null) return b;
      return cadd(cval(n.a!, env, depth + 1), b);
    }
    case K.Abs: {
      const a = cval(n.a!, env, depth + 1);
      return new C(Math.hypot(a.re, a.im), 0);
    }
    case K.Floor: {
      const a = cval(n.a!, env, depth + 1);
      return realOnly(a, Math.floor(a.re + 1e-12));
    }
    case K.Ceil: {
      const a = cval(n.a!, env, depth + 1);
      return realOnly(a, Math.ceil(a.re - 1e-12));
    }
    case K.Fact: {
      const a = cval(n.a!, env, depth + 1);
      if (a.im != 0 || a.re < 0 || a.re != Math.floor(a.re)) return nanC();
      if (a.re > 170) return new C(Infinity, 0);
      return new C(gammaInt(a.re), 0);
    }
    case K.Func:
      return cfunc(n, env, depth);
  }
  return nanC();
}

function cfunc(n: Node, env: Env, depth: i32): C {
  const name = n.name;
  if (n.kids.length == 0) return nanC();
  const a = cval(n.kids[0], env, depth + 1);
  if (name == "sqrt") return csqrt(a);
  if (name == "exp") return cexp(a);
  if (name == "ln") return clog(a);
  if (name == "log") {
    if (n.kids.length > 1) return cdiv(clog(a), clog(cval(n.kids[1], env, depth + 1)));
    return clog(a);
  }
  if (name == "lg") return cdiv(clog(a), new C(Math.LN10, 0));
  if (name == "sin") return csin(a);
  if (name == "cos") return ccos(a);
  if (name == "tan") return cdiv(csin(a), ccos(a));
  if (name == "sec") return cdiv(new C(1, 0), ccos(a));
  if (name == "csc") return cdiv(new C(1, 0), csin(a));
  if (name == "cot") return cdiv(ccos(a), csin(a));
  if (name == "sinh") return new C(Math.sinh(a.re), 0).im == 0 && a.im == 0 ? new C(Math.sinh(a.re), 0) : nanC();
  if (name == "cosh") return realOnly(a, Math.cosh(a.re));
  if (name == "tanh") return realOnly(a, Math.tanh(a.re));
  if (name == "arcsin") return realOnly(a, Math.asin(a.re));
  if (name == "arccos") return realOnly(a, Math.acos(a.re));
  if (name == "arctan") return realOnly(a, Math.atan(a.re));
  if (name == "arccot") return realOnly(a, Math.atan(1 / a.re));
  if (name == "arcsec") return realOnly(a, Math.acos(1 / a.re));
  if (name == "arccsc") return realOnly(a, Math.asin(1 / a.re));
  if (name == "binom") {
    const b = cval(n.kids[1], env, depth + 1);
    if (a.im != 0 || b.im != 0 || a.re != Math.floor(a.re) || b.re != Math.floor(b.re) || a.re > 170) return nanC();
    if (b.re < 0 || b.re > a.re) return new C(0, 0);
    return new C(Math.round(gammaInt(a.re) / (gammaInt(b.re) * gammaInt(a.re - b.re))), 0);
  }
  if (name == "max" || name == "min") {
    let best = a;
    for (let i = 1; i < n.kids.length; i++) {
      const v = cval(n.kids[i], env, depth + 1);
      if (v.im != 0 || best.im != 0) return nanC();
      if (name == "max" ? v.re > best.re : v.re < best.re) best = v;
    }
    return best;
  }
  if (name == "det") return a;
  return nanC();
}
