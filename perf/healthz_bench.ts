/**
 * `/healthz` while a maximal batch is admitted (issue #12's goal: p99 under 50 ms): a real server
 * in its own process, a batch of `max_queue_items` (262,144) items of 236 bytes (62 MB, just under
 * the 64 MiB body limit) posted by curl (another process), and `/healthz` polled every 10 ms by
 * perf/healthz_poller.py (a third process, as a kubelet or load balancer probes) until the batch's
 * answer is in. `deno run --allow-all perf/healthz_bench.ts` runs it alone.
 */
import { quantile } from "./stats.ts";
import { startServer } from "../tests/_server.ts";
import { curlPost } from "./http_external_bench.ts";

const ITEMS = 262_144;

/** The README's row. */
export async function benchHealthz(): Promise<string[]> {
  const dir = await Deno.makeTempDir({ prefix: "arbiter_healthz_bench_" });
  const bodyPath = `${dir}/body.json`;
  const bodyBytes = await writeBody(bodyPath);
  const server = await startServer();
  const url = server.url;
  try {
    const post = () => curlPost(url, bodyPath);
    // A warm-up batch, then the measured one.
    await post();
    const poller = await startPoller(url);
    const started = performance.now();
    const status = await post();
    const batchMs = performance.now() - started;
    const latencies = await poller.stop();
    if (status !== "200") throw new Error(`the maximal batch got HTTP ${status}`);
    const mb = bodyBytes / 1e6;
    return [
      `| \`/healthz\` while a maximal batch is admitted (${ITEMS.toLocaleString("en-US")} \`format\` items, ${
        mb.toFixed(0)
      } MB, posted by curl) | p50 ${quantile(latencies, 0.5).toFixed(1)} ms, p99 ${
        quantile(latencies, 0.99).toFixed(1)
      } ms (goal p99 < 50 ms) | max ${
        Math.max(...latencies).toFixed(1)
      } ms over ${latencies.length} polls every 10 ms; the batch took ${
        (batchMs / 1000).toFixed(1)
      } s; \`python3 perf/healthz_poller.py URL\` |`,
    ];
  } finally {
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
}

/** Writes the maximal batch to `path` without keeping it in this process; answers its size. */
async function writeBody(path: string): Promise<number> {
  const filler = "<think>" + "x".repeat(150) + "</think><answer>1</answer>";
  const body = `{"items":[${
    Array.from({ length: ITEMS }, (_, i) => `{"id":"${i}","verifier":"format","response":"${filler}"}`).join(
      ",",
    )
  }],"fields":["reward"]}`;
  await Deno.writeTextFile(path, body);
  return body.length;
}

/** Starts perf/healthz_poller.py against `url`; `stop` closes its input and answers its latencies. */
async function startPoller(url: string): Promise<{ stop: () => Promise<number[]> }> {
  const child = new Deno.Command("python3", {
    args: [new URL("./healthz_poller.py", import.meta.url).pathname, url],
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("polling\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the /healthz poller did not start: ${text}`);
    text += value;
  }
  return {
    stop: async () => {
      await child.stdin.close();
      while (true) {
        const { value, done } = await reader.read();
        if (done) break;
        text += value;
      }
      if (!(await child.status).success) throw new Error(`the /healthz poller failed: ${text}`);
      return JSON.parse(text.slice(text.indexOf("\n") + 1)) as number[];
    },
  };
}

if (import.meta.main) console.log((await benchHealthz()).join("\n"));
