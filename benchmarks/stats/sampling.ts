/**
 * Repeated sampling (`--samples N`): pass@k with the unbiased estimator of Chen et al. 2021
 * ("Evaluating Large Language Models Trained on Code", eq. 1: 1 − C(n−c, k) / C(n, k), averaged over
 * items), maj@k (majority vote over the first k samples' extracted answers) and mean@k (the mean
 * score of the first k samples) with the per-item variance across samples.
 */
import type { Sample } from "../core/mod.ts";
import { mean } from "./descriptive.ts";
import { headlineScore } from "./headline_score.ts";

/**
 * The unbiased pass@k of one item with `n` samples of which `c` are correct: 1 − C(n−c, k)/C(n, k),
 * computed as a product (numerically stable): 1 − Π_{i=n−c+1}^{n} (1 − k/i).
 */
export function passAtK(n: number, c: number, k: number): number {
  if (k > n) throw new RangeError(`pass@${k} needs at least ${k} samples (have ${n})`);
  if (n - c < k) return 1;
  let product = 1;
  for (let i = n - c + 1; i <= n; i++) product *= 1 - k / i;
  return 1 - product;
}

/** Is a sample counted as correct (a verdict with `correct: true`)? */
function isCorrect(s: Sample): boolean {
  return s.error === null && s.reward !== null && s.correct === true;
}

/**
 * Majority vote over samples: the answer (the verifier's `extracted` value) given most often wins,
 * a tie goes to the answer seen first; the vote is right when a sample with that answer is correct.
 * Samples without an extracted answer do not vote; with no votes the item is wrong.
 */
export function majorityCorrect(samples: Sample[]): boolean {
  const votes = new Map<string, { count: number; first: number; correct: boolean }>();
  samples.forEach((s, i) => {
    if (s.error !== null || s.extracted === null || s.extracted === undefined) return;
    const key = JSON.stringify(s.extracted);
    const entry = votes.get(key) ?? { count: 0, first: i, correct: false };
    entry.count++;
    entry.correct ||= isCorrect(s);
    votes.set(key, entry);
  });
  let best: { count: number; first: number; correct: boolean } | null = null;
  for (const v of votes.values()) {
    if (!best || v.count > best.count || (v.count === best.count && v.first < best.first)) best = v;
  }
  return best?.correct ?? false;
}

/** One k's numbers. */
export interface SamplingRow {
  k: number;
  /** Mean over items of the unbiased pass@k. */
  pass: number;
  /** Share of items whose majority vote over the first k samples is right. */
  maj: number;
  /** Mean over items of the mean score of the first k samples (no verdict = 0). */
  mean: number;
}

/** The repeated-sampling metrics of a run. */
export interface SamplingSummary {
  /** Samples per item. */
  n: number;
  items: number;
  rows: SamplingRow[];
  /** Mean over items of the sample variance of an item's scores (how much a second try changes). */
  meanItemVariance: number;
  /** Samples whose generation failed or is missing (they count as wrong; a resumed run retries them). */
  failedSamples: number;
}

/** 1, 2, 4, … up to n, and n itself. */
export function kValues(n: number): number[] {
  const ks: number[] = [];
  for (let k = 1; k < n; k *= 2) ks.push(k);
  ks.push(n);
  return ks;
}

/** Groups a run's samples by item (in item order, samples in sample order). */
export function samplesByItem(samples: Sample[]): Sample[][] {
  const groups = new Map<string, Sample[]>();
  for (const s of samples) {
    if (!groups.has(s.id)) groups.set(s.id, []);
    groups.get(s.id)!.push(s);
  }
  return [...groups.values()].map((g) => g.sort((a, b) => a.sample - b.sample));
}

/** pass@k, maj@k and mean@k for k = 1, 2, 4, … n, over items with `n` samples each. */
export function summarizeSampling(samples: Sample[], n: number): SamplingSummary {
  const items = samplesByItem(samples);
  const rows = kValues(n).map((k) => ({
    k,
    pass: mean(items.map((g) => passAtK(g.length, g.filter(isCorrect).length, k))),
    maj: mean(items.map((g) => (majorityCorrect(g.slice(0, k)) ? 1 : 0))),
    mean: mean(items.map((g) => mean(g.slice(0, k).map(headlineScore)))),
  }));
  const variances = items.map((g) => {
    const scores = g.map(headlineScore);
    if (scores.length < 2) return 0;
    const m = mean(scores);
    return scores.reduce((sum, x) => sum + (x - m) ** 2, 0) / (scores.length - 1);
  });
  return {
    n,
    items: items.length,
    rows,
    meanItemVariance: variances.length ? mean(variances) : 0,
    failedSamples: samples.filter((s) => s.error?.stage === "generation").length,
  };
}

/**
 * One sample per item for the headline of a sampled run: its score is the item's mean@n, its
 * verdict and breakdown those of the item (an item counts as answered when any sample is).
 */
export function collapseSamples(samples: Sample[]): Sample[] {
  return samplesByItem(samples).map((g) => {
    const answered = g.find((s) => s.error === null && s.reward !== null);
    return {
      ...(answered ?? g[0]),
      sample: 0,
      reward: answered ? mean(g.map(headlineScore)) : null,
      correct: answered ? majorityCorrect(g) : null,
    };
  });
}
