/**
 * The `text` benchmark of issue 13: (a) 100,000 short captions (ROUGE-L, token F1, WER), (a2) the
 * same in GRPO groups of 8 sharing their prompt's reference and options (equal copies), and
 * (b) 5,000 answers of about 2 kB scored by ROUGE-L, each through the engine and as plain
 * TypeScript in-process on one thread (perf/text_baseline.ts: regex tokens, DP LCS), with ratios.
 */
import { createEngine, VERIFIERS } from "../verifiers/mod.ts";
import { ItemValidator } from "../verifiers/validate.ts";
import { groupedShortTextItems, longTextItems, scoreTextBaseline, shortTextItems } from "./text_baseline.ts";
import { perSecond, quantile } from "./stats.ts";
import { timeRounds } from "./rounds.ts";

const SHORT = 100_000;
const LONG = 5_000;
/** Timed batches after one untimed batch of the same items, as in perf/match_bench.ts. */
const ROUNDS = 5;
/** Responses per prompt in (a2), as in perf/match_bench.ts. */
const GROUP = 8;

function latency(ms: number[]): string {
  return `item p50 ${(quantile(ms, 0.5) * 1000).toFixed(1)} µs, p99 ${
    (quantile(ms, 0.99) * 1000).toFixed(1)
  } µs`;
}

/** Runs the measurements and returns the README's table rows. */
export async function benchText(): Promise<string[]> {
  const engine = await createEngine(VERIFIERS);
  const validator = new ItemValidator(VERIFIERS, 64 * 1024 * 1024);
  const rows: string[] = [];
  try {
    for (
      const [name, items] of [
        ["short captions under 200 bytes (ROUGE-L, token F1, WER)", shortTextItems(SHORT)],
        ["2 kB answers against 2 kB references, ROUGE-L", longTextItems(LONG)],
      ] as [string, unknown[]][]
    ) {
      const n = items.length;
      const a = await timeRounds(ROUNDS, () => engine.verifyBatch(items), () => engine.verifyBatch(items));
      const b = await timeRounds(
        ROUNDS,
        () => scoreTextBaseline(validator, items),
        () => scoreTextBaseline(validator, items),
      );
      rows.push(
        `| (a) text: ${
          n.toLocaleString("en-US")
        } ${name} through the engine (${engine.options.workers} processes) | ${
          perSecond(n, a.medianMs)
        } items/s | median of ${ROUNDS}; first batch ${perSecond(n, a.warmUpMs)} items/s${
          rows.length === 0 ? " (after start)" : ""
        }; ${latency(a.itemMs)} |`,
        `| (b) text: plain TypeScript (regex tokens, DP), same items, one thread | ${
          perSecond(n, b.medianMs)
        } items/s | ${latency(b.itemMs)} |`,
        `| text (a) / (b), ${name} | **${
          (b.medianMs / a.medianMs).toFixed(2)
        }×** the baseline's throughput | |`,
      );
      if (rows.length === 3) {
        const grouped = groupedShortTextItems(n, GROUP);
        const a2 = await timeRounds(
          ROUNDS,
          () => engine.verifyBatch(grouped),
          () => engine.verifyBatch(grouped),
        );
        rows.push(
          `| (a2) text: the same captions in groups of ${GROUP} sharing their prompt's reference and options, as GRPO sends them, through the engine | ${
            perSecond(n, a2.medianMs)
          } items/s | median of ${ROUNDS}; ${latency(a2.itemMs)} |`,
        );
      }
    }
  } finally {
    await engine.close();
  }
  return rows;
}
