/**
 * The `rec` benchmark of issue 2, all in one run: (a) the engine scoring 100,000 rec items through
 * the WASM kernels in the sandbox, (b) the same work as plain TypeScript in-process (the baseline),
 * (c) batches of 4,096 rec items over HTTP on localhost, end to end.
 */
import { createApp } from "../routes/mod.ts";
import { createEngine, VERIFIERS } from "../verifiers/mod.ts";
import { ItemValidator } from "../verifiers/validate.ts";
import { scoreRecBaseline } from "./baseline_rec.ts";
import { recItems } from "./rec_items.ts";
import { median, perSecond, quantile } from "./stats.ts";
import { timeRounds } from "./rounds.ts";

const ITEMS = 100_000;
const ROUNDS = 5;
const HTTP_BATCHES = 40;

/** Runs the three measurements and returns the README's table rows. */
export async function benchRec(): Promise<string[]> {
  const items = recItems(ITEMS);
  const engine = await createEngine(VERIFIERS);
  const rows: string[] = [];
  try {
    // (a) engine, then (b) the baseline on one thread, same items; medians after a warm-up.
    const engineRounds = await timeRounds(
      ROUNDS,
      () => engine.verifyBatch(items.slice(0, 20_000)),
      () => engine.verifyBatch(items),
    );
    const validator = new ItemValidator(VERIFIERS, 8 * 1024 * 1024);
    const baseRounds = await timeRounds(
      ROUNDS,
      () => scoreRecBaseline(validator, items.slice(0, 20_000)),
      () => scoreRecBaseline(validator, items),
    );
    const itemMs = engineRounds.itemMs, baseItemMs = baseRounds.itemMs;
    const a = engineRounds.medianMs, b = baseRounds.medianMs;
    rows.push(
      `| (a) engine, ${
        ITEMS.toLocaleString("en-US")
      } rec items, WASM in sandbox (${engine.options.workers} processes) | ${perSecond(ITEMS, a)} items/s | ${
        a.toFixed(0)
      } ms per 100k; item p50 ${(quantile(itemMs, 0.5) * 1000).toFixed(1)} µs, p99 ${
        (quantile(itemMs, 0.99) * 1000).toFixed(1)
      } µs |`,
      `| (b) plain TypeScript in-process (regex), same items, one thread | ${perSecond(ITEMS, b)} items/s | ${
        b.toFixed(0)
      } ms per 100k; item p50 ${(quantile(baseItemMs, 0.5) * 1000).toFixed(1)} µs, p99 ${
        (quantile(baseItemMs, 0.99) * 1000).toFixed(1)
      } µs |`,
      `| (a) / (b) | **${(b / a).toFixed(2)}×** the baseline's throughput | |`,
    );

    // (c) HTTP: 4,096-item batches against a real listening server on localhost.
    const app = createApp(engine, { maxBodyBytes: 64 * 1024 * 1024, apiKeys: [] });
    const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, app.fetch);
    const url = `http://127.0.0.1:${server.addr.port}/v1/verify/batch`;
    const body = JSON.stringify({ items: items.slice(0, 4096) });
    const latencies: number[] = [];
    for (let i = 0; i < HTTP_BATCHES + 5; i++) {
      const started = performance.now();
      const res = await fetch(url, { method: "POST", body, headers: { "content-type": "application/json" } });
      const { results } = await res.json();
      if (results.length !== 4096) throw new Error("short batch");
      if (i >= 5) latencies.push(performance.now() - started);
    }
    await server.shutdown();
    rows.push(
      `| (c) HTTP, batches of 4,096 rec items, localhost end to end (${HTTP_BATCHES} batches) | p50 ${
        median(latencies).toFixed(1)
      } ms | p99 ${quantile(latencies, 0.99).toFixed(1)} ms |`,
    );
  } finally {
    await engine.close();
  }
  return rows;
}
