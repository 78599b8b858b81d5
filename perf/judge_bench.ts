/**
 * Judges through the engine against the project's fake judge on loopback: (a) 4,096 distinct items
 * with a 50 ms judge and `max_concurrency: 64` (the bound is 64 / 0.05 s = 1,280 items/s; the
 * target is ≥ 90% of it), (b) the same 4,096 items again, all cache hits (target ≥ 50,000 items/s),
 * (c) Arbiter's own time per call: 500 calls one at a time to a judge that answers at once, the
 * item's `ms` (the whole call, loopback HTTP and the fake's own work included: an upper bound).
 */
import { createEngine, VERIFIERS } from "../verifiers/mod.ts";

import { perSecond, quantile } from "./stats.ts";

const ITEMS = 4096;
const LATENCY_MS = 50;
const CONCURRENCY = 64;

const item = (i: number) => ({
  verifier: "judge",
  prompt: `Question ${i}: what is ${i} + ${i}?`,
  response: `The answer is ${2 * i}.`,
  reference: String(2 * i),
  options: { template: "equivalence" },
});

/** The fake judge in its own process (its HTTP work must not share the measured process). */
async function startFake(latencyMs: number): Promise<{ url: string; stop: () => Promise<void> }> {
  const process = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-net",
      new URL("../tests/fake_openai_server.ts", import.meta.url).pathname,
      String(latencyMs),
    ],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = process.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error("the fake judge exited before listening");
    text += value;
  }
  const url = text.slice("listening ".length, text.indexOf("\n"));
  return {
    url,
    stop: async () => {
      process.kill("SIGTERM");
      await process.status;
      await reader.cancel();
    },
  };
}

/** The judge rows of the performance table. */
export async function benchJudge(): Promise<string[]> {
  const fake = await startFake(LATENCY_MS);
  const instant = await startFake(0);
  const engine = await createEngine(VERIFIERS, {
    workers: 1,
    judges: {
      slow: { url: fake.url, model: "fake", max_concurrency: CONCURRENCY, retries: 0 },
      fast: { url: instant.url, model: "fake-fast", max_concurrency: 1, retries: 0 },
    },
  });
  try {
    const items = Array.from(
      { length: ITEMS },
      (_, i) => ({ ...item(i), options: { judge: "slow", template: "equivalence" } }),
    );
    let t = performance.now();
    const cold = await engine.verifyBatch(items);
    const coldMs = performance.now() - t;
    const bad = cold.filter((r) => r.reward !== 1).length;
    t = performance.now();
    const warm = await engine.verifyBatch(items);
    const warmMs = performance.now() - t;
    const misses = warm.filter((r) => r.details?.cached !== true).length;

    const latencies: number[] = [];
    for (let i = 0; i < 500; i++) {
      const [r] = await engine.verifyBatch([{
        ...item(ITEMS + i),
        options: { judge: "fast", template: "equivalence" },
      }]);
      latencies.push(r.ms);
    }
    const bound = (CONCURRENCY / LATENCY_MS) * 1000;
    const rate = (ITEMS / coldMs) * 1000;
    return [
      `| judge, ${ITEMS} items, fake judge ${LATENCY_MS} ms, max_concurrency ${CONCURRENCY} | ${
        perSecond(ITEMS, coldMs)
      } items/s | ${
        Math.round((rate / bound) * 100)
      }% of the ${bound} items/s bound (target ≥ 90%); ${bad} not 1 |`,
      `| judge, ${ITEMS} cache hits | ${
        perSecond(ITEMS, warmMs)
      } items/s | target ≥ 50,000; ${misses} misses |`,
      `| judge call, fake judge answering at once | p50 ${quantile(latencies, 0.5).toFixed(2)} ms, p99 ${
        quantile(latencies, 0.99).toFixed(2)
      } ms | whole call incl. loopback HTTP and the fake's work (upper bound of Arbiter's overhead; target < 1 ms p50) |`,
    ];
  } finally {
    await engine.close();
    await fake.stop();
    await instant.stop();
  }
}

if (import.meta.main) console.log((await benchJudge()).join("\n"));
