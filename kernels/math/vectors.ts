// Vectors written in other notations: unit vectors (`\mathbf{i} + 2\mathbf{j}`, `\hat{i}`, `\vec{k}`;
// the lexer reads them as the names unit_i, unit_j, unit_k) and transposes (`(1, 2, 3)^T`,
// `\begin{pmatrix}1 & 2\end{pmatrix}^{\top}`), so that they compare with the same vector as a tuple.
import { K, Node, collectSymbols } from "./ast";
import { ratInt } from "./rational";

const UNIT_NAMES: string[] = ["unit_i", "unit_j", "unit_k"];

function unitIndex(name: string): i32 {
  for (let i = 0; i < UNIT_NAMES.length; i++) if (unchecked(UNIT_NAMES[i]) == name) return i;
  return -1;
}

/** The tree with unit vector `which` set to 1 and the others to 0 (`which` -1: all 0). */
function substituted(n: Node, which: i32, depth: i32): Node {
  if (depth > 300) return n;
  if (n.kind == K.Sym) {
    const u = unitIndex(n.name);
    if (u >= 0) {
      const c = new Node(K.Num);
      c.rat = ratInt(u == which ? 1 : 0);
      return c;
    }
    return n;
  }
  const c = new Node(n.kind);
  c.name = n.name;
  c.rat = n.rat;
  c.decimal = n.decimal;
  c.a = n.a === null ? null : substituted(n.a!, which, depth + 1);
  c.b = n.b === null ? null : substituted(n.b!, which, depth + 1);
  for (let i = 0; i < n.kids.length; i++) c.kids.push(substituted(n.kids[i], which, depth + 1));
  c.ops = n.ops;
  c.open = n.open;
  c.close = n.close;
  c.cols = n.cols;
  c.hedged = n.hedged;
  c.ordered = n.ordered;
  return c;
}

/**
 * The components of a combination of unit vectors in `dims` dimensions (a·i + b·j + c·k → [a, b, c]),
 * followed by its constant part (which must equal 0); null when the tree uses no unit vector or one
 * beyond `dims`.
 */
export function unitComponents(n: Node, dims: i32): Node[] | null {
  if (dims < 2 || dims > 3 || n.kind == K.Tuple || n.kind == K.Matrix || n.kind == K.Rel) return null;
  const names = new Array<string>();
  collectSymbols(n, names);
  let units = 0;
  for (let i = 0; i < names.length; i++) {
    const u = unitIndex(names[i]);
    if (u >= dims) return null;
    if (u >= 0) units++;
  }
  if (units == 0) return null;
  const out = new Array<Node>();
  for (let d = 0; d < dims; d++) out.push(substituted(n, d, 0));
  out.push(substituted(n, -1, 0));
  return out;
}

function isTransposeMark(n: Node | null): bool {
  return n !== null && n.kind == K.Sym && (n.name == "T" || n.name == "top" || n.name == "intercal");
}

/** `v^T` → v for a tuple; `M^T` → the transposed matrix; anything else unchanged. */
export function untransposed(n: Node): Node {
  if (n.kind != K.Pow || n.a === null || !isTransposeMark(n.b)) return n;
  const a = n.a!;
  if (a.kind == K.Tuple) return a;
  if (a.kind != K.Matrix || a.kids.length == 0) return n;
  const cols = a.kids[0].kids.length;
  for (let r = 0; r < a.kids.length; r++) if (a.kids[r].kids.length != cols) return n;
  const t = new Node(K.Matrix);
  for (let c = 0; c < cols; c++) {
    const row = new Node(K.Tuple);
    row.open = 40;
    row.close = 41;
    for (let r = 0; r < a.kids.length; r++) row.kids.push(a.kids[r].kids[c]);
    t.kids.push(row);
  }
  t.cols = a.kids.length;
  return t;
}
