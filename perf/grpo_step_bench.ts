/**
 * Issue #16's GRPO goal: the reward overhead of one GRPO step, 512 prompts × 8 samples = 4,096 math
 * rollouts of about 3 kB, end to end through (a) the Python client over HTTP as the trainer adapters
 * call it (compact `fields`), with the standard library's JSON and (a′) with orjson from the shared
 * venv, (b) the TypeScript client, and (c) the server-side share alone (`engine.verifyBatch` on the
 * same items) as the baseline. The server runs in this process (createApp + createEngine behind
 * Deno.serve, so the handler's time can be split out); the Python clients run in their own process.
 */
import { ArbiterClient } from "../clients/ts/mod.ts";
import { createApp } from "../routes/mod.ts";
import { createEngine, type Engine, VERIFIERS } from "../verifiers/mod.ts";
import { mathItems } from "./math_items.ts";
import { median, perSecond, quantile } from "./stats.ts";

const PROMPTS = 512;
const SAMPLES = 8;
const ITEMS = PROMPTS * SAMPLES;
const STEPS = 10;
const WARMUP = 2;
const TARGET_MS = 100;

/** The shared venv's python with orjson (installed from the configured package index), or null. */
async function orjsonPython(): Promise<string | null> {
  const out = await new Deno.Command("sh", {
    args: [`${repo}scripts/python_venv.sh`, "orjson"],
    stdout: "piped",
    stderr: "null",
  })
    .output();
  if (!out.success) return null;
  return new TextDecoder().decode(out.stdout).trim().split("\n").at(-1) ?? null;
}
const repo = new URL("..", import.meta.url).pathname;

/**
 * The Python side: loads the items (a trainer already has them in memory), then times
 * `verify_batch` per step, and separately the client's own JSON encoding and result decoding.
 */
const PYTHON_SCRIPT = String.raw`
import json, sys, time
from arbiter_client import ArbiterClient
from arbiter_client._batching import BatchPlan, read_results

url, items_path, steps, warmup = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
from arbiter_client._batching import json_codec
FIELDS = ["reward", "correct", "reason"]
with open(items_path, encoding="utf-8") as f:
    items = json.load(f)
client = ArbiterClient(url)
limit = client.max_body_bytes()
for _ in range(warmup):
    client.verify_batch(items, fields=FIELDS)
step_ms, encode_ms, decode_ms, correct = [], [], [], 0
for _ in range(steps):
    started = time.perf_counter()
    results = client.verify_batch(items, fields=FIELDS)
    step_ms.append((time.perf_counter() - started) * 1000)
    correct = sum(1 for r in results if r["correct"])
for _ in range(steps):
    started = time.perf_counter()
    plan = BatchPlan(items, limit, fields=FIELDS)
    bodies = [plan.body(chunk) for chunk in plan.chunks]
    encode_ms.append((time.perf_counter() - started) * 1000)
answer = client.request("POST", "/v1/verify/batch", bodies[0]).body
for _ in range(steps):
    started = time.perf_counter()
    read_results(answer, len(items))
    decode_ms.append((time.perf_counter() - started) * 1000)
print(json.dumps({"codec": json_codec(), "step_ms": step_ms, "encode_ms": encode_ms, "decode_ms": decode_ms,
                  "correct": correct, "requests": len(plan.chunks), "body_bytes": sum(map(len, bodies))}))
`;

interface PythonTimings {
  codec: string;
  step_ms: number[];
  encode_ms: number[];
  decode_ms: number[];
  correct: number;
  requests: number;
  body_bytes: number;
}

/** Runs the Python client against `url`; returns its timings. */
async function runPythonClient(
  url: string,
  itemsPath: string,
  python = "/usr/bin/python3",
): Promise<PythonTimings> {
  const output = await new Deno.Command(python, {
    args: ["-c", PYTHON_SCRIPT, url, itemsPath, String(STEPS), String(WARMUP)],
    env: { PYTHONPATH: `${repo}clients/python`, PYTHONDONTWRITEBYTECODE: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!output.success) {
    throw new Error(`The Python client failed:\n${new TextDecoder().decode(output.stderr)}`);
  }
  return JSON.parse(new TextDecoder().decode(output.stdout));
}

/** Times `step()` STEPS times after WARMUP untimed runs. */
async function timeSteps(step: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < WARMUP; i++) await step();
  const times: number[] = [];
  for (let i = 0; i < STEPS; i++) {
    const started = performance.now();
    await step();
    times.push(performance.now() - started);
  }
  return times;
}

/** Formats milliseconds with one decimal. */
const ms = (value: number) => `${value.toFixed(1)} ms`;

/** "p50 X ms, p99 Y ms" (with 10 steps, p99 is the slowest step). */
const p50p99 = (times: number[]) => `p50 ${ms(median(times))}, p99 ${ms(quantile(times, 0.99))}`;

/** An HTTP server over `engine` on a free port; `handlerMs` collects the time of each batch request. */
function serveEngine(engine: Engine): { url: string; handlerMs: number[]; server: Deno.HttpServer } {
  const app = createApp(engine, { maxBodyBytes: 64 * 1024 * 1024, apiKeys: [] });
  const handlerMs: number[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (request) => {
    const started = performance.now();
    const response = await app.fetch(request);
    if (new URL(request.url).pathname === "/v1/verify/batch") handlerMs.push(performance.now() - started);
    return response;
  });
  return { url: `http://127.0.0.1:${server.addr.port}`, handlerMs, server };
}

/** Runs the three measurements and returns the README's table rows. */
export async function benchGrpoStep(): Promise<string[]> {
  const items = mathItems(ITEMS);
  const bytes = items.reduce((sum, item) => sum + item.response.length, 0);
  const what = `${PROMPTS} prompts × ${SAMPLES} samples = ${ITEMS.toLocaleString("en-US")} math rollouts (${
    (bytes / ITEMS / 1000).toFixed(1)
  } kB each, ${(bytes / 1e6).toFixed(1)} MB)`;
  const engine = await createEngine(VERIFIERS);
  const { url, handlerMs, server } = serveEngine(engine);
  const dir = await Deno.makeTempDir({ prefix: "arbiter_grpo_bench_" });
  try {
    // (c) The server-side share: the engine alone, no HTTP, no JSON.
    let correct = 0;
    const engineMs = await timeSteps(async () => {
      correct = (await engine.verifyBatch(items)).filter((r) => r.correct).length;
    });
    // (a) The Python client over HTTP.
    const itemsPath = `${dir}/items.json`;
    await Deno.writeTextFile(itemsPath, JSON.stringify(items));
    handlerMs.length = 0;
    const python = await runPythonClient(url, itemsPath);
    const pythonHandlerMs = handlerMs.slice(WARMUP, WARMUP + STEPS);
    const venvPython = await orjsonPython();
    handlerMs.length = 0;
    const fast = venvPython ? await runPythonClient(url, itemsPath, venvPython) : null;
    const fastHandlerMs = handlerMs.slice(WARMUP, WARMUP + STEPS);
    // (b) The TypeScript client over HTTP (in this process, so its encoding shares the server's thread).
    const client = new ArbiterClient({ urls: url });
    handlerMs.length = 0;
    const tsMs = await timeSteps(() => client.verifyBatch(items));
    const tsHandlerMs = handlerMs.slice(WARMUP);
    const encoder = new TextEncoder();
    const tsEncodeMs = await timeSteps(() =>
      Promise.resolve(items.map((item) => encoder.encode(JSON.stringify(item))))
    );

    const body = new TextDecoder().decode(new TextEncoder().encode(JSON.stringify({ items })));
    const parseMs = await timeSteps(() => Promise.resolve(JSON.parse(body)));

    const verify = median(engineMs);
    const verdict = (step: number) =>
      step < TARGET_MS ? `under the ${TARGET_MS} ms target` : `over the ${TARGET_MS} ms target`;
    return [
      ...[python, fast].filter((p): p is PythonTimings => p !== null).map((p, i) => {
        const step = median(p.step_ms);
        const encode = median(p.encode_ms);
        const decode = median(p.decode_ms);
        const server = median(i === 0 ? pythonHandlerMs : fastHandlerMs);
        return `| GRPO step reward overhead, (a${
          i === 0 ? "" : "′"
        }) Python client over HTTP (${p.codec} codec, \`fields: reward, correct, reason\`): ${what}, one \`verify_batch\` call (${p.requests} request, ${
          (p.body_bytes / 1e6).toFixed(1)
        } MB body) | ${p50p99(p.step_ms)} per step (${verdict(step)}; ${
          (step / verify).toFixed(2)
        }× the engine alone) | split of the p50: Python JSON encoding ${ms(encode)}, server handler ${
          ms(server)
        } (body read + split + parse + validation + verification + result JSON; verification alone ${
          ms(verify)
        }), Python result decoding ${ms(decode)}, the rest (socket transfer, client overhead) ${
          ms(Math.max(0, step - encode - server - decode))
        }; ${p.correct} judged correct; ${STEPS} steps after ${WARMUP} warm-ups |`;
      }),
      `| GRPO step reward overhead, (b) TypeScript client over HTTP: the same items, one \`verifyBatch\` call | ${
        p50p99(tsMs)
      } per step (${verdict(median(tsMs))}) | client JSON encoding ${
        ms(median(tsEncodeMs))
      }, server handler ${ms(median(tsHandlerMs))}; client and server in one Deno process |`,
      `| GRPO step reward overhead, (c) server-side share: \`engine.verifyBatch\` alone on the same items (${engine.options.workers} processes) | ${
        p50p99(engineMs)
      } per step, ${
        perSecond(ITEMS, verify)
      } items/s | no HTTP, no JSON (the server's \`JSON.parse\` of the request body alone: ${
        ms(median(parseMs))
      }); ${correct} judged correct |`,
      `| Math-Verify (cited, measured on this machine class; cannot be installed here) | about 55 items/s per core: about 75 s per such step on one core | not run here; no Python baseline is invented |`,
    ];
  } finally {
    await server.shutdown();
    await engine.close();
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) console.log((await benchGrpoStep()).join("\n"));
