// The parsed form of an answer: one Node class with a kind, as small and flat as AssemblyScript likes.
import { Rat } from "./rational";

export enum K {
  Num, // rat (exact), decimal: written with a fractional part
  Sym, // name
  Pi,
  E,
  I,
  Inf,
  Add, // kids
  Mul, // kids
  Neg, // a
  Div, // a / b
  Pow, // a ^ b
  Func, // name, kids (log: kids[0] argument, kids[1] base when given)
  Fact, // a!
  Abs, // |a|
  Floor,
  Ceil,
  Pm, // a ± b (a may be null); op = -1 for ∓
  Rel, // kids with ops between them (ops[i] relates kids[i] and kids[i+1])
  Tuple, // kids, open and close bracket characters
  Set, // kids
  Union, // kids (ops: Cup, Cap, SetMinus between them)
  Matrix, // kids: rows (each a Tuple), cols
  List, // top-level answers (kids); hedged: joined by "or"; ordered: separated by spaces (a sequence)
  Text, // name: normalized text
  Percent, // a%
  Empty,
}

/** Relation operators stored in Node.ops. */
export enum RelOp {
  Eq,
  Lt,
  Gt,
  Le,
  Ge,
  Ne,
  Approx,
  In,
}

/** One node of an answer's tree. */
export class Node {
  kind: K;
  name: string = "";
  rat: Rat | null = null;
  decimal: bool = false;
  a: Node | null = null;
  b: Node | null = null;
  kids: Node[] = [];
  ops: i32[] = [];
  open: i32 = 0;
  close: i32 = 0;
  cols: i32 = 0;
  hedged: bool = false;
  // a List written as numbers separated by spaces ("3 4 1 2"): a sequence, compared in order
  ordered: bool = false;

  constructor(kind: K) {
    this.kind = kind;
  }
}

/** A node with two children. */
export function binary(kind: K, a: Node, b: Node): Node {
  const n = new Node(kind);
  n.a = a;
  n.b = b;
  return n;
}

/** A node with one child. */
export function unary(kind: K, a: Node): Node {
  const n = new Node(kind);
  n.a = a;
  return n;
}

/** True when the tree holds a number literal written with a fractional part (0.5, 1.25e3). */
export function hasDecimal(n: Node | null, depth: i32 = 0): bool {
  if (n === null || depth > 300) return false;
  if (n.kind == K.Num) return n.decimal;
  if (hasDecimal(n.a, depth + 1) || hasDecimal(n.b, depth + 1)) return true;
  for (let i = 0; i < n.kids.length; i++) if (hasDecimal(n.kids[i], depth + 1)) return true;
  return false;
}

/** True when the tree holds a number literal (a "label" like x, f(x) or |AB| holds none). */
export function hasNumber(n: Node | null, depth: i32 = 0): bool {
  if (n === null || depth > 300) return false;
  if (n.kind == K.Num) return true;
  if (hasNumber(n.a, depth + 1) || hasNumber(n.b, depth + 1)) return true;
  for (let i = 0; i < n.kids.length; i++) if (hasNumber(n.kids[i], depth + 1)) return true;
  return false;
}

/** True when the tree holds a free variable. */
export function hasSymbol(n: Node | null, depth: i32 = 0): bool {
  if (n === null || depth > 300) return false;
  if (n.kind == K.Sym || n.kind == K.Text) return true;
  if (hasSymbol(n.a, depth + 1) || hasSymbol(n.b, depth + 1)) return true;
  for (let i = 0; i < n.kids.length; i++) if (hasSymbol(n.kids[i], depth + 1)) return true;
  return false;
}

/** Collects the distinct variable names of a tree into `out`. */
export function collectSymbols(n: Node | null, out: string[], depth: i32 = 0): void {
  if (n === null || depth > 300 || out.length > 64) return;
  if (n.kind == K.Sym || n.kind == K.Text) {
    for (let i = 0; i < out.length; i++) if (out[i] == n.name) return;
    out.push(n.name);
    return;
  }
  collectSymbols(n.a, out, depth + 1);
  collectSymbols(n.b, out, depth + 1);
  for (let i = 0; i < n.kids.length; i++) collectSymbols(n.kids[i], out, depth + 1);
}

/** Number of ± signs in a tree. */
export function countPm(n: Node | null, depth: i32 = 0): i32 {
  if (n === null || depth > 300) return 0;
  let c = n.kind == K.Pm ? 1 : 0;
  c += countPm(n.a, depth + 1) + countPm(n.b, depth + 1);
  for (let i = 0; i < n.kids.length; i++) c += countPm(n.kids[i], depth + 1);
  return c;
}
