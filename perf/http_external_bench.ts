/**
 * Issue #16's HTTP goal, measured as a trainer calls it: a 4,096-item `iou` batch posted by a
 * separate Python process to the real server (`main.ts serve` in its own process), the body encoded
 * and the answer decoded by Python's standard library (full results, and compact ones with
 * `fields`), and by curl (no decoding). The baseline in the same run is the engine alone
 * (`engine.verifyBatch` in this process: validation, marshalling, the sandbox, no HTTP, no JSON).
 */
import { startServer } from "../tests/_server.ts";
import { createEngine, defaultEngineOptions, VERIFIERS } from "../verifiers/mod.ts";
import { recItems } from "./rec_items.ts";
import { median } from "./stats.ts";
import { cpuPer, describeCpu, threadCpu } from "./thread_cpu.ts";

const ITEMS = 4096;
const ROUNDS = 30;
const TARGET_MS = 40;
const script = new URL("./http_client_bench.py", import.meta.url).pathname;

async function python(
  url: string,
  itemsPath: string,
  fields?: string[],
): Promise<{ p50_ms: number; p90_ms: number }> {
  const args = [script, url, itemsPath, String(ROUNDS), ...(fields ? [JSON.stringify(fields)] : [])];
  const out = await new Deno.Command("/usr/bin/python3", { args, stdout: "piped", stderr: "piped" }).output();
  if (!out.success) throw new Error(`python client failed: ${new TextDecoder().decode(out.stderr)}`);
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

/** Posts the batch body in `bodyPath` with curl (its own process); answers the HTTP status. */
export async function curlPost(url: string, bodyPath: string): Promise<string> {
  const out = await new Deno.Command("curl", {
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
  if (!out.success) throw new Error("curl failed");
  return new TextDecoder().decode(out.stdout);
}

async function curl(url: string, bodyPath: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < ROUNDS + 3; i++) {
    const started = performance.now();
    const status = await curlPost(url, bodyPath);
    if (status !== "200") throw new Error(`curl got HTTP ${status}`);
    if (i >= 3) times.push(performance.now() - started);
  }
  return median(times);
}

/** The README's rows for the HTTP goal. */
export async function benchHttpExternal(): Promise<string[]> {
  const items = recItems(ITEMS);
  const dir = await Deno.makeTempDir({ prefix: "arbiter_http_bench_" });
  const itemsPath = `${dir}/items.json`;
  const bodyPath = `${dir}/body.json`;
  await Deno.writeTextFile(itemsPath, JSON.stringify(items));
  await Deno.writeTextFile(bodyPath, JSON.stringify({ items, fields: ["reward", "correct", "reason"] }));
  const engine = await createEngine(VERIFIERS);
  let engineMs: number;
  try {
    for (let i = 0; i < 3; i++) await engine.verifyBatch(items);
    const times: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const started = performance.now();
      await engine.verifyBatch(items);
      times.push(performance.now() - started);
    }
    engineMs = median(times);
  } finally {
    await engine.close();
  }
  const server = await startServer();
  try {
    const full = await python(server.url, itemsPath);
    // The compact run's requests (3 warm-ups + ROUNDS) are also the CPU split's.
    const cpuBefore = await threadCpu(server.process.pid);
    const compact = await python(server.url, itemsPath, ["reward", "correct", "reason"]);
    const cpuSplit = cpuPer(cpuBefore, await threadCpu(server.process.pid), ROUNDS + 3);
    const curlMs = await curl(server.url, bodyPath);
    // The same compact batch against a server without preparation threads (everything on its main thread).
    const single = await startServer({ ARBITER_PREP_THREADS: "0" });
    let noThreads;
    try {
      noThreads = await python(single.url, itemsPath, ["reward", "correct", "reason"]);
    } finally {
      await single.stop();
    }
    const threads = defaultEngineOptions.prepThreads;
    const verdict = (
      ms: number,
    ) => (ms < TARGET_MS ? `meets the ${TARGET_MS} ms goal` : `misses the ${TARGET_MS} ms goal`);
    const row = (what: string, ms: number, detail: string) =>
      `| ${what} | p50 ${ms.toFixed(1)} ms (${(ms / engineMs).toFixed(2)}× the engine alone; ${
        verdict(ms)
      }) | ${detail} |`;
    return [
      row(
        `HTTP, ${
          ITEMS.toLocaleString("en-US")
        } \`iou\` items from a separate Python process (stdlib http.client + json), full results`,
        full.p50_ms,
        `p90 ${
          full.p90_ms.toFixed(1)
        } ms; encoding and decoding included; \`python3 perf/http_client_bench.py URL items.json ${ROUNDS}\``,
      ),
      row(
        `HTTP, the same from Python with \`fields: ["reward", "correct", "reason"]\``,
        compact.p50_ms,
        `p90 ${compact.p90_ms.toFixed(1)} ms; \`… ${ROUNDS} '["reward","correct","reason"]'\``,
      ),
      `| CPU time per compact request, by thread (Linux /proc; the server and its sandbox processes, not the client) | ${
        cpuSplit.reduce((sum, [, ms]) => sum + ms, 0).toFixed(1)
      } ms | ${
        describeCpu(cpuSplit)
      }; on ${navigator.hardwareConcurrency} cores the p50 cannot go below total / cores |`,
      `| HTTP, the same compact batch from Python, server with \`prep_threads: 0\` (the default here is ${threads}) | p50 ${
        noThreads.p50_ms.toFixed(1)
      } ms | p90 ${noThreads.p90_ms.toFixed(1)} ms; the default's p50 above: ${
        compact.p50_ms.toFixed(1)
      } ms |`,
      row(
        `HTTP, the same compact batch with curl (no decoding)`,
        curlMs,
        "`curl --data-binary @body.json`, process start included",
      ),
      `| baseline: the engine alone on the same ${ITEMS.toLocaleString("en-US")} items, in-process | p50 ${
        engineMs.toFixed(1)
      } ms | validation, marshalling, sandbox; no HTTP, no JSON |`,
    ];
  } finally {
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) console.log((await benchHttpExternal()).join("\n"));
