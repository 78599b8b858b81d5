/**
 * The `text` benchmark of issue 13: (a) 100,000 short captions (ROUGE-L, token F1, WER), (a2) the
 * same in GRPO groups of 8 sharing their prompt's reference and options (equal copies), and
 * (b) 5,000 answers of about 2 kB scored by ROUGE-L, each through the engine and as plain
 * TypeScript in-process on one thread (perf/text_baseline.ts: regex tokens, DP LCS), with ratios.
 */
import { createEngine, VERIFIERS } from "../verifiers/mod.ts";
import { ItemValidator } from "../verifiers/validate.ts";
import { groupedShortTextItems, longTextItems, scoreTextBaseline, shortTextItems } from "./text_baseline.ts";
import { itemLatency, perSecond } from "./stats.ts";
import { ENGINE_ROUNDS as ROUNDS, GRPO_GROUP as GROUP, timeBatches } from "./rounds.ts";

const SHORT = 100_000;
const LONG = 5_000;

/** Runs the measurements and returns the README's table rows. */
export async function benchText(): Promise<string[]> {
  const engine = await createEngine(VERIFIERS);
  const validator = new ItemValidator(VERIFIERS, 64 * 1024 * 1024);
  const rows: string[] = [];
  try {
    // `grouped` makes the (a2) items when they are timed, not before (a's heap stays as it was)
    const batches: { name: string; items: unknown[]; grouped?: () => unknown[] }[] = [
      {
        name: "short captions under 200 bytes (ROUGE-L, token F1, WER)",
        items: shortTextItems(SHORT),
        grouped: () => groupedShortTextItems(SHORT, GROUP),
      },
      { name: "2 kB answers against 2 kB references, ROUGE-L", items: longTextItems(LONG) },
    ];
    for (const [index, { name, items, grouped }] of batches.entries()) {
      const n = items.length;
      const a = await timeBatches(() => engine.verifyBatch(items));
      const b = await timeBatches(() => scoreTextBaseline(validator, items));
      rows.push(
        `| (a) text: ${
          n.toLocaleString("en-US")
        } ${name} through the engine (${engine.options.workers} processes) | ${
          perSecond(n, a.medianMs)
        } items/s | median of ${ROUNDS}; first batch ${perSecond(n, a.warmUpMs)} items/s${
          index === 0 ? " (after start)" : ""
        }; ${itemLatency(a.itemMs)} |`,
        `| (b) text: plain TypeScript (regex tokens, DP), same items, one thread | ${
          perSecond(n, b.medianMs)
        } items/s | ${itemLatency(b.itemMs)} |`,
        `| text (a) / (b), ${name} | **${
          (b.medianMs / a.medianMs).toFixed(2)
        }×** the baseline's throughput | |`,
      );
      if (grouped) {
        const groupedItems = grouped();
        const a2 = await timeBatches(() => engine.verifyBatch(groupedItems));
        rows.push(
          `| (a2) text: the same captions in groups of ${GROUP} sharing their prompt's reference and options, as GRPO sends them, through the engine | ${
            perSecond(groupedItems.length, a2.medianMs)
          } items/s | median of ${ROUNDS}; ${itemLatency(a2.itemMs)} |`,
        );
      }
    }
  } finally {
    await engine.close();
  }
  return rows;
}
