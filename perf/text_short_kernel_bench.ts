/**
 * The `text` kernel alone, in-process (no engine, no pool), on short captions (perf/text_baseline.ts
 * `shortTextItems`: answers under 200 bytes) per metric, plus the 2 kB ROUGE-L items of text_kernel_bench.
 * Several kernels (`.wasm` paths, default the built one) run interleaved round by round, so that their
 * ratios are measured under the same load.
 *
 *   deno run --allow-read perf/text_short_kernel_bench.ts [--rounds 7] [--items 20000] [--short-only] [a.wasm …]
 */
import { compileKernel, encodeItem, KernelInstance } from "../wasm/mod.ts";
import { textVerifier } from "../verifiers/text/mod.ts";
import { longTextItems, shortTextItems } from "./text_baseline.ts";

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
const valued = ["--rounds", "--items"];
const rest = Deno.args.filter((a, i) => !a.startsWith("--") && !valued.includes(Deno.args[i - 1]));
const paths = rest.length > 0 ? rest : [new URL("../wasm/text.wasm", import.meta.url).pathname];
const encode = (it: Item) => encodeItem(textVerifier.params(it.reference, it.options ?? {}), it.response);
const short = shortTextItems(n) as Item[];
const batches = new Map<string, Uint8Array[]>();
for (const m of ["rougeL", "token_f1", "wer"]) {
  batches.set(`short ${m}`, short.filter((it) => it.options.metric === m).map(encode));
}
batches.set("short mixed", short.map(encode));
if (!Deno.args.includes("--short-only")) {
  batches.set("2kB rougeL", (longTextItems(Math.max(200, n >> 5)) as Item[]).map(encode));
}
const kernels = paths.map((p) => new KernelInstance(compileKernel(Deno.readFileSync(p))));

function timeOne(k: KernelInstance, batch: Uint8Array[]): number {
  const t = performance.now();
  for (const b of batch) k.scoreBytes(b);
  return (performance.now() - t) * 1000 / batch.length;
}

const best = new Map<string, number>();
for (let r = 0; r < rounds; r++) {
  for (const [name, batch] of batches) {
    for (let i = 0; i < kernels.length; i++) {
      const us = timeOne(kernels[i], batch);
      const key = `${name}\t${paths[i]}`;
      best.set(key, Math.min(best.get(key) ?? Infinity, us));
    }
  }
}
console.log(`best of ${rounds} rounds, µs per item`);
for (const [key, us] of best) console.log(`${us.toFixed(2)}\t${key}`);
