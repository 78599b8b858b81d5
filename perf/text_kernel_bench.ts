/**
 * The `text` kernel alone, in-process (no engine, no pool): time per item of the 2 kB answer
 * against 2 kB reference items of perf/text_bench.ts (ROUGE-L), beside other metrics on the same
 * items to split the cost (tokenizing and interning vs the LCS), and WER / CER on the same texts.
 * Several kernels (`wasm/<name>.wasm` paths, default the built one) run interleaved round by round,
 * so that their ratios are measured under the same load.
 *
 *   deno run --allow-read perf/text_kernel_bench.ts [--rounds 5] [--items 2000] [a.wasm b.wasm …]
 */
import { textVerifier } from "../verifiers/text/mod.ts";
import { longTextItems } from "./text_baseline.ts";
import { type BenchItem, bestOfRounds, encodedFor, kernelBenchArgs } from "./kernel_builds.ts";

const { rounds, items: n, paths } = kernelBenchArgs("text", { rounds: 5, items: 2000 });
const items = longTextItems(n) as BenchItem[];
const metrics = ["rougeL", "rouge1", "token_f1", "exact", "wer", "cer"];
const encoded = new Map<string, Uint8Array[]>(
  metrics.map((m) => [m, items.map((it) => encodedFor(textVerifier, { ...it, options: { metric: m } }))]),
);
const best = bestOfRounds(rounds, encoded, paths);
console.log(`best of ${rounds} rounds, ${n} items of ~2 kB vs ~2 kB, µs per item`);
for (const [key, us] of best) console.log(`${us.toFixed(2)}\t${key}`);

if (Deno.args.includes("--engine")) {
  // perf/text_bench.ts's scenario (b) alone: the same items through the engine
  const { createEngine, VERIFIERS } = await import("../verifiers/mod.ts");
  const engine = await createEngine(VERIFIERS);
  try {
    const all = longTextItems(5_000);
    await engine.verifyBatch(all.slice(0, 1_000));
    const rates: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const t = performance.now();
      await engine.verifyBatch(all);
      rates.push(all.length / ((performance.now() - t) / 1000));
    }
    rates.sort((a, b) => a - b);
    console.log(
      `engine (${engine.options.workers} processes), ${all.length} items, ROUGE-L: median ${
        Math.round(rates[rates.length >> 1])
      } items/s, best ${Math.round(rates[rates.length - 1])} (rounds: ${rates.map(Math.round).join(", ")})`,
    );
  } finally {
    await engine.close();
  }
}
