/**
 * Soak: a real server (`main.ts serve`, its own process, on 127.0.0.1) under mixed load for a fixed
 * time: 16 connections, each sending single rec/math items (`POST /v1/verify`) and, one request in
 * five, a batch of 256 (`POST /v1/verify/batch`). Reports throughput, p50/p99 per request kind,
 * failures, and the server's RSS (host process, and its sandbox processes) after warm-up and at
 * the end. `deno run --allow-all perf/soak_bench.ts [seconds]` runs it alone (default 30 s).
 */
import { quantile } from "./stats.ts";
import { childrenOf } from "./thread_cpu.ts";
import { mathItems } from "./math_items.ts";
import { recItems } from "./rec_items.ts";
import { startServer } from "../tests/_server.ts";

const CONNECTIONS = 16;
const BATCH_ITEMS = 256;
const WARMUP_MS = 3000;

/** Resident memory of a process in bytes (Linux /proc), or 0 when it is gone. */
async function rssOf(pid: number): Promise<number> {
  try {
    const status = await Deno.readTextFile(`/proc/${pid}/status`);
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

/** RSS of the server process and, summed, of its children (the sandbox processes). */
export async function serverRss(pid: number): Promise<{ host: number; sandboxes: number }> {
  const children = await childrenOf(pid);
  const sizes = await Promise.all(children.map(rssOf));
  return { host: await rssOf(pid), sandboxes: sizes.reduce((a, b) => a + b, 0) };
}

interface Tally {
  items: number;
  failures: number;
  single: number[];
  batch: number[];
}

/** One connection's loop until `until` (performance.now() time). */
async function worker(url: string, until: number, seed: number, tally: Tally | null): Promise<void> {
  const singles = [...recItems(64, seed), ...mathItems(64, seed)].map((item) => JSON.stringify(item));
  const batch = JSON.stringify({
    items: [...recItems(BATCH_ITEMS / 2, seed), ...mathItems(BATCH_ITEMS / 2, seed)],
  });
  const headers = { "content-type": "application/json" };
  for (let i = 0; performance.now() < until; i++) {
    const isBatch = i % 5 === 4;
    const started = performance.now();
    const res = await fetch(`${url}${isBatch ? "/v1/verify/batch" : "/v1/verify"}`, {
      method: "POST",
      body: isBatch ? batch : singles[i % singles.length],
      headers,
    });
    const body = await res.json();
    if (!tally) continue;
    const ms = performance.now() - started;
    const results = isBatch ? body.results ?? [] : [body];
    if (!res.ok) tally.failures++;
    else tally.failures += results.filter((r: { error: unknown }) => r.error !== null).length;
    tally.items += results.length;
    (isBatch ? tally.batch : tally.single).push(ms);
  }
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

/** Runs the soak for `seconds` and returns the README's table rows. */
export async function benchSoak(seconds = 30): Promise<string[]> {
  const server = await startServer();
  const url = server.url;
  try {
    const warm = performance.now() + WARMUP_MS;
    await Promise.all(Array.from({ length: CONNECTIONS }, (_, i) => worker(url, warm, i + 1, null)));
    const before = await serverRss(server.process.pid);
    const tally: Tally = { items: 0, failures: 0, single: [], batch: [] };
    const started = performance.now();
    const until = started + seconds * 1000;
    await Promise.all(Array.from({ length: CONNECTIONS }, (_, i) => worker(url, until, i + 1, tally)));
    const elapsedS = (performance.now() - started) / 1000;
    await new Promise((r) => setTimeout(r, 2000));
    const after = await serverRss(server.process.pid);
    const requests = tally.single.length + tally.batch.length;
    const p = (values: number[], q: number) => quantile(values, q).toFixed(1);
    return [
      `| soak, ${seconds} s, ${CONNECTIONS} connections, singles + 1 in 5 a batch of ${BATCH_ITEMS} (rec + math), loopback | ${
        Math.round(tally.items / elapsedS).toLocaleString("en-US")
      } items/s, ${Math.round(requests / elapsedS).toLocaleString("en-US")} requests/s | single p50 ${
        p(tally.single, 0.5)
      } ms, p99 ${p(tally.single, 0.99)} ms; batch p50 ${p(tally.batch, 0.5)} ms, p99 ${
        p(tally.batch, 0.99)
      } ms; ${tally.failures} failures; RSS host ${mib(before.host)} → ${mib(after.host)}, sandboxes ${
        mib(before.sandboxes)
      } → ${mib(after.sandboxes)} |`,
    ];
  } finally {
    await server.stop();
  }
}

if (import.meta.main) {
  const seconds = Number(Deno.args[0] ?? 30);
  if (!(seconds > 0 && seconds <= 600)) throw new Error("seconds: 1..600");
  console.log((await benchSoak(seconds)).join("\n"));
}
