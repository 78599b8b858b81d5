// Equivalence of two parsed answers. Numbers are compared exactly as rationals; expressions with
// irrational parts or variables by evaluation at seeded random points; sets order-free, tuples in
// order, intervals by endpoints and brackets, equations up to a constant factor, inequalities up
// to a positive factor, matrices cell by cell. `Verdict.method` names the rule that decided.
import { K, Node, RelOp, collectSymbols, countPm, hasDecimal, hasNumber, hasSymbol } from "./ast";
import { C, Env, evalComplex, evalExact, setPmMask } from "./eval";
import { ratEq, ratInt } from "./rational";
import { bigTooComplex, spendWork } from "./bigint";
import { Tok } from "./lexer";
import { unitComponents, untransposed } from "./vectors";

/** `order: "auto"`: sequences and tuples in order, sets and bare comma lists order-free. */
export const ORDER_AUTO: i32 = 0;
/** `order: "ordered"`: every list, set and sequence compared element by element, in order. */
export const ORDER_ORDERED: i32 = 1;
/** `order: "unordered"`: lists, sequences and tuples compared as sets. */
export const ORDER_UNORDERED: i32 = 2;

/** Settings of one comparison. */
export class CompareOptions {
  /** ORDER_AUTO, ORDER_ORDERED or ORDER_UNORDERED. */
  order: i32 = ORDER_AUTO;
  /** Decimal places that must agree when an answer is written as a decimal. */
  precision: i32 = 6;
  /** Relative tolerance for decimal answers. */
  tolerance: f64 = 1e-9;
  /** Seed of the random evaluation points (a hash of the item). */
  seed: u32 = 1;
  /** False: free variables may be renamed consistently (f(x) = f(y)). */
  strict: bool = true;
}

/** The outcome of one comparison. */
export class Verdict {
  equal: bool = false;
  method: string = "";
  tooComplex: bool = false;
}

const POINTS: i32 = 6;
const MAX_SET: i32 = 256;

let opts = new CompareOptions();
let method = "";

function setMethod(m: string): void {
  if (method == "" || m == "set" || m == "tuple" || m == "interval" || m == "matrix" || m == "equation") {
    if (method != "set" && method != "matrix" && method != "interval") method = m;
  }
}

/** Compares a gold answer with a predicted one. */
export function compareAnswers(gold: Node, pred: Node, o: CompareOptions): Verdict {
  opts = o;
  method = "";
  const v = new Verdict();
  const g = unwrapList(gold);
  const p = unwrapList(pred);
  v.equal = compareTop(g, p);
  if (!v.equal && !o.strict && !bigTooComplex()) v.equal = compareRenamed(g, p);
  v.method = method == "" ? "symbolic" : method;
  v.tooComplex = bigTooComplex();
  return v;
}

function unwrapList(n: Node): Node {
  let cur = n;
  while ((cur.kind == K.List) && cur.kids.length == 1) cur = cur.kids[0];
  return cur;
}

function isCollection(n: Node): bool {
  return n.kind == K.List || n.kind == K.Set;
}

function compareTop(g: Node, p: Node): bool {
  // inequalities joined by "or" are the union of their intervals
  const gu = orIntervals(g);
  const pu = orIntervals(p);
  if (gu !== null || pu !== null) {
    setMethod("interval");
    return compareElem(gu !== null ? gu : g, 0, pu !== null ? pu : p, 0);
  }
  if (opts.order == ORDER_UNORDERED) {
    g = asSet(g);
    p = asSet(p);
  } else if (opts.order == ORDER_ORDERED || isSequence(g) || isSequence(p)) {
    const gk = orderedItems(g);
    const pk = orderedItems(p);
    if ((gk !== null || pk !== null) && countPm(g) == 0 && countPm(p) == 0) {
      // a single answer against a list is a list of one: "5 5" is not the answer 5 (as a set it was)
      return compareInOrder(gk !== null ? gk : [g], pk !== null ? pk : [p]);
    }
  }
  if (isCollection(g) || isCollection(p) || countPm(g) > 0 || countPm(p) > 0) {
    // sets (order-free): a lone element is a set of one
    if (g.kind == K.Set || p.kind == K.Set || g.kind == K.List || p.kind == K.List || topPm(g) || topPm(p)) {
      return compareSets(g, p);
    }
  }
  return compareElem(g, 0, p, 0);
}

function isSequence(n: Node): bool {
  return n.kind == K.List && n.ordered;
}

/** A tuple of numbers, not an interval: parentheses, or more than two elements. */
function isVectorTuple(n: Node): bool {
  return n.kind == K.Tuple && ((n.open == 40 && n.close == 41) || n.kids.length > 2);
}

/** The elements of a list, set, sequence or vector tuple, in written order; null for other answers. */
function orderedItems(n: Node): Node[] | null {
  if (n.kind == K.List || n.kind == K.Set || isVectorTuple(n)) return n.kids;
  return null;
}

function compareInOrder(g: Node[], p: Node[]): bool {
  method = "sequence";
  if (g.length != p.length) return false;
  for (let i = 0; i < g.length; i++) {
    if (!spendWork(50)) return false;
    if (!compareElem(g[i], 0, p[i], 0)) return false;
  }
  method = "sequence";
  return true;
}

/** Under `order: "unordered"`: a sequence, a list or a vector tuple as a set of its elements. */
function asSet(n: Node): Node {
  if (n.kind != K.List && !isVectorTuple(n)) return n;
  const s = new Node(K.Set);
  s.kids = n.kids;
  return s;
}

/** "x < 1 or x > 3": the union of the relations' intervals; null for any other answer. */
function orIntervals(n: Node): Node | null {
  if (n.kind != K.List || !n.hedged || n.kids.length < 2) return null;
  const u = new Node(K.Union);
  for (let i = 0; i < n.kids.length; i++) {
    const r = n.kids[i];
    if (r.kind != K.Rel) return null;
    const iv = relationToIntervals(r);
    if (iv === null || iv.kind == K.Rel) return null;
    if (iv.kind == K.Union) {
      for (let k = 0; k < iv.kids.length; k++) u.kids.push(iv.kids[k]);
    } else u.kids.push(iv);
    if (u.kids.length > 64) return null;
  }
  for (let i = 1; i < u.kids.length; i++) u.ops.push(<i32>Tok.Cup);
  return u;
}

/** Whether a gold answer stands for several values (a set, list, ±, interval or inequality). */
export function multiValued(gold: Node): bool {
  const n = unwrapList(gold);
  if (n.kind == K.List || n.kind == K.Set || n.kind == K.Union || topPm(n)) return true;
  if (n.kind == K.Tuple && !(n.open == 40 && n.close == 41)) return true;
  if (n.kind == K.Rel) {
    for (let i = 0; i < n.ops.length; i++) if (n.ops[i] != RelOp.Eq && n.ops[i] != RelOp.Approx) return true;
    return topPm(n);
  }
  return false;
}

function topPm(n: Node): bool {
  // a ± inside an expression (not inside a tuple or matrix) makes the answer a set of values
  if (n.kind == K.Tuple || n.kind == K.Matrix) return false;
  if (n.kind == K.Rel) return topPm(n.kids[n.kids.length - 1]);
  return countPm(n) > 0;
}

class Item {
  node: Node;
  mask: i32;
  constructor(node: Node, mask: i32) {
    this.node = node;
    this.mask = mask;
  }
}

function collectItems(n: Node, out: Item[], depth: i32): bool {
  if (depth > 8 || out.length > MAX_SET) return false;
  if (n.kind == K.List || n.kind == K.Set) {
    for (let i = 0; i < n.kids.length; i++) if (!collectItems(n.kids[i], out, depth + 1)) return false;
    return true;
  }
  if (topPm(n)) {
    const k = countPm(n);
    if (k > 4) return false;
    for (let m = 0; m < (1 << k); m++) out.push(new Item(n, m));
    return true;
  }
  out.push(new Item(n, 0));
  return true;
}

function compareSets(g: Node, p: Node): bool {
  setMethod("set");
  const gi = new Array<Item>();
  const pi = new Array<Item>();
  if (!collectItems(g, gi, 0) || !collectItems(p, pi, 0)) return false;
  // values that repeat because of ± (±0) collapse
  const gu = dedupe(gi);
  const pu = dedupe(pi);
  // set semantics: every element on each side has an equal one on the other side
  for (let i = 0; i < gu.length; i++) {
    let found = false;
    for (let j = 0; j < pu.length && !found; j++) {
      if (!spendWork(50)) return false;
      found = compareElem(gu[i].node, gu[i].mask, pu[j].node, pu[j].mask);
    }
    if (!found) return false;
  }
  for (let j = 0; j < pu.length; j++) {
    let found = false;
    for (let i = 0; i < gu.length && !found; i++) {
      if (!spendWork(50)) return false;
      found = compareElem(gu[i].node, gu[i].mask, pu[j].node, pu[j].mask);
    }
    if (!found) return false;
  }
  method = "set";
  return true;
}

function dedupe(items: Item[]): Item[] {
  const out = new Array<Item>();
  for (let i = 0; i < items.length; i++) {
    let dup = false;
    if (items[i].mask != 0) {
      for (let j = 0; j < out.length; j++) {
        if (out[j].node == items[i].node && compareElem(out[j].node, out[j].mask, items[i].node, items[i].mask)) {
          dup = true;
          break;
        }
      }
    }
    if (!dup) out.push(items[i]);
  }
  return out;
}

/** A relation chain of '=' (≈ after an '=' dropped) whose value is its last side, when it is one. */
function labelValue(n: Node): Node | null {
  if (n.kind != K.Rel) return null;
  let last = n.kids.length - 1;
  let sawEq = false;
  for (let i = 0; i < n.ops.length; i++) {
    const op = n.ops[i];
    if (op == RelOp.Approx && sawEq) {
      last = i;
      break;
    }
    if (op == RelOp.Eq) sawEq = true;
    else if (op != RelOp.Approx) return null;
  }
  if (last == 0) return null;
  const lhs = n.kids[0];
  const before = n.kids[last - 1];
  if (!hasNumber(lhs) || !hasNumber(before) || !hasSymbol(n)) return n.kids[last];
  return null;
}

function compareElem(g: Node, gm: i32, p: Node, pm: i32): bool {
  g = untransposed(unwrapList(g));
  p = untransposed(unwrapList(p));
  if (g.kind == K.Rel && p.kind == K.Rel) {
    const gv = labelValue(g);
    const pv = labelValue(p);
    if (gv !== null && pv !== null && !hasSymbol(gv) && !hasSymbol(pv)) {
      setMethod("equation");
      return compareElem(gv, gm, pv, pm);
    }
    return compareRelations(g, gm, p, pm);
  }
  if (g.kind == K.Rel) {
    const v = labelValue(g);
    if (v !== null) return compareElem(v, gm, p, pm);
    const iv = relationToIntervals(g);
    if (iv !== null && (p.kind == K.Tuple || p.kind == K.Union)) return compareElem(iv, gm, p, pm);
    return false;
  }
  if (p.kind == K.Rel) {
    const v = labelValue(p);
    if (v !== null) return compareElem(g, gm, v, pm);
    const iv = relationToIntervals(p);
    if (iv !== null && (g.kind == K.Tuple || g.kind == K.Union)) return compareElem(g, gm, iv, pm);
    return false;
  }
  if (g.kind == K.Tuple && p.kind == K.Tuple) {
    if (g.kids.length != p.kids.length) return false;
    const vector = g.kids.length > 2; // [1, 2, 3] = (1, 2, 3) = ⟨1, 2, 3⟩: not an interval
    const interval = !vector && (g.open != 40 || g.close != 41 || p.open != 40 || p.close != 41);
    setMethod(interval ? "interval" : "tuple");
    if (!vector && (g.open != p.open || g.close != p.close)) {
      // (a, b) and [a, b] lists of numbers with brackets that differ are different intervals
      return false;
    }
    for (let i = 0; i < g.kids.length; i++) if (!compareElem(g.kids[i], gm, p.kids[i], pm)) return false;
    return true;
  }
  if (g.kind == K.Union || p.kind == K.Union) {
    setMethod("interval");
    return compareUnions(g, p);
  }
  if ((g.kind == K.Set || g.kind == K.List) || (p.kind == K.Set || p.kind == K.List)) return compareSets(g, p);
  if (g.kind == K.Empty || p.kind == K.Empty) return g.kind == p.kind;
  if (isVectorTuple(g) != isVectorTuple(p)) {
    // i + 2j (unit vectors) against (1, 2): the components, then the constant part that must be 0
    const gc = isVectorTuple(g) ? g.kids : unitComponents(g, p.kids.length);
    const pc = isVectorTuple(p) ? p.kids : unitComponents(p, g.kids.length);
    if (gc !== null && pc !== null) {
      const zero = new Node(K.Num);
      zero.rat = ratInt(0);
      setMethod("tuple");
      const n = min(gc.length, pc.length);
      for (let i = 0; i < n; i++) if (!compareElem(gc[i], gm, pc[i], pm)) return false;
      const rest = gc.length > n ? gc[n] : pc[n]; // the constant part of the unit-vector side
      return compareElem(rest, gm, zero, pm);
    }
  }
  if ((g.kind == K.Matrix && isVectorTuple(p)) || (isVectorTuple(g) && p.kind == K.Matrix)) {
    // a column or row vector written as a matrix equals the same vector written as a tuple
    const gv = g.kind == K.Matrix ? matrixVector(g) : g.kids;
    const pv = p.kind == K.Matrix ? matrixVector(p) : p.kids;
    if (gv === null || pv === null || gv.length != pv.length) return false;
    setMethod("tuple");
    for (let i = 0; i < gv.length; i++) if (!compareElem(gv[i], gm, pv[i], pm)) return false;
    return true;
  }
  if (hasMatrixOperand(g) || hasMatrixOperand(p)) {
    const gm2 = matrixValue(g, 0);
    const pm2 = matrixValue(p, 0);
    if (gm2 === null || pm2 === null) return false;
    g = gm2;
    p = pm2;
  }
  if (g.kind == K.Matrix || p.kind == K.Matrix) {
    if (g.kind != p.kind || g.kids.length != p.kids.length) return false;
    setMethod("matrix");
    for (let r = 0; r < g.kids.length; r++) {
      const gr = g.kids[r];
      const pr = p.kids[r];
      if (gr.kids.length != pr.kids.length) return false;
      for (let c = 0; c < gr.kids.length; c++) if (!compareElem(gr.kids[c], gm, pr.kids[c], pm)) return false;
    }
    return true;
  }
  if (g.kind == K.Tuple || p.kind == K.Tuple) return false;
  return compareExpr(g, gm, p, pm);
}

/** The cells of a one-column or one-row matrix, in order; null for any other shape. */
function matrixVector(m: Node): Node[] | null {
  if (m.kids.length == 1) return m.kids[0].kids;
  const out = new Array<Node>();
  for (let r = 0; r < m.kids.length; r++) {
    if (m.kids[r].kids.length != 1) return null;
    out.push(m.kids[r].kids[0]);
  }
  return out;
}

function compareUnions(g: Node, p: Node): bool {
  const gk = g.kind == K.Union ? g.kids : [g];
  const pk = p.kind == K.Union ? p.kids : [p];
  if (g.kind == K.Union) for (let i = 0; i < g.ops.length; i++) if (g.ops[i] != <i32>Tok.Cup) return false;
  if (gk.length != pk.length) return false;
  const used = new Array<bool>(pk.length);
  for (let i = 0; i < gk.length; i++) {
    let found = false;
    for (let j = 0; j < pk.length; j++) {
      if (!used[j] && compareElem(gk[i], 0, pk[j], 0)) {
        used[j] = true;
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
  return true;
}

function infNode(neg: bool): Node {
  const inf = new Node(K.Inf);
  if (!neg) return inf;
  const n = new Node(K.Neg);
  n.a = inf;
  return n;
}

function interval(lo: Node, hi: Node, loClosed: bool, hiClosed: bool): Node {
  const t = new Node(K.Tuple);
  t.kids.push(lo);
  t.kids.push(hi);
  t.open = loClosed ? 91 : 40;
  t.close = hiClosed ? 93 : 41;
  return t;
}

function isVariable(n: Node): bool {
  return !hasNumber(n) && hasSymbol(n);
}

/** x ≤ 5 → (-∞, 5]; -2 ≤ x < 7 → [-2, 7); x ∈ S → S; null when the relation is not of that shape. */
function relationToIntervals(r: Node): Node | null {
  if (r.ops.length == 1 && r.ops[0] == RelOp.In) return r.kids[1];
  const abs = absRelation(r);
  if (abs !== null) return abs;
  if (r.ops.length == 1) {
    let op = r.ops[0];
    let v = r.kids[0];
    let c = r.kids[1];
    if (!isVariable(v)) {
      v = r.kids[1];
      c = r.kids[0];
      if (op == RelOp.Lt) op = RelOp.Gt;
      else if (op == RelOp.Gt) op = RelOp.Lt;
      else if (op == RelOp.Le) op = RelOp.Ge;
      else if (op == RelOp.Ge) op = RelOp.Le;
    }
    if (!isVariable(v) || hasSymbol(c)) return null;
    if (op == RelOp.Lt) return interval(infNode(true), c, false, false);
    if (op == RelOp.Le) return interval(infNode(true), c, false, true);
    if (op == RelOp.Gt) return interval(c, infNode(false), false, false);
    if (op == RelOp.Ge) return interval(c, infNode(false), true, false);
    if (op == RelOp.Ne) {
      const u = new Node(K.Union);
      u.kids.push(interval(infNode(true), c, false, false));
      u.kids.push(interval(c, infNode(false), false, false));
      u.ops.push(<i32>Tok.Cup);
      return u;
    }
    return null;
  }
  if (r.ops.length == 2 && isVariable(r.kids[1]) && !hasSymbol(r.kids[0]) && !hasSymbol(r.kids[2])) {
    const a = r.ops[0];
    const b = r.ops[1];
    const up = (a == RelOp.Lt || a == RelOp.Le) && (b == RelOp.Lt || b == RelOp.Le);
    const down = (a == RelOp.Gt || a == RelOp.Ge) && (b == RelOp.Gt || b == RelOp.Ge);
    if (up) return interval(r.kids[0], r.kids[2], a == RelOp.Le, b == RelOp.Le);
    if (down) return interval(r.kids[2], r.kids[0], b == RelOp.Ge, a == RelOp.Ge);
  }
  return null;
}

// ------------------------------------------------------------------ relations

function sideDifference(r: Node): Node {
  // first side minus last side, as a tree
  const d = new Node(K.Add);
  d.kids.push(r.kids[0]);
  const neg = new Node(K.Neg);
  neg.a = r.kids[r.kids.length - 1];
  d.kids.push(neg);
  return d;
}

function cutApprox(r: Node): Node {
  let sawEq = false;
  for (let i = 0; i < r.ops.length; i++) {
    if (r.ops[i] == RelOp.Eq) sawEq = true;
    if (r.ops[i] == RelOp.Approx && sawEq) {
      const c = new Node(K.Rel);
      for (let k = 0; k <= i; k++) c.kids.push(r.kids[k]);
      for (let k = 0; k < i; k++) c.ops.push(r.ops[k]);
      return c;
    }
  }
  return r;
}

function allOps(r: Node, op: i32): bool {
  for (let i = 0; i < r.ops.length; i++) if (r.ops[i] != op && !(op == RelOp.Eq && r.ops[i] == RelOp.Approx)) return false;
  return true;
}

function compareRelations(g: Node, gm: i32, p: Node, pm: i32): bool {
  g = cutApprox(g);
  p = cutApprox(p);
  setMethod("equation");
  if (allOps(g, RelOp.Eq) && allOps(p, RelOp.Eq)) {
    return proportional(sideDifference(g), gm, sideDifference(p), pm, false);
  }
  const gi = relationToIntervals(g);
  const pi = relationToIntervals(p);
  if (gi !== null && pi !== null && (g.ops.length == 2 || p.ops.length == 2 || g.ops[0] == RelOp.In ||
    p.ops[0] == RelOp.In)) {
    setMethod("interval");
    return compareElem(gi, gm, pi, pm);
  }
  if (g.ops.length != 1 || p.ops.length != 1) return false;
  const go = g.ops[0];
  const po = p.ops[0];
  if (go == RelOp.Ne || po == RelOp.Ne) {
    if (go != po) return false;
    return proportional(sideDifference(g), gm, sideDifference(p), pm, false);
  }
  const gStrict = go == RelOp.Lt || go == RelOp.Gt;
  const pStrict = po == RelOp.Lt || po == RelOp.Gt;
  if (gStrict != pStrict) return false;
  return proportional(positiveSide(g), gm, positiveSide(p), pm, true);
}

function positiveSide(r: Node): Node {
  // the expression E with "E > 0" (or ≥) equivalent to the inequality
  const op = r.ops[0];
  const d = new Node(K.Add);
  const neg = new Node(K.Neg);
  if (op == RelOp.Lt || op == RelOp.Le) {
    d.kids.push(r.kids[1]);
    neg.a = r.kids[0];
  } else {
    d.kids.push(r.kids[0]);
    neg.a = r.kids[1];
  }
  d.kids.push(neg);
  return d;
}

// ------------------------------------------------------------------ numeric

function hash32(s: string, seed: u32): u32 {
  let h: u32 = seed ^ 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= <u32>s.charCodeAt(i);
    h *= 16777619;
  }
  h ^= h >> 15;
  h *= 0x2c1b3c6d;
  h ^= h >> 12;
  return h;
}

function unitRandom(h: u32): f64 {
  return <f64>(h & 0xffffff) / 16777216.0;
}

function makeEnv(names: string[], point: i32): Env {
  const env = new Env();
  for (let i = 0; i < names.length; i++) {
    const h = hash32(names[i], opts.seed + <u32>point * 0x9e3779b9);
    const re = 0.35 + 1.9 * unitRandom(h);
    const im = point >= POINTS - 2 ? 0.25 * unitRandom(h * 31 + 7) : 0;
    env.names.push(names[i]);
    env.values.push(new C(re, im));
  }
  return env;
}

function bad(v: C): bool {
  return !isFinite(v.re) || !isFinite(v.im);
}

function closeEnough(a: C, b: C, decimals: bool): bool {
  if (!isFinite(a.re) || !isFinite(b.re)) {
    return a.re == b.re && Math.abs(a.im - b.im) <= 1e-12; // ±∞ only equals itself
  }
  const diff = Math.hypot(a.re - b.re, a.im - b.im);
  const scale = Math.max(Math.hypot(a.re, a.im), Math.hypot(b.re, b.im));
  if (decimals) {
    const absTol = 0.5 * Math.pow(10, -<f64>opts.precision) * (1 + 1e-9) + 1e-12;
    return diff <= absTol || diff <= opts.tolerance * scale;
  }
  return diff <= 1e-9 * Math.max(1, scale);
}

function compareExpr(g: Node, gm: i32, p: Node, pm: i32): bool {
  const decimals = hasDecimal(g) || hasDecimal(p);
  const names = new Array<string>();
  collectSymbols(g, names);
  collectSymbols(p, names);
  if (names.length == 0) {
    setPmMask(gm);
    const eg = evalExact(g);
    setPmMask(pm);
    const ep = evalExact(p);
    if (bigTooComplex()) return false;
    if (eg !== null && ep !== null) {
      if (ratEq(eg, ep)) {
        setMethod("rational");
        return true;
      }
      if (!decimals) {
        setMethod("rational");
        return percentMatch(g, p, eg.toF64(), ep.toF64());
      }
      setMethod("float");
      return closeEnough(new C(eg.toF64(), 0), new C(ep.toF64(), 0), true) ||
        percentMatch(g, p, eg.toF64(), ep.toF64());
    }
    const env = new Env();
    setPmMask(gm);
    const vg = evalComplex(g, env);
    setPmMask(pm);
    const vp = evalComplex(p, env);
    setMethod(decimals ? "float" : "symbolic");
    if ((!isFinite(vg.re) && !isFinite(vp.re)) || isNaN(vg.re) || isNaN(vp.re)) {
      if (isNaN(vg.re) || isNaN(vp.re)) return false;
    }
    return closeEnough(vg, vp, decimals) || (vg.im == 0 && vp.im == 0 && percentMatch(g, p, vg.re, vp.re));
  }
  setMethod("symbolic");
  let valid = 0;
  for (let k = 0; k < POINTS; k++) {
    if (!spendWork(20)) return false;
    const env = makeEnv(names, k);
    setPmMask(gm);
    const vg = evalComplex(g, env);
    setPmMask(pm);
    const vp = evalComplex(p, env);
    if (bad(vg) && bad(vp)) continue;
    if (bad(vg) || bad(vp)) return false;
    if (!closeEnough(vg, vp, decimals)) return false;
    valid++;
  }
  return valid >= 3;
}

function percentMatch(g: Node, p: Node, a: f64, b: f64): bool {
  // 28% and 0.28 are the same answer
  if (g.kind == K.Percent && p.kind != K.Percent) return Math.abs(a / 100 - b) <= 1e-12 * Math.max(1, Math.abs(b));
  if (p.kind == K.Percent && g.kind != K.Percent) return Math.abs(b / 100 - a) <= 1e-12 * Math.max(1, Math.abs(a));
  return false;
}

/** True when a ≡ k·b for one constant k (k > 0 when `positive`), checked at the random points. */
function proportional(a: Node, am: i32, b: Node, bm: i32, positive: bool): bool {
  const names = new Array<string>();
  collectSymbols(a, names);
  collectSymbols(b, names);
  let ratio: C | null = null;
  let zeros = 0;
  let valid = 0;
  const points = names.length == 0 ? 1 : POINTS;
  for (let k = 0; k < points; k++) {
    if (!spendWork(20)) return false;
    const env = makeEnv(names, k);
    setPmMask(am);
    const va = evalComplex(a, env);
    setPmMask(bm);
    const vb = evalComplex(b, env);
    if (bad(va) && bad(vb)) continue;
    if (bad(va) || bad(vb)) return false;
    const ma = Math.hypot(va.re, va.im);
    const mb = Math.hypot(vb.re, vb.im);
    if (ma < 1e-12 && mb < 1e-12) {
      zeros++;
      valid++;
      continue;
    }
    if (ma < 1e-12 || mb < 1e-12) return false;
    const d = vb.re * vb.re + vb.im * vb.im;
    const r = new C((va.re * vb.re + va.im * vb.im) / d, (va.im * vb.re - va.re * vb.im) / d);
    if (ratio === null) {
      if (positive && (Math.abs(r.im) > 1e-9 || r.re <= 0)) return false;
      ratio = r;
    } else if (!closeEnough(ratio!, r, false)) return false;
    valid++;
  }
  return valid >= min(points, 3);
}

// ------------------------------------------------------------------ matrix arithmetic

const MAX_MATRIX_WORK: i32 = 40000;

/** True when a sum, product or negation has a matrix among its operands (A + B, AB, 2A, -A). */
function hasMatrixOperand(n: Node): bool {
  if (n.kind == K.Neg) return n.a !== null && (n.a!.kind == K.Matrix || hasMatrixOperand(n.a!));
  if (n.kind != K.Add && n.kind != K.Mul) return false;
  for (let i = 0; i < n.kids.length; i++) {
    const k = n.kids[i];
    if (k.kind == K.Matrix || ((k.kind == K.Neg || k.kind == K.Add || k.kind == K.Mul) && hasMatrixOperand(k))) return true;
  }
  return false;
}

function matrixOf(rows: i32, cols: i32): Node {
  const m = new Node(K.Matrix);
  for (let r = 0; r < rows; r++) {
    const row = new Node(K.Tuple);
    row.open = 40;
    row.close = 41;
    m.kids.push(row);
  }
  m.cols = cols;
  return m;
}

function cols(m: Node): i32 {
  return m.kids.length == 0 ? 0 : m.kids[0].kids.length;
}

function rectangular(m: Node): bool {
  const c = cols(m);
  for (let r = 0; r < m.kids.length; r++) if (m.kids[r].kids.length != c) return false;
  return c > 0;
}

/**
 * The matrix a sum / product / negation of matrices and scalars denotes, cell by cell as expression
 * trees (exactly compared afterwards); a scalar stays a scalar; null when shapes do not fit or the
 * work bound is passed.
 */
function matrixValue(n: Node, depth: i32): Node | null {
  if (depth > 40) return null;
  if (n.kind == K.Matrix) return rectangular(n) ? n : null;
  if (n.kind == K.Neg) {
    const a = matrixValue(n.a!, depth + 1);
    if (a === null || a.kind != K.Matrix) return a === null ? null : unaryNeg(a);
    const m = matrixOf(a.kids.length, cols(a));
    for (let r = 0; r < a.kids.length; r++) for (let c = 0; c < cols(a); c++) m.kids[r].kids.push(unaryNeg(a.kids[r].kids[c]));
    return m;
  }
  if (n.kind == K.Add) {
    let acc: Node | null = null;
    let scalar = false;
    for (let i = 0; i < n.kids.length; i++) {
      const v = matrixValue(n.kids[i], depth + 1);
      if (v === null) return null;
      if (v.kind != K.Matrix) {
        scalar = true;
        continue;
      }
      if (acc === null) {
        acc = v;
        continue;
      }
      const a = acc!;
      if (a.kids.length != v.kids.length || cols(a) != cols(v)) return null;
      if (!spendWork(a.kids.length * cols(a))) return null;
      const m = matrixOf(a.kids.length, cols(a));
      for (let r = 0; r < a.kids.length; r++) {
        for (let c = 0; c < cols(a); c++) {
          const sum = new Node(K.Add);
          sum.kids.push(a.kids[r].kids[c]);
          sum.kids.push(v.kids[r].kids[c]);
          m.kids[r].kids.push(sum);
        }
      }
      acc = m;
    }
    if (acc === null) return n;
    return scalar ? null : acc; // a matrix plus a scalar is not defined
  }
  if (n.kind == K.Mul) {
    let acc: Node | null = null;
    for (let i = 0; i < n.kids.length; i++) {
      const v = matrixValue(n.kids[i], depth + 1);
      if (v === null) return null;
      if (acc === null) {
        acc = v;
        continue;
      }
      acc = matrixProduct(acc!, v);
      if (acc === null) return null;
    }
    return acc;
  }
  return n;
}

function unaryNeg(a: Node): Node {
  const n = new Node(K.Neg);
  n.a = a;
  return n;
}

function product(a: Node, b: Node): Node {
  const m = new Node(K.Mul);
  m.kids.push(a);
  m.kids.push(b);
  return m;
}

function matrixProduct(a: Node, b: Node): Node | null {
  if (a.kind != K.Matrix && b.kind != K.Matrix) return product(a, b);
  if (a.kind != K.Matrix || b.kind != K.Matrix) {
    // scalar times matrix
    const m = a.kind == K.Matrix ? a : b;
    const k = a.kind == K.Matrix ? b : a;
    if (!spendWork(m.kids.length * cols(m))) return null;
    const out = matrixOf(m.kids.length, cols(m));
    for (let r = 0; r < m.kids.length; r++) for (let c = 0; c < cols(m); c++) out.kids[r].kids.push(product(k, m.kids[r].kids[c]));
    return out;
  }
  const n = a.kids.length;
  const inner = cols(a);
  const p = cols(b);
  if (inner != b.kids.length) return null;
  if (n * inner * p > MAX_MATRIX_WORK || !spendWork(n * inner * p)) return null;
  const out = matrixOf(n, p);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < p; c++) {
      const sum = new Node(K.Add);
      for (let k = 0; k < inner; k++) sum.kids.push(product(a.kids[r].kids[k], b.kids[k].kids[c]));
      out.kids[r].kids.push(sum);
    }
  }
  return out;
}

// ------------------------------------------------------------------ |x| in inequalities

function isAbsOfVariable(n: Node): bool {
  return n.kind == K.Abs && n.a !== null && n.a!.kind == K.Sym;
}

function flip(op: i32): i32 {
  if (op == RelOp.Lt) return RelOp.Gt;
  if (op == RelOp.Gt) return RelOp.Lt;
  if (op == RelOp.Le) return RelOp.Ge;
  if (op == RelOp.Ge) return RelOp.Le;
  return op;
}

/** The numeric value of a constant bound (NaN when it is not a real constant). */
function constantValue(n: Node): f64 {
  if (hasSymbol(n)) return NaN;
  const e = evalExact(n);
  if (e !== null) return e.toF64();
  const v = evalComplex(n, new Env());
  return Math.abs(v.im) < 1e-12 ? v.re : NaN;
}

function neg(n: Node): Node {
  const m = new Node(K.Neg);
  m.a = n;
  return m;
}

function union2(a: Node, b: Node): Node {
  const u = new Node(K.Union);
  u.kids.push(a);
  u.kids.push(b);
  u.ops.push(<i32>Tok.Cup);
  return u;
}

/** |x| < c, |x| ≥ c, a ≤ |x| ≤ b (constant bounds) as intervals of x; null for other shapes. */
function absRelation(r: Node): Node | null {
  if (r.ops.length == 1) {
    let op = r.ops[0];
    let c = r.kids[1];
    if (!isAbsOfVariable(r.kids[0])) {
      if (!isAbsOfVariable(r.kids[1])) return null;
      c = r.kids[0];
      op = flip(op);
    }
    const v = constantValue(c);
    if (isNaN(v)) return null;
    if (op == RelOp.Lt || op == RelOp.Le) {
      if (v < 0 || (v == 0 && op == RelOp.Lt)) return new Node(K.Empty);
      return interval(neg(c), c, op == RelOp.Le, op == RelOp.Le);
    }
    if (op == RelOp.Gt || op == RelOp.Ge) {
      if (v < 0 || (v == 0 && op == RelOp.Ge)) return interval(infNode(true), infNode(false), false, false);
      const closed = op == RelOp.Ge;
      return union2(interval(infNode(true), neg(c), false, closed), interval(c, infNode(false), closed, false));
    }
    return null;
  }
  if (r.ops.length == 2 && isAbsOfVariable(r.kids[1])) {
    let a = r.ops[0];
    let b = r.ops[1];
    let lo = r.kids[0];
    let hi = r.kids[2];
    if ((a == RelOp.Gt || a == RelOp.Ge) && (b == RelOp.Gt || b == RelOp.Ge)) {
      lo = r.kids[2];
      hi = r.kids[0];
      const t = flip(b);
      b = flip(a);
      a = t;
    }
    if (!((a == RelOp.Lt || a == RelOp.Le) && (b == RelOp.Lt || b == RelOp.Le))) return null;
    const lv = constantValue(lo);
    const hv = constantValue(hi);
    if (isNaN(lv) || isNaN(hv)) return null;
    const hiClosed = b == RelOp.Le;
    if (lv < 0 || (lv == 0 && a == RelOp.Le)) return interval(neg(hi), hi, hiClosed, hiClosed);
    const loClosed = a == RelOp.Le;
    return union2(interval(neg(hi), neg(lo), hiClosed, loClosed), interval(lo, hi, loClosed, hiClosed));
  }
  return null;
}

// ------------------------------------------------------------------ renaming (strict: false)

function renamed(n: Node, from: string[], to: string[], depth: i32): Node {
  const c = new Node(n.kind);
  c.name = n.name;
  if (depth > 300) return n;
  if (n.kind == K.Sym) {
    for (let i = 0; i < from.length; i++) if (from[i] == n.name) c.name = to[i];
  }
  c.rat = n.rat;
  c.decimal = n.decimal;
  c.a = n.a === null ? null : renamed(n.a!, from, to, depth + 1);
  c.b = n.b === null ? null : renamed(n.b!, from, to, depth + 1);
  for (let i = 0; i < n.kids.length; i++) c.kids.push(renamed(n.kids[i], from, to, depth + 1));
  c.ops = n.ops;
  c.open = n.open;
  c.close = n.close;
  c.cols = n.cols;
  c.hedged = n.hedged;
  return c;
}

/** Equal up to a one-to-one renaming of the variables only one side uses (f(x) = f(y)); at most 3 of them. */
function compareRenamed(g: Node, p: Node): bool {
  const gn = new Array<string>();
  const pn = new Array<string>();
  collectSymbols(g, gn);
  collectSymbols(p, pn);
  const gOnly = new Array<string>();
  const pOnly = new Array<string>();
  for (let i = 0; i < gn.length; i++) if (!pn.includes(gn[i])) gOnly.push(gn[i]);
  for (let i = 0; i < pn.length; i++) if (!gn.includes(pn[i])) pOnly.push(pn[i]);
  const k = gOnly.length;
  if (k == 0 || k != pOnly.length || k > 3) return false;
  // every ordering of gOnly (k ≤ 3: at most 6)
  const perms: i32[][] = k == 1 ? [[0]] : k == 2 ? [[0, 1], [1, 0]] : [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
  for (let i = 0; i < perms.length; i++) {
    const to = new Array<string>();
    for (let j = 0; j < k; j++) to.push(gOnly[perms[i][j]]);
    if (!spendWork(100)) return false;
    method = "";
    if (compareTop(g, renamed(p, pOnly, to, 0))) return true;
  }
  return false;
}
