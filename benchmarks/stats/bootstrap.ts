/**
 * Seeded percentile bootstrap for the mean of continuous scores (IoU, chart similarity), where a
 * binomial interval does not apply. The same values and seed always give the same interval.
 */

/** A small seeded PRNG (mulberry32): uniform floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Bootstrap settings recorded with every interval they produce. */
export interface BootstrapSettings {
  seed: number;
  resamples: number;
}

/** The default: 2,000 resamples, seed 0. */
export const DEFAULT_BOOTSTRAP: BootstrapSettings = { seed: 0, resamples: 2000 };

/**
 * The 95% percentile bootstrap interval of the mean of `values` (resampled with replacement);
 * [mean, mean] for fewer than 2 values.
 */
export function bootstrapMeanInterval(
  values: readonly number[],
  settings: BootstrapSettings = DEFAULT_BOOTSTRAP,
): [number, number] {
  const n = values.length;
  if (n === 0) return [0, 0];
  if (n === 1) return [values[0], values[0]];
  const random = seededRandom(settings.seed);
  const means = new Float64Array(settings.resamples);
  for (let b = 0; b < settings.resamples; b++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[Math.floor(random() * n)];
    means[b] = sum / n;
  }
  means.sort();
  const at = (q: number) =>
    means[Math.min(settings.resamples - 1, Math.max(0, Math.floor(q * settings.resamples)))];
  return [at(0.025), at(0.975)];
}
