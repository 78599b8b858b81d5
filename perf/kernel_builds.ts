/**
 * What the kernel-alone benchmarks share (perf/match_kernel_bench.ts, perf/text_kernel_bench.ts,
 * perf/text_short_kernel_bench.ts): their command line (`--rounds N`, `--items N`, then `.wasm`
 * paths of the builds to compare, default the built one) and the timing, every build on every batch
 * round after round (so that their ratios are measured under the same load), best round kept.
 */
import { compileKernel, encodeItem, KernelInstance } from "../wasm/mod.ts";
import type { WasmVerifier } from "../verifiers/types.ts";

/** An item as the benchmarks' generators make it. */
export interface BenchItem {
  response: string;
  reference: unknown;
  options?: Record<string, unknown>;
}

/** The command line of a kernel benchmark. */
export interface KernelBenchArgs {
  rounds: number;
  items: number;
  /** The builds to compare (`.wasm` paths). */
  paths: string[];
}

/** Reads `--rounds`, `--items` and the `.wasm` paths (default: `wasm/<kernel>.wasm`); other `--flags` are left to the caller. */
export function kernelBenchArgs(
  kernel: string,
  defaults: { rounds: number; items: number },
): KernelBenchArgs {
  const args = Deno.args;
  const valued = ["--rounds", "--items"];
  const flag = (name: string, fallback: number) => {
    const at = args.indexOf(name);
    return at >= 0 ? Number(args[at + 1]) : fallback;
  };
  const paths = args.filter((a, i) => !a.startsWith("--") && !valued.includes(args[i - 1]));
  return {
    rounds: flag("--rounds", defaults.rounds),
    items: flag("--items", defaults.items),
    paths: paths.length > 0 ? paths : [new URL(`../wasm/${kernel}.wasm`, import.meta.url).pathname],
  };
}

/** An item's bytes as the kernel reads them (its verifier's parameters, 0x00, the response). */
export function encodedFor(verifier: WasmVerifier, item: BenchItem): Uint8Array {
  return encodeItem(verifier.params(item.reference, item.options ?? {}), item.response);
}

/**
 * µs per item of every build on every batch, the best of `rounds` rounds, keyed `batch name\tpath`
 * (in the order batches, then builds, were given).
 */
export function bestOfRounds(
  rounds: number,
  batches: Map<string, Uint8Array[]>,
  paths: string[],
): Map<string, number> {
  const kernels = paths.map((p) => new KernelInstance(compileKernel(Deno.readFileSync(p))));
  const best = new Map<string, number>();
  for (let r = 0; r < rounds; r++) {
    for (const [name, batch] of batches) {
      kernels.forEach((kernel, i) => {
        const started = performance.now();
        for (const bytes of batch) kernel.scoreBytes(bytes);
        const us = (performance.now() - started) * 1000 / batch.length;
        const key = `${name}\t${paths[i]}`;
        best.set(key, Math.min(best.get(key) ?? Infinity, us));
      });
    }
  }
  return best;
}
