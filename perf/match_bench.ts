/**
 * The `match` benchmark of issue 13: (a) 100,000 answers under 200 bytes (labels with aliases,
 * choices, meta-action sets, permutations, rankings) through the engine, (b) the same comparisons as
 * plain TypeScript in-process on one thread (perf/match_baseline.ts), and their ratio.
 */
import { createEngine, VERIFIERS } from "../verifiers/mod.ts";
import { ItemValidator } from "../verifiers/validate.ts";
import { matchItems, scoreMatchBaseline } from "./match_baseline.ts";
import { perSecond, quantile } from "./stats.ts";
import { timeRounds } from "./rounds.ts";

const ITEMS = 100_000;
const ROUNDS = 3;

function latency(ms: number[]): string {
  return `item p50 ${(quantile(ms, 0.5) * 1000).toFixed(1)} µs, p99 ${
    (quantile(ms, 0.99) * 1000).toFixed(1)
  } µs`;
}

/** Runs the measurements and returns the README's table rows. */
export async function benchMatch(): Promise<string[]> {
  const items = matchItems(ITEMS);
  const engine = await createEngine(VERIFIERS);
  try {
    const a = await timeRounds(
      ROUNDS,
      () => engine.verifyBatch(items.slice(0, 20_000)),
      () => engine.verifyBatch(items),
    );
    const validator = new ItemValidator(VERIFIERS, 8 * 1024 * 1024);
    const b = await timeRounds(
      ROUNDS,
      () => scoreMatchBaseline(validator, items.slice(0, 20_000)),
      () => scoreMatchBaseline(validator, items),
    );
    return [
      `| (a) match: ${
        ITEMS.toLocaleString("en-US")
      } answers under 200 bytes (aliases, choices, sets, permutations, ` +
      `Kendall τ) through the engine (${engine.options.workers} processes) | ${
        perSecond(ITEMS, a.medianMs)
      } items/s | ` +
      `${a.medianMs.toFixed(0)} ms per 100k; ${latency(a.itemMs)}; ${a.correct} correct |`,
      `| (b) match: plain TypeScript (regex extraction, same rules), same items, one thread | ${
        perSecond(ITEMS, b.medianMs)
      } items/s | ${b.medianMs.toFixed(0)} ms per 100k; ${latency(b.itemMs)}; ${b.correct} correct |`,
      `| match (a) / (b) | **${(b.medianMs / a.medianMs).toFixed(2)}×** the baseline's throughput | |`,
    ];
  } finally {
    await engine.close();
  }
}
