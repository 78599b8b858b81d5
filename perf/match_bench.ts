/**
 * The `match` benchmark of issue 13: (a) 100,000 answers under 200 bytes (labels with aliases,
 * choices, meta-action sets, permutations, rankings) through the engine, each with a reference and
 * options of its own, and (a2) as a GRPO batch sends them: groups of 8 responses that share their
 * prompt's reference and options (equal copies), (b) the same comparisons as
 * plain TypeScript in-process on one thread (perf/match_baseline.ts), and their ratio; (c) the
 * engine's own floor for items this small: 100,000 `length` items (a kernel that only counts the
 * response's characters) through the same engine, so that (a) can be read against what any verifier
 * costs per item here.
 */
import { createEngine, VERIFIERS } from "../verifiers/mod.ts";
import { ItemValidator } from "../verifiers/validate.ts";
import { groupedMatchItems, matchItems, scoreMatchBaseline } from "./match_baseline.ts";
import { itemLatency, perSecond } from "./stats.ts";
import { ENGINE_ROUNDS as ROUNDS, GRPO_GROUP as GROUP, timeBatches } from "./rounds.ts";

const ITEMS = 100_000;

/** `n` items of the `length` verifier: a think block and a short answer, a 100-character limit. */
function lengthItems(n: number): unknown[] {
  return Array.from({ length: n }, (_, i) => ({
    verifier: "length",
    response: `<think>x</think><answer>${i}</answer>`,
    reference: null,
    options: { max: 100 },
  }));
}

/** Runs the measurements and returns the README's table rows. */
export async function benchMatch(): Promise<string[]> {
  const items = matchItems(ITEMS);
  const engine = await createEngine(VERIFIERS);
  try {
    const a = await timeBatches(() => engine.verifyBatch(items));
    const grouped = groupedMatchItems(ITEMS, GROUP);
    const a2 = await timeBatches(() => engine.verifyBatch(grouped));
    const tiny = lengthItems(ITEMS);
    const c = await timeBatches(() => engine.verifyBatch(tiny));
    const validator = new ItemValidator(VERIFIERS, 8 * 1024 * 1024);
    const b = await timeBatches(() => scoreMatchBaseline(validator, items));
    return [
      `| (a) match: ${
        ITEMS.toLocaleString("en-US")
      } answers under 200 bytes (aliases, choices, sets, permutations, ` +
      `Kendall τ) through the engine (${engine.options.workers} processes) | ${
        perSecond(ITEMS, a.medianMs)
      } items/s | ` +
      `${a.medianMs.toFixed(0)} ms per 100k (median of ${ROUNDS}; first batch after start ${
        perSecond(ITEMS, a.warmUpMs)
      } items/s); ${itemLatency(a.itemMs)}; ${a.correct} correct |`,
      `| (a2) match: the same kinds of answers in groups of ${GROUP} sharing their prompt's reference and options, as GRPO sends them, through the engine | ${
        perSecond(ITEMS, a2.medianMs)
      } items/s | ${a2.medianMs.toFixed(0)} ms per 100k (median of ${ROUNDS}); ${
        itemLatency(a2.itemMs)
      }; ${a2.correct} correct |`,
      `| (b) match: plain TypeScript (regex extraction, same rules), same items, one thread | ${
        perSecond(ITEMS, b.medianMs)
      } items/s | ${b.medianMs.toFixed(0)} ms per 100k; ${itemLatency(b.itemMs)}; ${b.correct} correct |`,
      `| match (a) / (b) | **${(b.medianMs / a.medianMs).toFixed(2)}×** the baseline's throughput | |`,
      `| (c) the engine's floor for small items: ${
        ITEMS.toLocaleString("en-US")
      } \`length\` items (a kernel that only counts characters, 40-byte responses) through the same engine | ${
        perSecond(ITEMS, c.medianMs)
      } items/s | ${c.medianMs.toFixed(0)} ms per 100k; ${
        itemLatency(c.itemMs)
      }; what any verifier costs per item here |`,
    ];
  } finally {
    await engine.close();
  }
}
