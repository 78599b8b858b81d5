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

/** The accuracy line: `29.2% (292/1000)` for 0/1 rewards, else the mean reward and the verdict count. */
export function accuracyText(mean: number, correct: number, n: number, binary: boolean): string {
  return binary
    ? `${percent(mean)} (${correct}/${n})`
    : `${percent(mean)} (mean reward over ${n}; ${correct} correct)`;
}
