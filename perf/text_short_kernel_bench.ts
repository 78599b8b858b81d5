/**
 * The `text` kernel alone, in-process (no engine, no pool), on short captions (perf/text_baseline.ts
 * `shortTextItems`: answers under 200 bytes) per metric, plus the 2 kB ROUGE-L items of text_kernel_bench.
 * Several kernels (`.wasm` paths, default the built one) run interleaved round by round, so that their
 * ratios are measured under the same load.
 *
 *   deno run --allow-read perf/text_short_kernel_bench.ts [--rounds 7] [--items 20000] [--short-only] [a.wasm …]
 */
import { textVerifier } from "../verifiers/text/mod.ts";
import { longTextItems, shortTextItems } from "./text_baseline.ts";
import { type BenchItem, bestOfRounds, encodedFor, kernelBenchArgs } from "./kernel_builds.ts";

const { rounds, items: n, paths } = kernelBenchArgs("text", { rounds: 7, items: 20000 });
const encode = (it: BenchItem) => encodedFor(textVerifier, it);
const short = shortTextItems(n) as BenchItem[];
const batches = new Map<string, Uint8Array[]>();
for (const m of ["rougeL", "token_f1", "wer"]) {
  batches.set(`short ${m}`, short.filter((it) => it.options?.metric === m).map(encode));
}
batches.set("short mixed", short.map(encode));
if (!Deno.args.includes("--short-only")) {
  batches.set("2kB rougeL", (longTextItems(Math.max(200, n >> 5)) as BenchItem[]).map(encode));
}
const best = bestOfRounds(rounds, batches, paths);
console.log(`best of ${rounds} rounds, µs per item`);
for (const [key, us] of best) console.log(`${us.toFixed(2)}	${key}`);
