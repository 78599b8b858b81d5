/** Latency and token statistics of a run's generations (from the endpoint's `usage` fields). */
import type { Sample } from "../core/mod.ts";

/** Percentiles of request latency and means of token counts over the samples that have them. */
export interface UsageSummary {
  /** Generations with a measured latency (predictions runs have none). */
  measured: number;
  latencyMs: { p50: number; p90: number; p99: number; mean: number } | null;
  /** Mean prompt and completion tokens, and the completion total, over the samples that report usage. */
  tokens: { reported: number; promptMean: number; completionMean: number; completionTotal: number } | null;
}

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

function tokenCount(usage: Record<string, unknown> | null, key: string): number | null {
  const value = usage?.[key];
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

/** The latency percentiles (nearest rank) and token means of `samples`. */
export function summarizeUsage(samples: Sample[]): UsageSummary {
  const latencies = samples.map((s) => s.latency_ms).filter((v): v is number => typeof v === "number")
    .sort((a, b) => a - b);
  const withUsage = samples.filter((s) => tokenCount(s.usage, "completion_tokens") !== null);
  const completion = withUsage.map((s) => tokenCount(s.usage, "completion_tokens")!);
  const prompt = withUsage.map((s) => tokenCount(s.usage, "prompt_tokens") ?? 0);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  return {
    measured: latencies.length,
    latencyMs: latencies.length === 0 ? null : {
      p50: percentile(latencies, 0.5),
      p90: percentile(latencies, 0.9),
      p99: percentile(latencies, 0.99),
      mean: sum(latencies) / latencies.length,
    },
    tokens: withUsage.length === 0 ? null : {
      reported: withUsage.length,
      promptMean: sum(prompt) / withUsage.length,
      completionMean: sum(completion) / withUsage.length,
      completionTotal: sum(completion),
    },
  };
}
