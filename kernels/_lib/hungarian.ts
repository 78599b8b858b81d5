// Optimal one-to-one assignment (Kuhn-Munkres with potentials, O(n^2 m) for n rows <= m columns).

/**
 * Assigns rows to columns so that the total weight is as large as possible; weights are row-major
 * (`weights[r * cols + c]`) and non-negative. Returns, for each row, its column or -1. A pair with
 * weight 0 is reported as -1 (it adds nothing, so "unassigned" and "assigned at 0" are the same).
 * Example: weights [0.9, 0.1, 0.8, 0.7] (2x2) assigns row 0 → 0 and row 1 → 1 (total 1.6).
 */
export function assignMaxWeight(weights: Float64Array, rows: i32, cols: i32): Int32Array {
  const result = new Int32Array(rows).fill(-1);
  if (rows == 0 || cols == 0) return result;
  // The algorithm needs n <= m: transpose when there are more rows than columns.
  const flip = rows > cols;
  const n = flip ? cols : rows;
  const m = flip ? rows : cols;
  let maxW: f64 = 0;
  for (let i = 0; i < weights.length; i++) if (unchecked(weights[i]) > maxW) maxW = unchecked(weights[i]);
  // cost[i][j] = maxW - w  (minimising cost maximises weight), 1-based arrays as in the textbook form
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const p = new Int32Array(m + 1); // p[j]: row assigned to column j (0 = none)
  const way = new Int32Array(m + 1);
  const minv = new Float64Array(m + 1);
  const used = new Uint8Array(m + 1);
  for (let i = 1; i <= n; i++) {
    unchecked((p[0] = i));
    let j0 = 0;
    minv.fill(Infinity);
    used.fill(0);
    do {
      unchecked((used[j0] = 1));
      const i0 = unchecked(p[j0]);
      let delta: f64 = Infinity;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (unchecked(used[j])) continue;
        const w = flip ? unchecked(weights[(j - 1) * cols + (i0 - 1)]) : unchecked(weights[(i0 - 1) * cols + (j - 1)]);
        const cur = maxW - w - unchecked(u[i0]) - unchecked(v[j]);
        if (cur < unchecked(minv[j])) {
          unchecked((minv[j] = cur));
          unchecked((way[j] = j0));
        }
        if (unchecked(minv[j]) < delta) {
          delta = unchecked(minv[j]);
          j1 = j;
        }
      }
      if (j1 == 0) break; // cannot happen with finite weights; guards against NaN
      for (let j = 0; j <= m; j++) {
        if (unchecked(used[j])) {
          unchecked((u[unchecked(p[j])] += delta));
          unchecked((v[j] -= delta));
        } else {
          unchecked((minv[j] -= delta));
        }
      }
      j0 = j1;
    } while (unchecked(p[j0]) != 0);
    do {
      const j1 = unchecked(way[j0]);
      unchecked((p[j0] = unchecked(p[j1])));
      j0 = j1;
    } while (j0 != 0);
  }
  for (let j = 1; j <= m; j++) {
    const i = unchecked(p[j]);
    if (i == 0) continue;
    const r = flip ? j - 1 : i - 1;
    const c = flip ? i - 1 : j - 1;
    if (unchecked(weights[r * cols + c]) > 0) unchecked((result[r] = c));
  }
  return result;
}
