// The two quadratic sequence measures (used by text and match), bounded: longest common subsequence (bit-parallel, Hyyrö 2004) and
// Levenshtein distance (two-row dynamic programme). Callers check the cell bound first.

/** Cells (length × length) past which the LCS is `too_complex`: bit-parallel, about 1 ms per 2^26. */
export const MAX_LCS_CELLS: i64 = 1 << 26;
/** Cells past which an edit distance is `too_complex`: about 40 ms at the cap. */
export const MAX_EDIT_CELLS: i64 = 1 << 24;

/**
 * Length of the longest common subsequence of a[0..n) and b[0..m), symbols being ids below `alphabet`.
 * One bit per element of the shorter sequence; for each element of the longer one a carry-add step.
 */
export function lcsLength(a: Int32Array, n: i32, b: Int32Array, m: i32, alphabet: i32): i32 {
  if (n == 0 || m == 0) return 0;
  // bits for the shorter one
  let s = b, sl = m, l = a, ll = n;
  if (n < m) {
    s = a;
    sl = n;
    l = b;
    ll = m;
  }
  const words = (sl + 63) >> 6;
  // rows of match masks for the symbols of the shorter sequence
  const rowOf = new Int32Array(alphabet).fill(-1);
  let rows = 0;
  for (let i = 0; i < sl; i++) {
    const c = unchecked(s[i]);
    if (unchecked(rowOf[c]) < 0) unchecked((rowOf[c] = rows++));
  }
  const masks = new StaticArray<u64>(rows * words);
  for (let i = 0; i < sl; i++) {
    const r = unchecked(rowOf[unchecked(s[i])]);
    const at = r * words + (i >> 6);
    unchecked((masks[at] = masks[at] | (<u64>1 << <u64>(i & 63))));
  }
  const v = new StaticArray<u64>(words);
  for (let w = 0; w < words; w++) unchecked((v[w] = ~<u64>0));
  for (let j = 0; j < ll; j++) {
    const r = unchecked(rowOf[unchecked(l[j])]);
    if (r < 0) continue;
    const base = r * words;
    let carry: u64 = 0;
    for (let w = 0; w < words; w++) {
      const vw = unchecked(v[w]);
      const mw = unchecked(masks[base + w]);
      const u = vw & mw;
      const t = vw + u;
      const c1: u64 = t < vw ? 1 : 0;
      const sum = t + carry;
      const c2: u64 = sum < t ? 1 : 0;
      carry = c1 | c2;
      unchecked((v[w] = sum | (vw & ~mw)));
    }
  }
  let zeros = 0;
  for (let w = 0; w < words; w++) {
    let x = ~unchecked(v[w]);
    if (w == words - 1 && (sl & 63) != 0) x &= (<u64>1 << <u64>(sl & 63)) - 1;
    zeros += <i32>popcnt(x);
  }
  return zeros;
}

/** Levenshtein distance between a[0..n) and b[0..m) (unit costs). */
export function editDistance(a: Int32Array, n: i32, b: Int32Array, m: i32): i32 {
  if (n == 0) return m;
  if (m == 0) return n;
  let prev = new Int32Array(m + 1);
  let cur = new Int32Array(m + 1);
  for (let j = 0; j <= m; j++) unchecked((prev[j] = j));
  for (let i = 1; i <= n; i++) {
    unchecked((cur[0] = i));
    const ai = unchecked(a[i - 1]);
    for (let j = 1; j <= m; j++) {
      const sub = unchecked(prev[j - 1]) + (ai == unchecked(b[j - 1]) ? 0 : 1);
      const del = unchecked(prev[j]) + 1;
      const ins = unchecked(cur[j - 1]) + 1;
      unchecked((cur[j] = min(sub, min(del, ins))));
    }
    const t = prev;
    prev = cur;
    cur = t;
  }
  return unchecked(prev[m]);
}
