/**
 * `/healthz` while a maximal batch is admitted (issue #12's goal: p99 under 50 ms): a real server
 * in its own process, a batch of `max_queue_items` (262,144) items of 236 bytes (62 MB, just under
 * the 64 MiB body limit) posted by curl (another process), and `/healthz` polled every 10 ms from
 * this process until the batch's answer is in. `deno run --allow-all perf/healthz_bench.ts` runs it
 * alone.
 */
import { quantile } from "./stats.ts";
import { startServer } from "./soak_bench.ts";

const ITEMS = 262_144;

/** The README's row. */
export async function benchHealthz(): Promise<string[]> {
  const filler = "<think>" + "x".repeat(150) + "</think><answer>1</answer>";
  const items = Array.from(
    { length: ITEMS },
    (_, i) => `{"id":"${i}","verifier":"format","response":"${filler}"}`,
  );
  const body = `{"items":[${items.join(",")}],"fields":["reward"]}`;
  const dir = await Deno.makeTempDir({ prefix: "arbiter_healthz_bench_" });
  const bodyPath = `${dir}/body.json`;
  await Deno.writeTextFile(bodyPath, body);
  const { child, url } = await startServer();
  try {
    const post = () =>
      new Deno.Command("curl", {
        args: [
          "-s",
          "-o",
          "/dev/null",
          "-w",
          "%{http_code}",
          "-H",
          "content-type: application/json",
          "--data-binary",
          `@${bodyPath}`,
          `${url}/v1/verify/batch`,
        ],
        stdout: "piped",
      }).output();
    // A warm-up batch, then the measured one.
    await post();
    const latencies: number[] = [];
    let done = false;
    const poll = (async () => {
      while (!done) {
        const started = performance.now();
        const response = await fetch(`${url}/healthz`);
        await response.body?.cancel();
        latencies.push(performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    const started = performance.now();
    const out = await post();
    const batchMs = performance.now() - started;
    done = true;
    await poll;
    const status = new TextDecoder().decode(out.stdout);
    if (status !== "200") throw new Error(`the maximal batch got HTTP ${status}`);
    const mb = body.length / 1e6;
    return [
      `| \`/healthz\` while a maximal batch is admitted (${ITEMS.toLocaleString("en-US")} \`format\` items, ${
        mb.toFixed(0)
      } MB, posted by curl) | p50 ${quantile(latencies, 0.5).toFixed(1)} ms, p99 ${
        quantile(latencies, 0.99).toFixed(1)
      } ms (goal p99 < 50 ms) | max ${
        Math.max(...latencies).toFixed(1)
      } ms over ${latencies.length} polls every 10 ms; the batch took ${(batchMs / 1000).toFixed(1)} s |`,
    ];
  } finally {
    child.kill("SIGTERM");
    await child.status;
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) console.log((await benchHealthz()).join("\n"));
