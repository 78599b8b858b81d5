/**
 * In-process cost of the `iou` and `format` kernels alone: 100,000 varied typical `rec` items are
 * encoded once (parameters, 0x00, response) and then scored through `KernelInstance.scoreBytes`,
 * with no engine, no workers and no JSON decoding of the results.
 * Usage: deno task build && deno run --allow-read perf/iou_kernel_bench.ts [count] [rounds] [wasm-dir]
 * (wasm-dir: where iou.wasm and format.wasm are, default wasm/; e.g. an older build to compare with)
 */
import { cpuUsage } from "node:process";
import { compileKernel, encodeItem, KernelInstance } from "../wasm/mod.ts";
import { iouVerifier } from "../verifiers/iou/mod.ts";
import { formatVerifier } from "../verifiers/format/mod.ts";
import { recItems } from "./rec_items.ts";

const count = Number(Deno.args[0] ?? 100_000);
const rounds = Number(Deno.args[1] ?? 7);
const wasmDir = Deno.args[2];

function load(name: string): KernelInstance {
  const file = wasmDir ? `${wasmDir}/${name}.wasm` : new URL(`../wasm/${name}.wasm`, import.meta.url);
  return new KernelInstance(compileKernel(Deno.readFileSync(file)));
}

/**
 * Scores every encoded item `rounds` times and prints the best and median round, by wall-clock time
 * and by this process's CPU time (the steadier measure on a shared machine); returns the best
 * CPU-time ns/item.
 */
function bench(label: string, kernel: KernelInstance, encoded: Uint8Array[]): number {
  let outBytes = 0;
  for (const item of encoded.slice(0, 2_000)) outBytes += kernel.scoreBytes(item).length; // warm-up
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const c = cpuUsage();
    const t = performance.now();
    for (let i = 0; i < encoded.length; i++) outBytes += kernel.scoreBytes(encoded[i]).length;
    wall.push((performance.now() - t) * 1e6 / encoded.length);
    const used = cpuUsage(c);
    cpu.push((used.user + used.system) * 1e3 / encoded.length);
  }
  const best = (xs: number[]) => Math.min(...xs);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const f = (x: number) => x.toFixed(0).padStart(5);
  const cpuText = `cpu best ${f(best(cpu))} median ${f(median(cpu))} ns/item`;
  const wallText = `wall best ${f(best(wall))} median ${f(median(wall))} ns/item`;
  const rate = `${(1e9 / best(cpu) / 1000).toFixed(0).padStart(5)}k items/s per core`;
  console.log(`${label.padEnd(7)} ${cpuText} | ${wallText} | ${rate} (${outBytes} output bytes)`);
  return best(cpu);
}

const items = recItems(count);
const iouEncoded = items.map((it) => encodeItem(iouVerifier.params(it.reference, {}), it.response));
const formatEncoded = items.map((it) => encodeItem(formatVerifier.params(null, {}), it.response));
const meanBytes = iouEncoded.reduce((s, b) => s + b.length, 0) / iouEncoded.length;
console.log(`${count} rec items, ${meanBytes.toFixed(0)} bytes each on average (parameters + response)`);
const iou = load("iou");
const sample = new TextDecoder().decode(iou.scoreBytes(iouEncoded[0]));
console.log(`sample result: ${sample}`);
bench("iou", iou, iouEncoded);
bench("format", load("format"), formatEncoded);
