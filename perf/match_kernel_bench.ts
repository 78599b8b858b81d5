/**
 * The `match` kernel alone, in-process (no engine, no pool): time per item of perf/match_baseline.ts's
 * items (under 200 bytes: aliases, a choice letter, a set, a permutation, a ranking), per kind.
 * Several kernels (`wasm/<name>.wasm` paths, default the built one) run interleaved round by round,
 * so that their ratios are measured under the same load; the best round of each is reported.
 *
 *   deno run --allow-read perf/match_kernel_bench.ts [--rounds 7] [--items 20000] [a.wasm b.wasm …]
 */
import { compileKernel, encodeItem, KernelInstance } from "../wasm/mod.ts";
import { matchVerifier } from "../verifiers/match/mod.ts";
import { matchItems } from "./match_baseline.ts";

interface Item {
  response: string;
  reference: unknown;
  options: Record<string, unknown>;
}

function flag(name: string, fallback: number): number {
  const at = Deno.args.indexOf(`--${name}`);
  return at >= 0 ? Number(Deno.args[at + 1]) : fallback;
}
const rounds = flag("rounds", 7);
const n = flag("items", 20000);
const rest = Deno.args.filter((a, i) => !a.startsWith("--") && !Deno.args[i - 1]?.startsWith("--"));
const paths = rest.length > 0 ? rest : [new URL("../wasm/match.wasm", import.meta.url).pathname];
const items = matchItems(n) as Item[];
/** matchItems cycles through five kinds of item (i % 5). */
const KINDS = ["any_of", "choice", "set_f1", "position", "kendall"];
const encoded = items.map((it) => encodeItem(matchVerifier.params(it.reference, it.options), it.response));
const byKind = KINDS.map((_, k) => encoded.filter((_, i) => i % 5 === k));
const kernels = paths.map((p) => new KernelInstance(compileKernel(Deno.readFileSync(p))));

function timeOne(k: KernelInstance, batch: Uint8Array[]): number {
  const t = performance.now();
  for (const b of batch) k.scoreBytes(b);
  return (performance.now() - t) * 1000 / batch.length;
}

const best = new Map<string, number>();
const note = (key: string, us: number) => best.set(key, Math.min(best.get(key) ?? Infinity, us));
for (let r = 0; r < rounds; r++) {
  for (let i = 0; i < kernels.length; i++) {
    note(`all\t${paths[i]}`, timeOne(kernels[i], encoded));
    KINDS.forEach((kind, k) => note(`${kind}\t${paths[i]}`, timeOne(kernels[i], byKind[k])));
  }
}
console.log(`best of ${rounds} rounds, ${n} items of perf/match_baseline.ts matchItems, µs per item`);
for (const [key, us] of best) console.log(`${us.toFixed(3)}\t${key}`);
