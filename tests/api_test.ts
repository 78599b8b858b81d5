/** The HTTP API driven in-process with `app.request()`, over the real engine and sandbox. */
import assert from "node:assert/strict";
import { postJson, withApp } from "./_app.ts";
import { probeVerifier } from "./_probe.ts";
import { createApp } from "../routes/mod.ts";
import { createEngine, VERIFIERS } from "../verifiers/mod.ts";

const recItem = (response: string, id?: string) => ({
  ...(id === undefined ? {} : { id }),
  verifier: "iou",
  response,
  reference: { box: [10, 10, 110, 110] },
});

Deno.test("HTTP API", async (t) => {
  await withApp({}, async (app) => {
    await t.step("GET /healthz reports the version, the body limit and every verifier", async () => {
      const res = await app.request("/healthz");
      assert.equal(res.status, 200);
      const body = await res.json();
      // "ok": every verifier the server runs itself is available (a remote judge only reports its reason).
      assert.equal(body.status, "ok");
      assert.equal(body.max_body_bytes, 64 * 1024 * 1024);
      assert.deepEqual(Object.keys(body.verifiers).sort(), Object.keys(VERIFIERS).sort());
      for (const name of ["chart_code", "format", "gui_action", "iou", "length", "math", "repetition"]) {
        assert.equal(body.verifiers[name], "ok", name);
      }
    });

    await t.step("GET /v1/verifiers publishes schemas and examples with expected results", async () => {
      const body = await (await app.request("/v1/verifiers")).json();
      for (const v of body.verifiers) {
        assert.equal(typeof v.version, "string");
        assert.equal(typeof v.schemas.reference, "object");
        assert.equal(v.schemas.options.type, "object");
        // Examples carry expected results, so every verifier that can run here has some.
        if (v.available) assert.ok(v.examples.length > 0, `${v.name} has examples`);
      }
    });

    await t.step("POST /v1/verify scores one item and echoes its id", async () => {
      const res = await postJson(app, "/v1/verify", recItem("<answer>[10, 10, 110, 110]</answer>", "a-1"));
      assert.equal(res.status, 200);
      const result = await res.json();
      assert.equal(result.id, "a-1");
      assert.equal(result.verifier, "iou");
      assert.equal(result.reward, 1);
      assert.equal(result.correct, true);
      assert.equal(result.error, null);
      assert.equal(result.details.reason, null);
      assert.equal(typeof result.ms, "number");
    });

    await t.step("a result without an id has no id field", async () => {
      const result = await (await postJson(app, "/v1/verify", recItem("no box here"))).json();
      assert.equal("id" in result, false);
      assert.equal(result.reward, 0);
      assert.equal(result.details.reason, "bad_format");
      assert.equal(result.details.problem, "no_box");
    });

    await t.step("malformed JSON is a 400 with one error shape", async () => {
      const res = await postJson(app, "/v1/verify", "{bad json");
      assert.equal(res.status, 400);
      const body = await res.json();
      assert.equal(body.error.code, "invalid_request");
      assert.match(body.error.message, /Malformed JSON/);
    });

    await t.step(
      "an unknown verifier or a reference failing its schema is a 400 naming the path",
      async () => {
        let body = await (await postJson(app, "/v1/verify", { verifier: "nope", response: "" })).json();
        assert.equal(body.error.code, "invalid_request");
        assert.match(body.error.message, /Unknown verifier "nope"/);
        const res = await postJson(app, "/v1/verify", {
          verifier: "iou",
          response: "",
          reference: { box: [1, 2] },
        });
        assert.equal(res.status, 400);
        body = await res.json();
        assert.match(body.error.message, /^reference\/box/);
        const typo = await postJson(app, "/v1/verify", { ...recItem(""), options: { treshold: 0.3 } });
        assert.match((await typo.json()).error.message, /unknown property "treshold"/);
      },
    );

    await t.step(
      "inside a batch a bad item gets invalid_request and the others are scored, in order",
      async () => {
        const items = [
          recItem("[10,10,110,110]", "0"),
          { verifier: "nope", response: "", id: "1" },
          42,
          recItem("[0,0,5,5]", "3"),
        ];
        const res = await postJson(app, "/v1/verify/batch", { items });
        assert.equal(res.status, 200);
        const { results } = await res.json();
        assert.equal(results.length, 4);
        assert.equal(results[0].reward, 1);
        assert.equal(results[1].error.code, "invalid_request");
        assert.equal(results[1].id, "1");
        assert.equal(results[1].reward, null);
        assert.equal(results[2].error.code, "invalid_request");
        assert.equal(results[3].id, "3");
        assert.equal(results[3].reward, 0);
      },
    );

    await t.step("a batch body without items, or with a bad budget_ms, is a 400", async () => {
      assert.equal((await postJson(app, "/v1/verify/batch", { item: [] })).status, 400);
      assert.equal((await postJson(app, "/v1/verify/batch", { items: [], budget_ms: -1 })).status, 400);
      assert.equal((await postJson(app, "/v1/verify/batch", [])).status, 400);
    });

    await t.step("4,096 grounding answers come back in order, each with an explanation", async () => {
      const items = Array.from(
        { length: 4096 },
        (_, i) => recItem(`<answer>[10, 10, ${20 + (i % 90)}, 110]</answer>`, String(i)),
      );
      const { results } = await (await postJson(app, "/v1/verify/batch", { items })).json();
      assert.equal(results.length, 4096);
      results.forEach((r: { id: string; reward: number; details: { iou: number } }, i: number) => {
        assert.equal(r.id, String(i));
        const expected = (10 + (i % 90)) / 100;
        assert.ok(Math.abs(r.reward - expected) < 1e-9, `item ${i}: ${r.reward} vs ${expected}`);
        assert.equal(r.details.iou, r.reward);
      });
    });

    await t.step("NDJSON streams every result once, in completion order, each with its index", async () => {
      const items = Array.from(
        { length: 300 },
        (_, i) => i === 7 ? { verifier: "x", response: "" } : recItem("[10,10,110,110]"),
      );
      const res = await postJson(app, "/v1/verify/batch", { items }, { accept: "application/x-ndjson" });
      assert.equal(res.headers.get("content-type"), "application/x-ndjson");
      const lines = (await res.text()).trim().split("\n").map((l) => JSON.parse(l));
      assert.equal(lines.length, 300);
      assert.deepEqual(
        lines.map((l) => l.index).sort((a, b) => a - b),
        Array.from({ length: 300 }, (_, i) => i),
      );
      assert.equal(lines.find((l) => l.index === 7).error.code, "invalid_request");
      assert.ok(lines.filter((l) => l.index !== 7).every((l) => l.reward === 1));
    });

    await t.step("a 50 MB response is a 413 on /v1/verify and an invalid item inside a batch", async () => {
      const huge = "[".repeat(50 * 1024 * 1024);
      const res = await postJson(app, "/v1/verify", recItem(huge));
      assert.equal(res.status, 413);
      assert.match((await res.json()).error.message, /max_response_chars/);
      const { results } = await (await postJson(app, "/v1/verify/batch", {
        items: [recItem(huge), recItem("[10,10,110,110]")],
      }))
        .json();
      assert.equal(results[0].error.code, "invalid_request");
      assert.equal(results[1].reward, 1);
    });

    await t.step("100,000 nested brackets and random bytes get verdicts, not traps", async () => {
      const random = Array.from({ length: 5000 }, (_, i) => String.fromCharCode((i * 7919) % 0xd7ff)).join(
        "",
      );
      const items = [
        recItem("[".repeat(100_000)),
        recItem("{".repeat(100_000)),
        recItem(random),
        recItem("\u0000\uffff"),
      ];
      const { results } = await (await postJson(app, "/v1/verify/batch", { items })).json();
      for (const r of results) {
        assert.equal(r.error, null);
        assert.equal(r.reward, 0);
        assert.ok(
          ["no_answer", "too_complex", "bad_format", "parse_error"].includes(r.details.reason),
          r.details.reason,
        );
      }
    });

    await t.step("GET /openapi.json documents every route and each verifier's item schema", async () => {
      const doc = await (await app.request("/openapi.json")).json();
      assert.equal(doc.openapi, "3.1.0");
      for (const path of ["/healthz", "/v1/verifiers", "/v1/verify", "/v1/verify/batch", "/metrics"]) {
        assert.ok(doc.paths[path], path);
      }
      const variants = doc.components.schemas.Item.oneOf.map((v: { title: string }) => v.title).sort();
      assert.deepEqual(variants, [...Object.keys(VERIFIERS), "routed", "spec"].sort());
      assert.ok(doc.paths["/v1/compat/openrlhf"]);
      assert.ok(doc.components.schemas.Spec.oneOf.length >= 6);
    });

    await t.step("GET /metrics counts items by verifier and outcome", async () => {
      const text = await (await app.request("/metrics")).text();
      assert.match(text, /arbiter_items_total\{verifier="iou",outcome="correct"\} \d+/);
      assert.match(text, /arbiter_items_total\{verifier="unknown",outcome="invalid_request"\} \d+/);
      assert.match(text, /arbiter_item_seconds_bucket\{verifier="iou",le="\+Inf"\} \d+/);
      assert.match(text, /arbiter_pool_workers 2/);
      assert.match(text, /arbiter_respawns_total 0/);
      assert.match(text, /arbiter_http_requests_total\{route="POST \/v1\/verify",status="200"\} \d+/);
      // The sandbox's memory facts and the preparation threads' counters, whatever this machine allows.
      assert.match(text, /arbiter_sandbox_oom_kills_total 0/);
      assert.match(text, /arbiter_sandbox_memory_cgroup_bytes \d+/);
      assert.match(
        text,
        /arbiter_sandbox_memory_cgroup_info\{status="(cgroup v[12] |unavailable: |off )[^"]*"\} 1/,
      );
      assert.match(text, /arbiter_prep_threads \d+/);
      assert.match(text, /arbiter_prep_slices_total \d+/);
      assert.match(text, /arbiter_prep_fallbacks_total 0/);
    });

    await t.step("an unknown route is a 404 in the same error shape", async () => {
      const res = await app.request("/v2/nothing");
      assert.equal(res.status, 404);
      assert.equal((await res.json()).error.code, "invalid_request");
    });
  });
});

Deno.test("a body larger than max_body_bytes is a clear 413", async () => {
  await withApp({ maxBodyBytes: 1024, workers: 1 }, async (app) => {
    const res = await postJson(app, "/v1/verify/batch", { items: [recItem("x".repeat(2000))] });
    assert.equal(res.status, 413);
    const body = await res.json();
    assert.equal(body.error.code, "invalid_request");
    assert.match(body.error.message, /max_body_bytes \(1024 bytes\)/);
  });
});

Deno.test("with ARBITER_API_KEYS set, requests need a Bearer key; /healthz stays open", async () => {
  await withApp({ apiKeys: ["k1", "k2"], workers: 1 }, async (app) => {
    const item = recItem("[10,10,110,110]");
    let res = await postJson(app, "/v1/verify", item);
    assert.equal(res.status, 401);
    assert.equal((await res.json()).error.code, "unauthorized");
    assert.match(res.headers.get("www-authenticate") ?? "", /Bearer/);
    res = await postJson(app, "/v1/verify", item, { authorization: "Bearer wrong" });
    assert.equal(res.status, 401);
    await res.body?.cancel();
    res = await postJson(app, "/v1/verify", item, { authorization: "Bearer k2" });
    assert.equal(res.status, 200);
    assert.equal((await res.json()).reward, 1);
    assert.equal((await app.request("/metrics")).status, 401);
    res = await app.request("/healthz");
    assert.equal(res.status, 200);
    await res.body?.cancel();
  });
});

Deno.test("a full queue answers 429 with Retry-After; a batch that can never fit answers 413", async () => {
  await withApp({ maxQueueItems: 2500, workers: 1 }, async (app, engine) => {
    const tooLarge = await postJson(app, "/v1/verify/batch", {
      items: Array.from({ length: 2501 }, () => recItem("[10,10,110,110]")),
    });
    assert.equal(tooLarge.status, 413);
    assert.match((await tooLarge.json()).error.message, /max_queue_items \(2500\)/);
    // The first batch keeps the single process busy (a deep parse per item), so the second finds the queue full.
    const slow = Array.from({ length: 2000 }, () => recItem("[".repeat(5000) + "[10,10,110,110]"));
    const first = postJson(app, "/v1/verify/batch", { items: slow });
    while (engine.stats().pendingItems < 1900) await new Promise((r) => setTimeout(r, 1));
    const fits = Array.from({ length: 501 }, () => recItem("[10,10,110,110]"));
    const res = await postJson(app, "/v1/verify/batch", { items: fits });
    assert.equal(res.status, 429);
    assert.ok(Number(res.headers.get("retry-after")) >= 1);
    assert.equal((await res.json()).error.code, "overloaded");
    assert.equal((await first).status, 200);
    await (await first).body?.cancel();
  });
});

Deno.test("every route answers the engine's errors alike: 429 and 503 on /v1/compat/openrlhf too", async () => {
  // The probe kernel (wasm/test/probe.wasm): "loop" spins until its timeout, "ok" scores 1. A second
  // verifier over a kernel file that does not exist is unavailable.
  const engine = await createEngine(
    { probe: probeVerifier, absent: { ...probeVerifier, name: "absent" } },
    { wasmDir: new URL("../wasm/test/", import.meta.url), workers: 1, maxQueueItems: 1 },
  );
  try {
    const app = createApp(engine, { maxBodyBytes: 1 << 20, apiKeys: [] });
    const openrlhf = (verifier: string) =>
      postJson(app, `/v1/compat/openrlhf?verifier=${verifier}`, {
        query: ["p:ok"],
        prompts: ["p:"],
        labels: [""],
      });
    const busy = engine.verifyBatch([{ verifier: "probe", response: "loop", options: { timeout_ms: 1500 } }]);
    for (
      const [path, body] of [
        ["/v1/compat/openrlhf?verifier=probe", { query: ["p:ok"], prompts: ["p:"], labels: [""] }],
        ["/v1/verify/batch", { items: [{ verifier: "probe", response: "ok" }] }],
        ["/v1/verify", { verifier: "probe", response: "ok" }],
      ] as const
    ) {
      const res = await postJson(app, path, body);
      assert.equal(res.status, 429, `${path} with a full queue`);
      assert.ok(Number(res.headers.get("retry-after")) >= 1, `${path} sends Retry-After`);
      assert.equal((await res.json()).error.code, "overloaded");
    }
    const [looped] = await busy;
    assert.equal(looped.details?.reason, "too_complex", "the loop ends at its timeout");

    for (
      const res of [
        await openrlhf("absent"),
        await postJson(app, "/v1/verify/batch", { items: [{ verifier: "absent", response: "ok" }] }),
      ]
    ) {
      assert.equal(res.status, 503);
      assert.equal((await res.json()).error.code, "sandbox_unavailable");
    }
    const ok = await openrlhf("probe");
    assert.equal(ok.status, 200);
    assert.deepEqual((await ok.json()).rewards, [1]);
  } finally {
    await engine.close();
  }
});
