/**
 * The numbers of a run. The headline counts every item of the run: an item without a verdict
 * (failed or missing generation, verifier error) scores 0, as lmms-eval, VLMEvalKit and the
 * leaderboards count it; "of answered" (verdicts only) and the error breakdown stand beside it.
 * Binary scores get a Wilson interval; continuous ones (IoU, chart similarity) the mean with a
 * seeded bootstrap interval and, where the suite sets `scoring.threshold`, Acc@threshold.
 */
import { type Sample, UNEXTRACTABLE_REASONS } from "../core/mod.ts";
import { bootstrapMeanInterval, type BootstrapSettings, DEFAULT_BOOTSTRAP } from "./bootstrap.ts";
import { clusterRobustStandardError, mean, standardError, wilsonInterval } from "./descriptive.ts";
import type { SamplingSummary } from "./sampling.ts";
import { summarizeUsage, type UsageSummary } from "./usage.ts";
import { hasVerdict, headlineScore } from "./headline_score.ts";

/** A mean score over some items, with its uncertainty. */
export interface MeanEstimate {
  /** Items counted. */
  n: number;
  /** Items with `correct: true`. */
  correct: number;
  mean: number;
  se: number;
  /** Wilson 95% interval of the mean (exact-coverage style for 0/1 scores; approximate otherwise). */
  wilson95: [number, number];
  /** Seeded bootstrap 95% interval of the mean; null for binary scores. */
  bootstrap95: [number, number] | null;
  /** The interval to show: Wilson for binary scores, the bootstrap for continuous ones. */
  ci95: [number, number];
  /** Cluster-robust SE when a cluster key is set (null otherwise or with < 2 clusters). */
  clusterSe: number | null;
  clusters: number | null;
  /** Every score is 0 or 1. */
  binary: boolean;
}

/** Acc@threshold: the share of items whose score reaches the suite's threshold (no verdict: not reached). */
export interface ThresholdMetric {
  threshold: number;
  hits: number;
  n: number;
  rate: number;
  wilson95: [number, number];
}

/** One row of a breakdown table (its numbers count every item of the bucket, like the headline). */
export interface BreakdownRow extends MeanEstimate {
  label: string;
  /** Items in the bucket. */
  items: number;
  /** Items of the bucket with a verdict. */
  verdicts: number;
}

/** Everything the summary, the tables and the charts need. */
export interface RunSummary {
  /** Items in this run (all of the suite's, unless the run was limited to a subset). */
  items: number;
  /** Items in the suite. */
  suite_items: number;
  verdicts: number;
  /** False when some items have no answer yet (failed or missing generations) or the run is a subset. */
  complete: boolean;
  /** Items whose generation failed or is missing (a resumed run retries them). */
  unanswered: number;
  /** "binary" when every verdict is 0 or 1, else "continuous". */
  scale: "binary" | "continuous";
  errors: Record<string, number>;
  unextractable: { count: number; rate: number };
  /** The headline: every item, no verdict = 0. */
  overall: MeanEstimate;
  /** Verdicts only ("of answered"). */
  answered: MeanEstimate;
  /** Acc@threshold where the suite defines one. */
  threshold: ThresholdMetric | null;
  breakdowns: { key: string; rows: BreakdownRow[] }[];
  /** Score histogram of the verdicts: 10 bins over [0, 1] (the last includes 1). */
  histogram: { from: number; to: number; count: number }[];
  bootstrap: BootstrapSettings;
  /** pass@k, maj@k, mean@k of a run with several samples per item (the headline is then mean@n). */
  sampling: SamplingSummary | null;
  /** Latency and token statistics of the generations. */
  usage: UsageSummary;
}

/** How to summarize. */
export interface SummaryOptions {
  breakdownKeys?: string[];
  withClusters?: boolean;
  /** Items in the suite (default: the samples given). */
  suiteItems?: number;
  /** The suite's Acc@threshold, if any. */
  threshold?: number;
  bootstrap?: BootstrapSettings;
}

/** Mean and uncertainty of `samples`, each counting `scoreOf(sample)`. */
export function estimate(
  samples: Sample[],
  withClusters: boolean,
  scoreOf: (s: Sample) => number = headlineScore,
  bootstrap: BootstrapSettings = DEFAULT_BOOTSTRAP,
  binaryScale?: boolean,
): MeanEstimate {
  const scores = samples.map(scoreOf);
  const m = scores.length === 0 ? 0 : mean(scores);
  const clusters = withClusters ? samples.map((s) => s.cluster ?? "(none)") : null;
  const binary = binaryScale ?? scores.every((r) => r === 0 || r === 1);
  const wilson95 = wilsonInterval(Math.min(1, Math.max(0, m)), scores.length);
  const bootstrap95 = binary ? null : bootstrapMeanInterval(scores, bootstrap);
  return {
    n: scores.length,
    correct: samples.filter((s) => hasVerdict(s) && s.correct === true).length,
    mean: m,
    se: standardError(scores),
    wilson95,
    bootstrap95,
    ci95: bootstrap95 ?? wilson95,
    clusterSe: clusters ? clusterRobustStandardError(scores, clusters) : null,
    clusters: clusters ? new Set(clusters).size : null,
    binary,
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

function thresholdOf(samples: Sample[], threshold: number): ThresholdMetric {
  const hits = samples.filter((s) => hasVerdict(s) && (s.reward as number) >= threshold).length;
  const rate = samples.length === 0 ? 0 : hits / samples.length;
  return { threshold, hits, n: samples.length, rate, wilson95: wilsonInterval(rate, samples.length) };
}

/** Summarizes a run's samples (breakdowns in the suite's order). */
export function summarizeRun(samples: Sample[], options: SummaryOptions = {}): RunSummary {
  const withClusters = options.withClusters ?? false;
  const bootstrap = options.bootstrap ?? DEFAULT_BOOTSTRAP;
  const verdicts = samples.filter(hasVerdict);
  const binary = verdicts.every((s) => s.reward === 0 || s.reward === 1);
  const errors: Record<string, number> = {};
  for (const s of samples) if (s.error) errors[s.error.code] = (errors[s.error.code] ?? 0) + 1;
  const unanswered = samples.filter((s) => s.error?.stage === "generation").length;
  const suiteItems = options.suiteItems ?? samples.length;
  const unextractable =
    verdicts.filter((s) => s.reason !== null && UNEXTRACTABLE_REASONS.has(s.reason)).length;
  const breakdowns = (options.breakdownKeys ?? []).map((key) => {
    const buckets = new Map<string, Sample[]>();
    for (const s of samples) {
      for (const label of s.breakdown[key] ?? ["(none)"]) {
        if (!buckets.has(label)) buckets.set(label, []);
        buckets.get(label)!.push(s);
      }
    }
    // Largest buckets first (a small bucket's number moves with every item).
    const rows = [...buckets.entries()]
      .sort(([a, x], [b, y]) => y.length - x.length || a.localeCompare(b))
      .map(([label, members]) => ({
        label,
        items: members.length,
        verdicts: members.filter(hasVerdict).length,
        ...estimate(members, withClusters, headlineScore, bootstrap, binary),
      }));
    return { key, rows };
  });
  return {
    items: samples.length,
    suite_items: suiteItems,
    verdicts: verdicts.length,
    complete: unanswered === 0 && samples.length >= suiteItems,
    unanswered,
    scale: binary ? "binary" : "continuous",
    errors,
    unextractable: {
      count: unextractable,
      rate: verdicts.length === 0 ? 0 : unextractable / verdicts.length,
    },
    overall: estimate(samples, withClusters, headlineScore, bootstrap, binary),
    answered: estimate(verdicts, withClusters, (s) => s.reward as number, bootstrap, binary),
    threshold: options.threshold === undefined ? null : thresholdOf(samples, options.threshold),
    breakdowns,
    histogram: histogramOf(verdicts),
    bootstrap,
    sampling: null,
    usage: summarizeUsage(samples),
  };
}
