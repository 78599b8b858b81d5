/**
 * The `match` kernel alone, in-process (no engine, no pool): time per item of perf/match_baseline.ts's
 * items (under 200 bytes: aliases, a choice letter, a set, a permutation, a ranking), per kind.
 * Several kernels (`wasm/<name>.wasm` paths, default the built one) run interleaved round by round,
 * so that their ratios are measured under the same load; the best round of each is reported.
 *
 *   deno run --allow-read perf/match_kernel_bench.ts [--rounds 7] [--items 20000] [a.wasm b.wasm …]
 */
import { matchVerifier } from "../verifiers/match/mod.ts";
import { matchItems } from "./match_baseline.ts";
import { type BenchItem, bestOfRounds, encodedFor, kernelBenchArgs } from "./kernel_builds.ts";

const { rounds, items: n, paths } = kernelBenchArgs("match", { rounds: 7, items: 20000 });
/** matchItems cycles through five kinds of item (i % 5). */
const KINDS = ["any_of", "choice", "set_f1", "position", "kendall"];
const encoded = (matchItems(n) as BenchItem[]).map((it) => encodedFor(matchVerifier, it));
const batches = new Map<string, Uint8Array[]>([["all", encoded]]);
KINDS.forEach((kind, k) => batches.set(kind, encoded.filter((_, i) => i % 5 === k)));
const best = bestOfRounds(rounds, batches, paths);
console.log(`best of ${rounds} rounds, ${n} items of perf/match_baseline.ts matchItems, µs per item`);
for (const [key, us] of best) console.log(`${us.toFixed(3)}\t${key}`);
