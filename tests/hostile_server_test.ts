/**
 * Hostile clients against the real server (`main.ts serve` in a subprocess): every case of issue
 * #12's failures 1–5 over HTTP, and more (deep nesting, towers, huge integers, bad UTF-8, NUL,
 * prototype keys, non-finite numbers, spec bombs, stream hang-ups). Each asserts its outcome class,
 * and at the end the server is healthy, its queue empty and its memory back near its baseline.
 */
import assert from "node:assert/strict";
import { startServer } from "./_server.ts";

function rssBytes(pid: number): number {
  const line = Deno.readTextFileSync(`/proc/${pid}/status`).split("\n").find((l) => l.startsWith("VmRSS:"))!;
  return Number(line.split(/\s+/)[1]) * 1024;
}

async function post(url: string, body: string | Uint8Array, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: body as BodyInit,
  });
  const text = await response.text();
  return { status: response.status, text, json: () => JSON.parse(text) };
}

async function metric(base: string, name: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith(`${name} `));
  return line ? Number(line.split(" ")[1]) : NaN;
}

async function healthyWithin(base: string, ms: number): Promise<void> {
  const started = performance.now();
  const response = await fetch(`${base}/healthz`);
  assert.equal(response.status, 200);
  assert.equal((await response.json()).status, "ok");
  assert.ok(performance.now() - started < ms, `healthz took ${performance.now() - started} ms`);
}

Deno.test("hostile clients cannot take the server down, leak its queue or keep its memory", async (t) => {
  const server = await startServer({ ARBITER_WORKERS: "2", ARBITER_MAX_QUEUE_ITEMS: "262144" });
  const base = server.url;
  const batchUrl = `${base}/v1/verify/batch`;
  try {
    await t.step(
      "/healthz keeps answering while a maximal batch (58 MB, 200,000 items) is admitted",
      async () => {
        const filler = "<think>" + "x".repeat(230) + "</think><answer>1</answer>";
        const body = `{"items": [${
          Array.from(
            { length: 200_000 },
            (_, i) => `{"id":"${i}","verifier":"format","response":"${filler}"}`,
          ).join(",")
        }], "fields": ["reward"]}`;
        const latencies: number[] = [];
        let done = false;
        const poll = (async () => {
          while (!done) {
            const started = performance.now();
            await healthyWithin(base, 5000);
            latencies.push(performance.now() - started);
            await new Promise((r) => setTimeout(r, 10));
          }
        })();
        const response = await post(batchUrl, body);
        done = true;
        await poll;
        assert.equal(response.status, 200);
        assert.equal(response.json().results.length, 200_000);
        latencies.sort((a, b) => a - b);
        const p99 = latencies[Math.floor(0.99 * (latencies.length - 1))];
        // The goal is p99 < 50 ms on an idle machine (deno task perf measures it); here, with other
        // work on the machine, the test proves the server never stalls for a whole parse.
        console.log(
          `healthz during a maximal batch: p50 ${latencies[latencies.length >> 1].toFixed(1)} ms, p99 ${
            p99.toFixed(1)
          } ms, max ${latencies.at(-1)!.toFixed(1)} ms over ${latencies.length} polls`,
        );
        const p90 = latencies[Math.floor(0.9 * (latencies.length - 1))];
        assert.ok(p90 < 250, `healthz p90 ${p90.toFixed(0)} ms`);
      },
    );

    // The baseline is the server idle after legitimate work of the same size (the maximal batch above, two 60,000-item
    // batches, JSON and NDJSON): V8 keeps the heap pages it grew for them, so a cold server's RSS
    // would measure V8's page retention, not what the hostile requests left behind. (With
    // --trace-gc the live heap after a full GC stays near 32 MB through 15 hang-ups of this size.)
    const legit = JSON.stringify({
      items: Array.from(
        { length: 60_000 },
        (_, i) => ({ verifier: "math", response: `\\boxed{${i}}`, reference: String(i) }),
      ),
    });
    await post(batchUrl, legit);
    await post(batchUrl, legit, { accept: "application/x-ndjson" });
    await new Promise((r) => setTimeout(r, 1000));
    const baseline = rssBytes(server.process.pid);

    await t.step(
      "a client that hangs up mid-stream does not kill the server, and frees the queue",
      async () => {
        for (let round = 0; round < 3; round++) {
          const items = Array.from({ length: 60_000 }, (_, i) => ({
            verifier: "math",
            response: `The answer is \\boxed{${i}}`,
            reference: String(i),
          }));
          const controller = new AbortController();
          const response = await fetch(batchUrl, {
            method: "POST",
            headers: { "content-type": "application/json", accept: "application/x-ndjson" },
            body: JSON.stringify({ items }),
            signal: controller.signal,
          });
          const reader = response.body!.getReader();
          await reader.read();
          controller.abort();
          await reader.cancel().catch(() => {});
        }
        await new Promise((r) => setTimeout(r, 500));
        await healthyWithin(base, 2000);
        assert.equal(await metric(base, "arbiter_pending_items"), 0);
      },
    );

    await t.step(
      "built-in names are unknown verifiers everywhere: 400 for one item, invalid_request in a batch",
      async () => {
        for (const name of ["constructor", "toString", "hasOwnProperty", "__proto__"]) {
          const one = await post(`${base}/v1/verify`, JSON.stringify({ verifier: name, response: "x" }));
          assert.equal(one.status, 400, one.text);
          assert.equal(one.json().error.code, "invalid_request");
          const batch = await post(
            batchUrl,
            JSON.stringify({ items: [{ verifier: name, response: "x" }, { spec: name, response: "x" }] }),
          );
          assert.equal(batch.status, 200, batch.text);
          for (const r of batch.json().results) assert.equal(r.error.code, "invalid_request");
        }
        // Nothing leaked: a full-size batch is still admitted.
        const after = await post(
          batchUrl,
          JSON.stringify({
            items: Array.from({ length: 1000 }, () => ({ verifier: "format", response: "x" })),
          }),
        );
        assert.equal(after.status, 200);
      },
    );

    await t.step(
      "non-finite numbers are caller errors; overflowing spec arithmetic is an internal no-verdict",
      async () => {
        const body = '{"items": [' +
          '{"verifier": "iou", "response": "[10, 20, 110, 220]", "reference": {"box": [-1e309, 20, 110, 220]}},' +
          '{"verifier": "length", "response": "abc", "options": {"max_chars": 1e309}},' +
          '{"spec": {"sum": [{"constant": 1e308}, {"constant": 1e308}]}, "response": "x"}]}';
        const { results } = (await post(batchUrl, body)).json();
        assert.equal(results[0].error.code, "invalid_request");
        assert.equal(results[1].error.code, "invalid_request");
        assert.equal(results[2].error.code, "internal");
        for (const r of results) assert.equal(r.reward, null);
        const budget = await post(batchUrl, '{"items": [], "budget_ms": 1e309}');
        assert.equal(budget.status, 400, budget.text);
      },
    );

    await t.step(
      "spec bombs are caller errors, answered without a stack overflow or a memory spike",
      async () => {
        const deep = '{"spec": ' + '{"sum": ['.repeat(5000) + '{"constant": 1}' + "]}".repeat(5000) +
          ', "response": "x"}';
        const leaves = { sum: Array.from({ length: 2000 }, () => ({ verifier: "format" })) };
        const wide = { max: Array.from({ length: 200_000 }, () => ({ constant: 1 })) };
        const big = { sum: Array.from({ length: 200 }, () => ({ verifier: "repetition" })) };
        const body = `{"items": [${deep}, ${JSON.stringify({ spec: leaves, response: "y" })}, ${
          JSON.stringify({ spec: wide, response: "z" })
        }, ${JSON.stringify({ spec: big, response: "w".repeat(1_000_000) })}]}`;
        const response = await post(batchUrl, body);
        assert.equal(response.status, 200, response.text.slice(0, 300));
        const messages = response.json().results.map((r: { error: { code: string; message: string } }) => {
          assert.equal(r.error.code, "invalid_request");
          return r.error.message;
        });
        assert.match(messages[0], /max_spec_depth/);
        assert.match(messages[1], /max_spec_leaves/);
        assert.match(messages[2], /max_spec_leaves/);
        assert.match(messages[3], /max_spec_leaf_bytes/);
      },
    );

    await t.step("a batch with more items than max_queue_items is 413, before any is scored", async () => {
      const items = `{"items": [${
        Array.from({ length: 262_145 }, () => '{"verifier":"format","response":""}').join(",")
      }]}`;
      const response = await post(batchUrl, items);
      assert.equal(response.status, 413, response.text.slice(0, 200));
      assert.equal(response.json().error.code, "invalid_request");
      assert.match(response.json().error.message, /max_queue_items/);
    });

    await t.step(
      "deep nesting, towers, huge integers, bad UTF-8 and NUL: verdicts or caller errors, never a crash",
      async () => {
        const deepReference = "[".repeat(100_000) + "]".repeat(100_000);
        const deepBody =
          `{"items": [{"verifier": "math", "response": "\\\\boxed{1}", "reference": ${deepReference}}]}`;
        const deep = await post(batchUrl, deepBody);
        assert.ok(
          deep.status === 400 || deep.json().results[0].error?.code === "invalid_request",
          deep.text.slice(0, 200),
        );
        const towers = [
          "\\boxed{" + "2^{".repeat(2000) + "2" + "}".repeat(2000) + "}",
          "\\boxed{" + "9".repeat(100_000) + "}",
          "\\boxed{" + "\\frac{".repeat(3000) + "1" + "}{2}".repeat(3000) + "}",
          "\\boxed{1}\u0000\\boxed{2}",
          "(".repeat(200_000),
        ];
        const { results } = (await post(
          batchUrl,
          JSON.stringify({
            items: towers.map((response) => ({ verifier: "math", response, reference: "1" })),
          }),
        )).json();
        for (const r of results) {
          assert.ok(r.error === null || r.error.code === "invalid_request", JSON.stringify(r).slice(0, 300));
          if (r.error === null) assert.equal(typeof r.reward, "number");
        }
        const badUtf8 = new Uint8Array([
          ...new TextEncoder().encode('{"items": [{"verifier": "format", "response": "'),
          0xff,
          0xfe,
          0xc3,
          ...new TextEncoder().encode('"}]}'),
        ]);
        const bad = await post(batchUrl, badUtf8);
        assert.ok(bad.status === 200 || bad.status === 400, bad.text);
        if (bad.status === 200) assert.equal(typeof bad.json().results[0].reward, "number");
        const proto = await post(
          batchUrl,
          '{"items": [{"verifier": "iou", "response": "[1,2,3,4]", "reference": {"__proto__": {"box": [1,2,3,4]}}}]}',
        );
        assert.equal(proto.json().results[0].error?.code, "invalid_request");
      },
    );

    await t.step(
      "afterwards the server is healthy, its queue empty and its memory near its baseline",
      async () => {
        await healthyWithin(base, 1000);
        assert.equal(await metric(base, "arbiter_pending_items"), 0);
        // Let V8 give back what the large bodies took.
        let rss = rssBytes(server.process.pid);
        for (let i = 0; i < 20 && rss > baseline * 1.5; i++) {
          await new Promise((r) => setTimeout(r, 500));
          await post(batchUrl, JSON.stringify({ items: [{ verifier: "format", response: "x" }] }));
          rss = rssBytes(server.process.pid);
        }
        assert.ok(rss <= baseline * 1.5, `RSS ${rss >> 20} MiB against a baseline of ${baseline >> 20} MiB`);
      },
    );
  } finally {
    await server.stop();
  }
});
