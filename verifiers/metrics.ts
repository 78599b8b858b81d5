/** Counters and histograms that the engine keeps and `GET /metrics` renders for Prometheus. */
import { reasonOf, type VerifyResult } from "./result.ts";

/** Upper bounds (ms) of the item latency histogram's buckets. */
export const LATENCY_BUCKETS_MS = [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 50, 100, 500, 1000, 2000, 5000, 10000];

/** A cumulative histogram with fixed buckets. */
export class Histogram {
  readonly counts: number[];
  sum = 0;
  count = 0;

  constructor(readonly bounds: number[]) {
    this.counts = new Array(bounds.length).fill(0);
  }

  observe(value: number): void {
    this.sum += value;
    this.count++;
    for (let i = 0; i < this.bounds.length; i++) {
      if (value <= this.bounds[i]) {
        this.counts[i]++;
        return;
      }
    }
  }
}

/** The outcome label of a result: correct, incorrect, too_complex, or its error code. */
export function outcomeOf(result: VerifyResult): string {
  if (result.error) return result.error.code;
  if (reasonOf(result) === "too_complex") return "too_complex";
  return result.correct ? "correct" : "incorrect";
}

/** Items verified per verifier and outcome, and per-verifier latency. */
export class EngineMetrics {
  /** verifier → outcome → count */
  readonly items = new Map<string, Map<string, number>>();
  /** verifier → latency histogram of item run time in ms */
  readonly latency = new Map<string, Histogram>();

  /** `known`: the verifier names that may appear as labels (anything else counts as "unknown"). */
  constructor(private readonly known: ReadonlySet<string>) {}

  record(result: VerifyResult): void {
    const verifier = result.verifier !== null && this.known.has(result.verifier)
      ? result.verifier
      : "unknown";
    let byOutcome = this.items.get(verifier);
    if (!byOutcome) this.items.set(verifier, byOutcome = new Map());
    const outcome = outcomeOf(result);
    byOutcome.set(outcome, (byOutcome.get(outcome) ?? 0) + 1);
    if (result.error?.code === "invalid_request") return;
    let histogram = this.latency.get(verifier);
    if (!histogram) this.latency.set(verifier, histogram = new Histogram(LATENCY_BUCKETS_MS));
    histogram.observe(result.ms);
  }
}
