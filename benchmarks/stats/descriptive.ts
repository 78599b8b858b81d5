/**
 * Uncertainty of a mean reward: standard error, Wilson 95% interval and the cluster-robust
 * standard error (items that share a cluster, e.g. a source or an image, are not independent).
 */

/** z for a two-sided 95% interval. */
export const Z95 = 1.959963984540054;

/** The arithmetic mean (NaN for no values). */
export function mean(values: number[]): number {
  if (values.length === 0) return NaN;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Standard error of the mean: sample standard deviation (n − 1) over √n; 0 for fewer than 2 values. */
export function standardError(values: number[]): number {
  const n = values.length;
  if (n < 2) return 0;
  const m = mean(values);
  let squares = 0;
  for (const v of values) squares += (v - m) ** 2;
  return Math.sqrt(squares / (n - 1) / n);
}

/** Wilson score interval for a proportion `p` observed over `n` trials (95% by default). */
export function wilsonInterval(p: number, n: number, z = Z95): [number, number] {
  if (n === 0) return [0, 1];
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [Math.max(0, center - half), Math.min(1, center + half)];
}

/**
 * Cluster-robust standard error of the mean (CR1: the sandwich estimator with the G/(G−1)
 * small-sample factor): √(G/(G−1) · Σ_g (Σ_{i∈g} (r_i − r̄))²) / n. With one item per cluster it
 * equals `standardError`. Returns null with fewer than 2 clusters.
 */
export function clusterRobustStandardError(values: number[], clusters: string[]): number | null {
  const n = values.length;
  const m = mean(values);
  const sums = new Map<string, number>();
  for (let i = 0; i < n; i++) sums.set(clusters[i], (sums.get(clusters[i]) ?? 0) + values[i] - m);
  const g = sums.size;
  if (g < 2) return null;
  let squares = 0;
  for (const s of sums.values()) squares += s * s;
  return Math.sqrt((g / (g - 1)) * squares) / n;
}
