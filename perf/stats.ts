/** Small statistics helpers for the benchmarks. */

/** The q-quantile (0..1) of the values, by nearest rank. */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** Median of the values. */
export function median(values: number[]): number {
  return quantile(values, 0.5);
}

/** Formats a rate with thousands separators. */
export function perSecond(count: number, ms: number): string {
  return Math.round((count / ms) * 1000).toLocaleString("en-US");
}

/** "item p50 X µs, p99 Y µs" of items' own times given in ms (each result's `ms`). */
export function itemLatency(ms: number[]): string {
  return `item p50 ${(quantile(ms, 0.5) * 1000).toFixed(1)} µs, p99 ${
    (quantile(ms, 0.99) * 1000).toFixed(1)
  } µs`;
}
