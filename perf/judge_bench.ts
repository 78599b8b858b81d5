/**
 * Judges through the engine against the project's fake judge, which runs in its own process on
 * loopback (its HTTP work must not share the measured process): (a) 4,096 distinct items with a
 * 50 ms judge and `max_concurrency: 64` (the bound is 64 / 0.05 s = 1,280 items/s; the target is
 * ≥ 90% of it), (b) the same 4,096 items again, all cache hits (target ≥ 50,000 items/s; median of
 * 5 passes), (c) 500 calls one at a time to a judge that answers at once: the item's `ms` is the
 * whole call (loopback HTTP and the fake's work included), and the same request sent straight with
 * `fetch` gives the harness's own round trip, so that the difference is Arbiter's overhead per call
 * (target < 1 ms at p50; Arbiter's own HTTP/1.1 client for plain-http judges can make it negative).
 * The harness's ceiling for (a) is measured too: the same number of requests sent straight to the
 * fake with fetch, 64 at a time, without Arbiter; this process's CPU time per item; and the average
 * number of calls in flight during (a) (the judge's in-flight seconds metric over the batch's wall
 * time). Each round uses a fresh engine (an empty cache) after a warm-up batch of 256 items;
 * `--rounds N` prints every round and the medians.
 */
import { cpuUsage } from "node:process";
import { createEngine, VERIFIERS } from "../verifiers/mod.ts";

import { median, perSecond, quantile } from "./stats.ts";
import { startServer } from "../tests/_server.ts";

const ITEMS = 4096;
const LATENCY_MS = 50;
const CONCURRENCY = 64;
const CALLS = 500;
const WARM_UP = 256;
const HIT_PASSES = 5;

/** The engine entry points measured (another checkout's can be passed to compare two versions). */
export interface EngineModule {
  createEngine: typeof createEngine;
  VERIFIERS: typeof VERIFIERS;
}

/** One round's figures. */
export interface JudgeFigures {
  /** (a) wall time of the 4,096-item batch, and how many results were not reward 1. */
  coldMs: number;
  /** (a) average number of calls in flight to the judge (from the in-flight seconds metric). */
  coldInFlight: number;
  /** CPU time (user + system, all threads) of this process during (a) and (b). */
  coldCpuMs: number;
  hitsCpuMs: number;
  notOne: number;
  /** (b) wall time of the same batch again, and how many were not cache hits. */
  hitsMs: number;
  misses: number;
  /** (c) each call's `ms`, and each straight `fetch` round trip of the same request. */
  callMs: number[];
  rawCallMs: number[];
  /** Wall time of 4,096 requests sent straight to the 50 ms fake, 64 at a time. */
  rawBatchMs: number;
}

/** A fake judge in its own process. */
export interface FakeProcess {
  url: string;
  stop: () => Promise<void>;
}

const item = (i: number, judge: string) => ({
  verifier: "judge",
  prompt: `Question ${i}: what is ${i} + ${i}?`,
  response: `The answer is ${2 * i}.`,
  reference: String(2 * i),
  options: { judge, template: "equivalence" },
});

/** A chat request of the size the `equivalence` template makes (about 1,000 characters of text). */
const RAW_BODY = JSON.stringify({
  model: "fake",
  messages: [{ role: "system", content: "s".repeat(412) }, { role: "user", content: "u".repeat(544) }],
  temperature: 0,
  max_tokens: 512,
  stream: false,
});

/** Starts the fake judge (`tests/fake_openai_server.ts`) in its own process. */
export async function startFake(latencyMs: number): Promise<FakeProcess> {
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

async function post(url: string): Promise<void> {
  const response = await fetch(`${url}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: RAW_BODY,
  });
  await response.text();
}

/** Wall time of `count` requests sent straight to the fake, `concurrency` at a time. */
async function rawBatch(url: string, count: number, concurrency: number): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) {
      next++;
      await post(url);
    }
  }));
  return performance.now() - started;
}

/** A judge's `arbiter_judge_in_flight_seconds_total` (NaN when the engine does not report it). */
function inFlightSeconds(lines: string[], judge: string): number {
  const prefix = `arbiter_judge_in_flight_seconds_total{judge="${judge}"} `;
  const line = lines.find((l) => l.startsWith(prefix));
  return line === undefined ? NaN : Number(line.slice(prefix.length));
}

function cpuMsSince(start: { user: number; system: number }): number {
  const { user, system } = cpuUsage(start);
  return (user + system) / 1000;
}

/** One round against running fakes (`slow`: 50 ms, `instant`: 0 ms). */
export async function measureJudge(
  fakes: { slow: string; instant: string },
  round = 0,
  module: EngineModule = { createEngine, VERIFIERS },
): Promise<JudgeFigures> {
  const engine = await module.createEngine(module.VERIFIERS, {
    workers: 1,
    judges: {
      slow: { url: fakes.slow, model: "fake", max_concurrency: CONCURRENCY, retries: 0 },
      fast: { url: fakes.instant, model: "fake-fast", max_concurrency: 1, retries: 0 },
    },
  });
  // Distinct texts per round: nothing is cached across rounds (nor, by the fake, at all).
  const base = (round + 1) * 1_000_000;
  try {
    await engine.verifyBatch(
      Array.from({ length: WARM_UP }, (_, i) => item(base + ITEMS + CALLS + i, "slow")),
    );
    const items = Array.from({ length: ITEMS }, (_, i) => item(base + i, "slow"));
    const busyBefore = inFlightSeconds(engine.remoteMetricLines(), "slow");
    let cpu = cpuUsage();
    let t = performance.now();
    const cold = await engine.verifyBatch(items);
    const coldMs = performance.now() - t;
    const coldCpuMs = cpuMsSince(cpu);
    const coldInFlight = ((inFlightSeconds(engine.remoteMetricLines(), "slow") - busyBefore) * 1000) / coldMs;
    // The hits take a fraction of a second: the median of several passes.
    const passes: { ms: number; cpuMs: number }[] = [];
    let warm = cold;
    for (let pass = 0; pass < HIT_PASSES; pass++) {
      cpu = cpuUsage();
      t = performance.now();
      warm = await engine.verifyBatch(items);
      passes.push({ ms: performance.now() - t, cpuMs: cpuMsSince(cpu) });
    }
    const hitsMs = median(passes.map((p) => p.ms));
    const hitsCpuMs = median(passes.map((p) => p.cpuMs));

    const callMs: number[] = [];
    const rawCallMs: number[] = [];
    for (let i = 0; i < CALLS; i++) {
      const [r] = await engine.verifyBatch([item(base + ITEMS + i, "fast")]);
      callMs.push(r.ms);
      t = performance.now();
      await post(fakes.instant);
      rawCallMs.push(performance.now() - t);
    }
    return {
      coldMs,
      coldInFlight,
      coldCpuMs,
      hitsCpuMs,
      notOne: cold.filter((r) => r.reward !== 1).length,
      hitsMs,
      misses: warm.filter((r) => r.details?.cached !== true).length,
      callMs,
      rawCallMs,
      rawBatchMs: await rawBatch(fakes.slow, ITEMS, CONCURRENCY),
    };
  } finally {
    await engine.close();
  }
}

function cpuPerItem(cpuMs: number[]): string {
  return `Arbiter's process CPU ${((median(cpuMs) / ITEMS) * 1000).toFixed(0)} µs per item`;
}

/** The performance table's rows for the rounds' medians. */
export function judgeRows(rounds: JudgeFigures[]): string[] {
  const bound = (CONCURRENCY / LATENCY_MS) * 1000;
  const coldMs = median(rounds.map((r) => r.coldMs));
  const rate = (ITEMS / coldMs) * 1000;
  const callP50 = median(rounds.map((r) => quantile(r.callMs, 0.5)));
  const callP99 = median(rounds.map((r) => quantile(r.callMs, 0.99)));
  const rawP50 = median(rounds.map((r) => quantile(r.rawCallMs, 0.5)));
  const n = rounds.length > 1 ? `, median of ${rounds.length} rounds` : "";
  return [
    `| judge, ${ITEMS} items, fake judge ${LATENCY_MS} ms, max_concurrency ${CONCURRENCY}${n} | ${
      perSecond(ITEMS, coldMs)
    } items/s | ${Math.round((rate / bound) * 100)}% of the ${bound} items/s bound (target ≥ 90%); ${
      Math.max(...rounds.map((r) => r.notOne))
    } not 1; ${
      median(rounds.map((r) => r.coldInFlight)).toFixed(1)
    } calls in flight on average (of ${CONCURRENCY}); ${
      cpuPerItem(rounds.map((r) => r.coldCpuMs))
    }; harness alone (fetch straight to the fake): ${
      perSecond(ITEMS, median(rounds.map((r) => r.rawBatchMs)))
    } requests/s |`,
    `| judge, ${ITEMS} cache hits${n} | ${
      perSecond(ITEMS, median(rounds.map((r) => r.hitsMs)))
    } items/s | ${"target ≥ 50,000; "}${Math.max(...rounds.map((r) => r.misses))} misses; ${
      cpuPerItem(rounds.map((r) => r.hitsCpuMs))
    } |`,
    `| judge call, fake judge answering at once${n} | p50 ${callP50.toFixed(2)} ms, p99 ${
      callP99.toFixed(2)
    } ms | whole call; the same request straight with fetch: p50 ${rawP50.toFixed(2)} ms, so ${
      ownPerCall(callP50, rawP50)
    } (target < 1 ms) |`,
  ];
}

/**
 * Arbiter's own time per call: the whole call less fetch's round trip. Arbiter sends a plain-http
 * judge's requests through its own HTTP/1.1 client, which may be faster than fetch: then the
 * difference is an upper bound of nothing, and the row says so.
 */
function ownPerCall(callP50: number, rawP50: number): string {
  return callP50 >= rawP50
    ? `Arbiter's own ≈ ${(callP50 - rawP50).toFixed(2)} ms at p50`
    : `the whole call is ${(rawP50 - callP50).toFixed(2)} ms quicker than fetch's round trip at p50 ` +
      "(Arbiter's HTTP/1.1 client): its own time is within that";
}

/** The judge rows of the performance table (one round). */
export async function benchJudge(rounds = 1): Promise<string[]> {
  const slow = await startFake(LATENCY_MS);
  const instant = await startFake(0);
  try {
    const figures: JudgeFigures[] = [];
    for (let r = 0; r < rounds; r++) {
      figures.push(await measureJudge({ slow: slow.url, instant: instant.url }, r));
      if (rounds > 1) console.error(judgeRows([figures[r]]).join("\n"));
    }
    return [...judgeRows(figures), ...await judgeOverHttp(slow.url)];
  } finally {
    await slow.stop();
    await instant.stop();
  }
}

/**
 * The same as a trainer sees it: a real server (`main.ts serve --config`, the judge configured at the
 * 50 ms fake) and a separate Python process posting the 4,096 items (`perf/judge_http_client.py`):
 * HTTP, the server's parsing and the client's JSON encoding and decoding included.
 */
async function judgeOverHttp(fakeUrl: string): Promise<string[]> {
  const dir = await Deno.makeTempDir({ prefix: "arbiter_judge_http_" });
  const config = `${dir}/arbiter.yaml`;
  await Deno.writeTextFile(
    config,
    `judges:\n  fake:\n    url: ${fakeUrl}\n    model: fake\n    max_concurrency: ${CONCURRENCY}\n`,
  );
  const server = await startServer({}, ["--config", config]);
  try {
    const script = new URL("./judge_http_client.py", import.meta.url).pathname;
    const out = await new Deno.Command("python3", { args: [script, server.url, "fake"], stdout: "piped" })
      .output();
    if (!out.success) throw new Error("the judge HTTP client failed");
    const { items, cold_ms, hits_ms } = JSON.parse(new TextDecoder().decode(out.stdout));
    const bound = CONCURRENCY / (LATENCY_MS / 1000);
    const cold = (items / cold_ms) * 1000;
    return [
      `| judge over HTTP from Python, ${items} items, fake judge ${LATENCY_MS} ms, max_concurrency ${CONCURRENCY} | ${
        perSecond(items, cold_ms)
      } items/s | ${
        Math.round((cold / bound) * 100)
      }% of the ${bound} items/s bound; a separate client process, JSON encoding and decoding included; \`python3 perf/judge_http_client.py URL fake\` |`,
      `| judge over HTTP from Python, the same ${items} items again (cache hits), median of 5 | ${
        perSecond(items, hits_ms)
      } items/s | target ≥ 50,000; a separate client process, HTTP and its JSON encoding and decoding included |`,
    ];
  } finally {
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) {
  const at = Deno.args.indexOf("--rounds");
  const rounds = at >= 0 ? Math.max(1, Number(Deno.args[at + 1]) || 1) : 1;
  console.log((await benchJudge(rounds)).join("\n"));
}
