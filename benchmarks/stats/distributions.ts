/** Tail probabilities used by the tests of significance: the binomial with p = ½ and χ² with 1 df. */

/** Two-sided exact binomial test of `k` successes in `n` trials with p = ½ (McNemar's exact test). */
export function binomialTwoSidedHalf(k: number, n: number): number {
  if (n === 0) return 1;
  const low = Math.min(k, n - k);
  // P(X ≤ low) summed in log space: log C(n, i) built incrementally.
  let logTerm = -n * Math.LN2; // i = 0
  let tail = Math.exp(logTerm);
  for (let i = 1; i <= low; i++) {
    logTerm += Math.log(n - i + 1) - Math.log(i);
    tail += Math.exp(logTerm);
  }
  return Math.min(1, 2 * tail);
}

/** The complementary error function (series below 3, continued fraction above; ~1e-12 absolute). */
export function erfc(x: number): number {
  if (x < 0) return 2 - erfc(-x);
  if (x < 3) {
    // erf(x) = 2/√π Σ (−1)^k x^(2k+1) / (k! (2k+1))
    let term = x;
    let sum = x;
    for (let k = 1; k < 200; k++) {
      term *= (-x * x) / k;
      const add = term / (2 * k + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return 1 - (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …))))), evaluated from the tail.
  let fraction = x;
  for (let k = 60; k >= 1; k--) fraction = x + (k / 2) / fraction;
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / fraction;
}

/** Upper tail of χ² with one degree of freedom: P(X ≥ x) = erfc(√(x/2)). */
export function chiSquare1Tail(x: number): number {
  return x <= 0 ? 1 : erfc(Math.sqrt(x / 2));
}
