/** Number formats shared by the text tables and the HTML report. */

/** `29.2%` (one decimal). */
export function percent(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

/** `[26.4%, 32.1%]`. */
export function interval(range: [number, number]): string {
  return `[${percent(range[0])}, ${percent(range[1])}]`;
}

/** A p-value: 4 significant digits, or `<1e-16`. */
export function pValue(p: number): string {
  return p < 1e-16 ? "<1e-16" : p >= 0.001 ? p.toFixed(4) : p.toExponential(2);
}

/**
 * The headline: `66.7% (8/12)` for 0/1 scores, `61.5% over 6 items (4 correct)` for
 * continuous ones. `n` is every item counted (items without a verdict count 0).
 */
export function accuracyText(mean: number, correct: number, n: number, binary: boolean): string {
  return binary
    ? `${percent(mean)} (${correct}/${n})`
    : `${percent(mean)} over ${n} items (${correct} correct)`;
}

/** What the headline is called: accuracy for 0/1 scores, mean score for continuous ones. */
export function headlineName(binary: boolean): string {
  return binary ? "accuracy" : "mean score";
}

/** The interval's name: Wilson for 0/1 scores, bootstrap for continuous ones. */
export function intervalName(binary: boolean): string {
  return binary ? "Wilson 95% CI" : "bootstrap 95% CI";
}
