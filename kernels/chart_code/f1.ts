// Precision, recall and F1 of two multisets (texts, layouts, chart types), as ChartMimic counts them:
// each reference entry matches at most one equal candidate entry.

/** Precision, recall and F1 of one comparison. */
export class F1 {
  constructor(public precision: f64, public recall: f64) {}

  get f1(): f64 {
    const s = this.precision + this.recall;
    return s > 0 ? (2 * this.precision * this.recall) / s : 0;
  }
}

/** F1 of two multisets of strings; `emptyBoth` is the score when both are empty. */
export function multisetF1(candidate: string[], reference: string[], emptyBoth: f64): F1 {
  if (candidate.length == 0 && reference.length == 0) return new F1(emptyBoth, emptyBoth);
  if (candidate.length == 0 || reference.length == 0) return new F1(0, 0);
  const left = new Map<string, i32>();
  for (let i = 0; i < candidate.length; i++) {
    const s = candidate[i];
    left.set(s, left.has(s) ? left.get(s) + 1 : 1);
  }
  let hits = 0;
  for (let i = 0; i < reference.length; i++) {
    const s = reference[i];
    if (left.has(s) && left.get(s) > 0) {
      left.set(s, left.get(s) - 1);
      hits++;
    }
  }
  return new F1(<f64>hits / candidate.length, <f64>hits / reference.length);
}

/** F1 of two count tables (name → count): matched = sum of min counts per name. */
export function countsF1(
  candNames: string[],
  candCounts: i32[],
  refNames: string[],
  refCounts: i32[],
  emptyBoth: f64,
): F1 {
  let candTotal: f64 = 0;
  let refTotal: f64 = 0;
  for (let i = 0; i < candCounts.length; i++) candTotal += candCounts[i];
  for (let i = 0; i < refCounts.length; i++) refTotal += refCounts[i];
  if (candTotal == 0 && refTotal == 0) return new F1(emptyBoth, emptyBoth);
  if (candTotal == 0 || refTotal == 0) return new F1(0, 0);
  let hits: f64 = 0;
  for (let i = 0; i < candNames.length; i++) {
    for (let j = 0; j < refNames.length; j++) {
      if (candNames[i] == refNames[j]) hits += min(candCounts[i], refCounts[j]);
    }
  }
  return new F1(hits / candTotal, hits / refTotal);
}

/** The chart type of a plotting call in the default profile (plot and loglog are both "line"). */
export function chartTypeOf(call: string): string {
  if (call == "plot" || call == "loglog" || call == "semilogx" || call == "semilogy" || call == "step" || call == "stairs") {
    return "line";
  }
  if (call == "fill_between" || call == "fill_betweenx" || call == "stackplot") return "area";
  if (call == "imshow" || call == "matshow" || call == "pcolor" || call == "pcolormesh" || call == "hist2d" || call == "hexbin") {
    return "heatmap";
  }
  if (call == "contour" || call == "contourf") return "contour";
  if (call == "axhline" || call == "axvline") return "refline";
  if (call == "axhspan" || call == "axvspan") return "span";
  if (call == "boxplot") return "box";
  if (call == "violinplot") return "violin";
  return call;
}

/** Folds a call table into chart types (summing the counts of calls of one type). */
export function foldTypes(names: string[], counts: i32[], outNames: string[], outCounts: i32[]): void {
  for (let i = 0; i < names.length; i++) {
    const t = chartTypeOf(names[i]);
    const at = outNames.indexOf(t);
    if (at < 0) {
      outNames.push(t);
      outCounts.push(counts[i]);
    } else outCounts[at] += counts[i];
  }
}
