/**
 * Chart rendering and the chart kernel: (a) the warm sandbox pool against (b) one cold python3 per
 * chart (the public evaluators' way, without any sandbox) at the same concurrency on the same 100
 * fixture charts, p50/p99 per chart, and (c) the kernel's image comparison at 800x600.
 */
import { PythonPool } from "../verifiers/_python/mod.ts";
import { readRecord, rendererPath, renderJob } from "../verifiers/chart_code/mod.ts";
import { ensureChartDeps } from "../scripts/ensure_deps.ts";
import { perSecond, quantile } from "./stats.ts";

const CHARTS = 100;
const fixtures = new URL("../fixtures/charts/", import.meta.url);

/** 100 distinct fixture charts: the references, then variants with other data (no cache hits). */
function charts(): string[] {
  const names = [...Deno.readDirSync(fixtures)].map((e) => e.name).filter((n) => n.endsWith(".py")).sort();
  const out: string[] = [];
  for (let i = 0; out.length < CHARTS; i++) {
    const code = Deno.readTextFileSync(new URL(names[i % names.length], fixtures));
    out.push(`${code}\nax_note = ${i}  # variant ${i}\n`);
  }
  return out;
}

/** Runs `run` over the items, `concurrency` at a time; the latency of each (ms). */
export async function runAll<T>(
  items: T[],
  concurrency: number,
  run: (item: T) => Promise<void>,
): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < items.length) {
      const item = items[next++];
      const t = performance.now();
      await run(item);
      latencies.push(performance.now() - t);
    }
  }));
  return latencies;
}

async function coldRender(code: string, dir: string, i: number): Promise<void> {
  const script =
    `import matplotlib\nmatplotlib.use("Agg")\n${code}\nimport matplotlib.pyplot as plt\nplt.savefig(${
      JSON.stringify(`${dir}/${i}.png`)
    })\n`;
  const { code: exit } = await new Deno.Command("/usr/bin/python3", {
    args: ["-c", script],
    cwd: dir,
    env: { MPLCONFIGDIR: dir },
    stdout: "null",
    stderr: "null",
  }).output();
  if (exit !== 0) throw new Error("cold render failed");
}

/** The kernel's throughput on pairs of 800x600 renderings (decoding excluded: raw pixels). */
async function kernelPairsPerSecond(): Promise<number> {
  const bytes = await Deno.readFile(new URL("../wasm/chart_code.wasm", import.meta.url));
  const { instance } = await WebAssembly.instantiate(bytes, { env: { abort: () => {} } });
  const k = instance.exports as {
    memory: WebAssembly.Memory;
    input(len: number): number;
    score(): number;
    output_len(): number;
  };
  const [w, h] = [800, 600];
  const trace = new TextEncoder().encode(
    '{"v":1,"axes":[],"texts":["a"],"ticks":[],"calls":{"bar":1},"colors":[],"data_artists":1}',
  );
  const params = new TextEncoder().encode('{"profile":"default"}\0');
  const item = new Uint8Array(params.length + 24 + 2 * w * h * 4 + 2 * trace.length);
  item.set(params);
  const head = params.length;
  item.set([0x43, 0x48, 0x4b, 0x31], head);
  const view = new DataView(item.buffer);
  for (const [at, v] of [[4, w], [8, h], [12, trace.length], [16, trace.length], [20, 1]]) {
    view.setUint32(head + at, v, true);
  }
  for (let i = 0; i < w * h * 4; i++) {
    item[head + 24 + i] = (i * 7) & 255;
    item[head + 24 + w * h * 4 + i] = (i * 13) & 255;
  }
  item.set(trace, head + 24 + 2 * w * h * 4);
  item.set(trace, head + 24 + 2 * w * h * 4 + trace.length);
  const pairs = 200;
  const t = performance.now();
  for (let i = 0; i < pairs; i++) {
    const ptr = k.input(item.length);
    new Uint8Array(k.memory.buffer, ptr, item.length).set(item);
    k.score();
  }
  return (pairs / (performance.now() - t)) * 1000;
}

/** Runs the three measurements and returns the README's table rows. */
export async function benchCharts(): Promise<string[]> {
  await ensureChartDeps();
  const concurrency = Math.max(1, navigator.hardwareConcurrency || 2);
  const items = charts();
  const pool = new PythonPool({ handlers: [rendererPath], size: concurrency });
  await pool.warm();
  const t0 = performance.now();
  const warm = await runAll(items, concurrency, async (code) => {
    const r = await pool.run(renderJob({ kind: "code", code, width: 400, height: 300, timeoutMs: 10_000 }));
    if (!("frame" in r) || !readRecord(r.frame.payload, 400, 300)?.pixels) {
      throw new Error("warm render failed");
    }
  });
  const a = performance.now() - t0;
  await pool.close();
  const dir = await Deno.makeTempDir();
  const t1 = performance.now();
  let i = 0;
  const cold = await runAll(items, concurrency, (code) => coldRender(code, dir, i++));
  const b = performance.now() - t1;
  await Deno.remove(dir, { recursive: true });
  const kernel = await kernelPairsPerSecond();
  const ms = (v: number) => `${Math.round(v)} ms`;
  return [
    `| (a) chart_code: warm sandbox pool, ${CHARTS} fixture charts, ${concurrency} at a time | ${
      perSecond(CHARTS, a)
    } charts/s | p50 ${ms(quantile(warm, 0.5))}, p99 ${
      ms(quantile(warm, 0.99))
    } per chart (render, trace, 400x300 pixels) |`,
    `| (b) one cold \`python3\` per chart (no sandbox), same charts and concurrency | ${
      perSecond(CHARTS, b)
    } charts/s | p50 ${ms(quantile(cold, 0.5))}, p99 ${ms(quantile(cold, 0.99))} per chart |`,
    `| (a) / (b) | **${(b / a).toFixed(2)}×** the cold processes' throughput | target ≥ 5× |`,
    `| (c) chart_code kernel, image comparison at 800x600 (raw RGBA pairs) | ${
      Math.round(kernel)
    } pairs/s | SSIM + histogram + trace scores, one thread; target ≥ 200 |`,
  ];
}

if (import.meta.main) console.log((await benchCharts()).join("\n"));
