/**
 * The numbers of a run: accuracy (mean reward) with SE, Wilson 95% interval and cluster-robust SE,
 * the same per breakdown bucket (a multi-label item counts in each of its buckets), error counts,
 * the unextractable rate and a reward histogram.
 */
import { type Sample, UNEXTRACTABLE_REASONS } from "../core/mod.ts";
import { clusterRobustStandardError, mean, standardError, wilsonInterval } from "./descriptive.ts";

/** A mean reward over some verdicts, with its uncertainty. */
export interface MeanEstimate {
  /** Verdicts counted. */
  n: number;
  /** Items with `correct: true`. */
  correct: number;
  mean: number;
  se: number;
  /** Wilson 95% interval of the mean reward (exact for 0/1 rewards, approximate otherwise). */
  wilson95: [number, number];
  /** Cluster-robust SE when a cluster key is set (null otherwise or with < 2 clusters). */
  clusterSe: number | null;
  clusters: number | null;
  /** Every reward is 0 or 1. */
  binary: boolean;
}

/** One row of a breakdown table. */
export interface BreakdownRow extends MeanEstimate {
  label: string;
  /** Items in the bucket, verdicts or not. */
  items: number;
}

/** Everything the summary, the tables and the charts need. */
export interface RunSummary {
  items: number;
  verdicts: number;
  errors: Record<string, number>;
  unextractable: { count: number; rate: number };
  overall: MeanEstimate;
  breakdowns: { key: string; rows: BreakdownRow[] }[];
  /** Reward histogram: 10 bins over [0, 1] (the last includes 1). */
  histogram: { from: number; to: number; count: number }[];
}

/** Mean and uncertainty of a set of verdict samples. */
export function estimate(samples: Sample[], withClusters: boolean): MeanEstimate {
  const rewards = samples.map((s) => s.reward as number);
  const m = rewards.length === 0 ? 0 : mean(rewards);
  const clusters = withClusters ? samples.map((s) => s.cluster ?? "(none)") : null;
  return {
    n: rewards.length,
    correct: samples.filter((s) => s.correct === true).length,
    mean: m,
    se: standardError(rewards),
    wilson95: wilsonInterval(Math.min(1, Math.max(0, m)), rewards.length),
    clusterSe: clusters ? clusterRobustStandardError(rewards, clusters) : null,
    clusters: clusters ? new Set(clusters).size : null,
    binary: rewards.every((r) => r === 0 || r === 1),
  };
}

function histogramOf(samples: Sample[]): RunSummary["histogram"] {
  const bins = Array.from({ length: 10 }, (_, i) => ({ from: i / 10, to: (i + 1) / 10, count: 0 }));
  for (const s of samples) {
    const r = Math.min(1, Math.max(0, s.reward as number));
    bins[Math.min(9, Math.floor(r * 10))].count++;
  }
  return bins;
}

/** Summarizes a run's samples; `breakdownKeys` in the suite's order. */
export function summarizeRun(samples: Sample[], breakdownKeys: string[], withClusters: boolean): RunSummary {
  const verdicts = samples.filter((s) => s.error === null && s.reward !== null);
  const errors: Record<string, number> = {};
  for (const s of samples) if (s.error) errors[s.error.code] = (errors[s.error.code] ?? 0) + 1;
  const unextractable =
    verdicts.filter((s) => s.reason !== null && UNEXTRACTABLE_REASONS.has(s.reason)).length;
  const breakdowns = breakdownKeys.map((key) => {
    const buckets = new Map<string, Sample[]>();
    for (const s of samples) {
      for (const label of s.breakdown[key] ?? ["(none)"]) {
        if (!buckets.has(label)) buckets.set(label, []);
        buckets.get(label)!.push(s);
      }
    }
    const rows = [...buckets.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([label, members]) => ({
        label,
        items: members.length,
        ...estimate(members.filter((s) => s.error === null && s.reward !== null), withClusters),
      }));
    return { key, rows };
  });
  return {
    items: samples.length,
    verdicts: verdicts.length,
    errors,
    unextractable: {
      count: unextractable,
      rate: verdicts.length === 0 ? 0 : unextractable / verdicts.length,
    },
    overall: estimate(verdicts, withClusters),
    breakdowns,
    histogram: histogramOf(verdicts),
  };
}
