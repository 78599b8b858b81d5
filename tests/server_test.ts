/** The real server, started as a user starts it, on a free port over real HTTP. */
import assert from "node:assert/strict";
import { startServer } from "./_server.ts";

const recItem = (i: number) => ({
  id: String(i),
  verifier: "iou",
  response: `<think>look left</think><answer>{"bbox_2d": [0, 0, ${50 + (i % 50)}, 100]}</answer>`,
  reference: { box: [0, 0, 100, 100] },
});

Deno.test("the server prints its effective config, then one listening line, and answers over HTTP", async () => {
  const server = await startServer();
  try {
    const lines = server.output().trim().split("\n");
    assert.match(lines[0], /^config \{.*"host":"127\.0\.0\.1"/);
    assert.match(lines[1], /^listening on http:\/\/127\.0\.0\.1:\d+$/);
    const health = await (await fetch(`${server.url}/healthz`)).json();
    assert.equal(health.status, "ok");

    const items = Array.from({ length: 4096 }, (_, i) => recItem(i));
    const res = await fetch(`${server.url}/v1/verify/batch`, {
      method: "POST",
      body: JSON.stringify({ items }),
    });
    const { results } = await res.json();
    assert.equal(results.length, 4096);
    results.forEach((r: { id: string; reward: number }, i: number) => {
      assert.equal(r.id, String(i));
      assert.ok(Math.abs(r.reward - (50 + (i % 50)) / 100) < 1e-9);
    });

    const stream = await fetch(`${server.url}/v1/verify/batch`, {
      method: "POST",
      headers: { accept: "application/x-ndjson" },
      body: JSON.stringify({ items: items.slice(0, 1000) }),
    });
    const lines2 = (await stream.text()).trim().split("\n");
    assert.equal(lines2.length, 1000);
  } finally {
    const status = await server.stop();
    assert.equal(status.code, 0);
  }
});

Deno.test("SIGTERM finishes in-flight requests before the server stops", async () => {
  const server = await startServer({}, ["--workers", "1"]);
  // A batch that takes a while (deep parses), then SIGTERM while it runs.
  const items = Array.from({ length: 3000 }, (_, i) => ({
    verifier: "math",
    response: `${"Let me think step by step. ".repeat(200)} so the answer is \\boxed{\\frac{${i}}{7}}`,
    reference: `\\frac{${2 * i}}{14}`,
  }));
  const inFlight = fetch(`${server.url}/v1/verify/batch`, {
    method: "POST",
    body: JSON.stringify({ items }),
  });
  await new Promise((r) => setTimeout(r, 30));
  const signalledAt = performance.now();
  const stopped = server.stop("SIGTERM");
  const res = await inFlight;
  assert.ok(performance.now() > signalledAt);
  assert.match(server.output(), /SIGTERM/, "the signal arrived while the request was in flight");
  assert.equal(res.status, 200);
  const { results } = await res.json();
  assert.equal(results.length, 3000);
  assert.ok(results.every((r: { reward: number }) => r.reward === 1));
  const status = await stopped;
  assert.equal(status.code, 0);
  assert.match(server.output(), /SIGTERM: finishing in-flight requests/);
  assert.match(server.output(), /stopped/);
});

Deno.test("ARBITER_API_KEYS, ARBITER_HOST and ARBITER_PORT configure the real server", async () => {
  const server = await startServer({ ARBITER_API_KEYS: "secret-1,secret-2", ARBITER_HOST: "127.0.0.1" });
  try {
    const denied = await fetch(`${server.url}/v1/verifiers`);
    assert.equal(denied.status, 401);
    await denied.body?.cancel();
    const allowed = await fetch(`${server.url}/v1/verifiers`, {
      headers: { authorization: "Bearer secret-2" },
    });
    assert.equal(allowed.status, 200);
    await allowed.body?.cancel();
    assert.match(server.output(), /"api_keys":\["\*\*\*","\*\*\*"\]/);
  } finally {
    await server.stop();
  }
});
