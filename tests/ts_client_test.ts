/**
 * The TypeScript client (`clients/ts`) against real servers started by the test (`main.ts serve`)
 * and tiny local stubs (429s, 5xx, slow answers, dead URLs), plus its generated types.
 */
import assert from "node:assert/strict";
import { startServer } from "./_server.ts";
import {
  ArbiterAuthError,
  ArbiterCallerError,
  ArbiterClient,
  ArbiterHTTPError,
  type ArbiterItem,
  ArbiterUnavailableError,
  type MathItem,
  type SpecItem,
  substituteRewards,
  type VerifyResult,
} from "../clients/ts/mod.ts";
import { parseRetryAfter } from "../clients/ts/_exchange.ts";
import { formatTypeScript, renderTypes, TYPES_PATH } from "../clients/ts/generate_types.ts";

const API_KEY = "ts-client-key";
const SMALL_BODY_BYTES = 4096;
const quiet = () => {};

/** Awaits `call`, which must reject with an instance of `Kind`; returns that error. */
async function rejection<E extends Error>(
  call: () => Promise<unknown>,
  Kind: abstract new (...args: never[]) => E,
): Promise<E> {
  try {
    await call();
  } catch (error) {
    assert.ok(error instanceof Kind, `expected ${Kind.name}, got ${error}`);
    return error;
  }
  throw new assert.AssertionError({ message: `expected ${Kind.name}, nothing was thrown` });
}

/** A math item whose answer is right when `answer === i`, padded to about `pad` characters. */
function mathItem(i: number, answer = i, pad = 0): MathItem {
  const reasoning = "We add the numbers carefully. ".repeat(Math.ceil(pad / 30));
  return {
    id: `item-${i}`,
    verifier: "math",
    response: `${reasoning}so \\boxed{${answer}}`,
    reference: String(i),
  };
}

/** A `fetch` that records every request (URL path and body size) before sending it. */
function recordingFetch(): {
  fetch: typeof fetch;
  calls: { path: string; bytes: number; auth: string | null }[];
} {
  const calls: { path: string; bytes: number; auth: string | null }[] = [];
  return {
    calls,
    fetch: (input, init) => {
      const body = init?.body;
      const bytes = body instanceof Uint8Array ? body.length : typeof body === "string" ? body.length : 0;
      const auth = new Headers(init?.headers).get("authorization");
      calls.push({ path: new URL(String(input)).pathname, bytes, auth });
      return fetch(input, init);
    },
  };
}

/**
 * A local stub server: `handle(request, n, proxy)` answers the n-th request (0-based); `proxy()`
 * forwards it to `upstream`. `seen` lists the paths of the requests it got.
 */
async function withStub(
  upstream: string,
  handle: (request: Request, n: number, proxy: () => Promise<Response>) => Response | Promise<Response>,
  body: (url: string, seen: string[]) => Promise<void>,
): Promise<void> {
  const seen: string[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (request) => {
    const url = new URL(request.url);
    seen.push(url.pathname);
    const proxy = async () => {
      const answer = await fetch(upstream + url.pathname, {
        method: request.method,
        headers: request.headers,
        body: request.method === "POST" ? await request.arrayBuffer() : undefined,
      });
      return new Response(await answer.arrayBuffer(), { status: answer.status, headers: answer.headers });
    };
    return handle(request, seen.length - 1, proxy);
  });
  try {
    await body(`http://127.0.0.1:${server.addr.port}`, seen);
  } finally {
    await server.shutdown();
  }
}

/** A URL where nothing listens (connections are refused). */
function deadUrl(): string {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return `http://127.0.0.1:${port}`;
}

/** Resolves after `ms`, or at once when `signal` aborts (so stubs never hold the server open). */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

const json = (status: number, value: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(value), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });

Deno.test("TS client against a server with a 4 KiB body limit and API keys", async (t) => {
  const server = await startServer({
    ARBITER_MAX_BODY_BYTES: String(SMALL_BODY_BYTES),
    ARBITER_API_KEYS: API_KEY,
  }, ["--workers", "1"]);
  try {
    await t.step("verifyBatch() splits by bytes under max_body_bytes and reassembles in order", async () => {
      const { fetch, calls } = recordingFetch();
      const client = new ArbiterClient({ urls: server.url, apiKey: API_KEY, fetch });
      assert.deepEqual(await client.maxBodyBytes(), SMALL_BODY_BYTES);
      const items = Array.from({ length: 120 }, (_, i) => mathItem(i, i % 2 ? i : -1, 150));
      const results = await client.verifyBatch(items, { budgetMs: 20_000 });
      const batches = calls.filter((c) => c.path === "/v1/verify/batch");
      assert.ok(batches.length > 4);
      assert.ok(batches.every((c) => c.bytes <= SMALL_BODY_BYTES), JSON.stringify(batches));
      assert.deepEqual(results.map((r) => r.id), items.map((item) => item.id));
      assert.deepEqual(results.map((r) => r.reward), items.map((_, i) => i % 2));
      assert.deepEqual(calls.filter((c) => c.path === "/healthz").length, 1, "max_body_bytes is read once");
    });

    await t.step(
      "verifyBatch({ fields }) asks for compact results, still split under max_body_bytes",
      async () => {
        const { fetch, calls } = recordingFetch();
        const client = new ArbiterClient({ urls: server.url, apiKey: API_KEY, fetch });
        const items = Array.from({ length: 60 }, (_, i) => mathItem(i, i % 2 ? i : -1, 150));
        const results = await client.verifyBatch(items, { budgetMs: 20_000, fields: ["reward", "reason"] });
        const batches = calls.filter((c) => c.path === "/v1/verify/batch");
        assert.ok(
          batches.length > 2 && batches.every((c) => c.bytes <= SMALL_BODY_BYTES),
          JSON.stringify(batches),
        );
        assert.deepEqual(results.map((r) => r.reward), items.map((_, i) => i % 2));
        assert.deepEqual(results.map((r) => r.id), items.map((item) => item.id));
        assert.ok(results.every((r) => !Object.hasOwn(r, "details") && Object.hasOwn(r, "error")));
      },
    );

    await t.step("an item too large for any request, or not JSON, gets a local invalid_request", async () => {
      const client = new ArbiterClient({ urls: server.url, apiKey: API_KEY });
      const items = [
        mathItem(0),
        mathItem(1, 1, SMALL_BODY_BYTES),
        mathItem(2),
        { verifier: "math", response: "x", reference: "1", options: { tolerance: NaN } } as MathItem,
      ];
      const results = await client.verifyBatch(items);
      assert.deepEqual([results[0].reward, results[2].reward], [1, 1]);
      assert.deepEqual(results[1].error?.code, "invalid_request");
      assert.ok(results[1].error?.message.includes("max_body_bytes"));
      assert.deepEqual(results[1].id, "item-1");
      assert.deepEqual(results[3].error?.code, "invalid_request");
      assert.ok(results[3].error?.message.includes("NaN"), results[3].error?.message);
    });

    await t.step("a request the server refuses with 413 is halved", async () => {
      // The stub advertises a larger limit than the server behind it has.
      await withStub(server.url, async (request, _n, proxy) => {
        if (new URL(request.url).pathname !== "/healthz") return proxy();
        return json(200, { ...(await (await proxy()).json()), max_body_bytes: 1_000_000 });
      }, async (url, seen) => {
        const logs: string[] = [];
        const client = new ArbiterClient({ urls: url, apiKey: API_KEY, log: (_l, m) => logs.push(m) });
        const items = Array.from({ length: 80 }, (_, i) => mathItem(i, i, 100));
        const results = await client.verifyBatch(items);
        assert.deepEqual(results.map((r) => r.id), items.map((item) => item.id));
        assert.deepEqual(new Set(results.map((r) => r.reward)), new Set([1]));
        assert.ok(logs.some((line) => line.includes("splitting")), logs.join("\n"));
        assert.ok(seen.length > 4);
      });
    });

    await t.step("the API key goes as a bearer token; a missing key is a 401 without retries", async () => {
      const { fetch, calls } = recordingFetch();
      const client = new ArbiterClient({ urls: server.url, apiKey: API_KEY, fetch });
      const result = await client.verify(mathItem(3));
      assert.deepEqual(result.reward, 1);
      assert.deepEqual(calls.at(-1)?.auth, `Bearer ${API_KEY}`);
      const anonymous = recordingFetch();
      const without = new ArbiterClient({ urls: server.url, apiKey: null, fetch: anonymous.fetch });
      const error = await rejection(() => without.verify(mathItem(3)), ArbiterAuthError);
      assert.deepEqual(error.status, 401);
      assert.deepEqual(anonymous.calls.length, 1);
    });

    await t.step("the API key defaults to ARBITER_API_KEY", async () => {
      const before = Deno.env.get("ARBITER_API_KEY");
      Deno.env.set("ARBITER_API_KEY", API_KEY);
      try {
        const client = new ArbiterClient(server.url);
        assert.deepEqual(client.apiKey, API_KEY);
        assert.deepEqual((await client.verify(mathItem(4))).reward, 1);
      } finally {
        if (before === undefined) Deno.env.delete("ARBITER_API_KEY");
        else Deno.env.set("ARBITER_API_KEY", before);
      }
    });
  } finally {
    await server.stop();
  }
});

Deno.test("TS client against a plain server: calls, specs, retries, failover, timeouts", async (t) => {
  const server = await startServer({}, ["--workers", "1"]);
  try {
    await t.step("health(), verifiers() and verify(); a caller error is a 400 error", async () => {
      const client = new ArbiterClient(server.url);
      const health = await client.health();
      assert.deepEqual(health.status, "ok");
      assert.deepEqual(health.max_body_bytes, 64 * 1024 * 1024);
      const names = (await client.verifiers()).verifiers.map((v) => v.name);
      assert.ok(names.includes("math") && names.includes("format"), names.join());
      assert.deepEqual((await client.verify(mathItem(7))).reward, 1);
      const bad = { verifier: "math", response: "x", reference: { box: [1] } } as unknown as ArbiterItem;
      const error = await rejection(() => client.verify(bad), ArbiterHTTPError);
      assert.deepEqual([error.status, error.code], [400, "invalid_request"]);
    });

    await t.step("batch results come back in item order, caller errors in place", async () => {
      const client = new ArbiterClient({ urls: server.url, maxBatchItems: 25, maxConcurrency: 3 });
      const items: ArbiterItem[] = Array.from({ length: 300 }, (_, i) => mathItem(i, i % 3 ? i : i + 1));
      items.splice(7, 0, { verifier: "no_such_verifier", response: "x" } as unknown as ArbiterItem);
      const results = await client.verifyBatch(items);
      assert.deepEqual(results.length, 301);
      assert.deepEqual(results[7].error?.code, "invalid_request");
      results.splice(7, 1);
      assert.deepEqual(results.map((r) => r.id), Array.from({ length: 300 }, (_, i) => `item-${i}`));
      assert.deepEqual(results.map((r) => r.reward), Array.from({ length: 300 }, (_, i) => i % 3 ? 1 : 0));
      assert.deepEqual(await client.verifyBatch([]), []);
    });

    await t.step("spec items come back with their components", async () => {
      const client = new ArbiterClient(server.url);
      const spec: SpecItem = {
        id: "spec-1",
        spec: {
          sum: [{ weight: 0.9, verifier: "math" }, {
            weight: 0.1,
            verifier: "format",
            options: { tags: ["think", "answer"] },
          }],
        },
        response: "<think>2 + 2</think><answer>\\boxed{4}</answer>",
        reference: "4",
      };
      const [result, unformatted] = await client.verifyBatch([spec, {
        ...spec,
        id: "spec-2",
        response: "4",
      }]);
      assert.deepEqual(result.reward, 1);
      assert.deepEqual(result.components?.map((c) => [c.verifier, c.weight, c.reward]), [["math", 0.9, 1], [
        "format",
        0.1,
        1,
      ]]);
      assert.deepEqual(unformatted.id, "spec-2");
      assert.deepEqual(unformatted.components?.map((c) => c.reward), [1, 0]);
      assert.ok(Math.abs(unformatted.reward! - 0.9) < 1e-9);
    });

    await t.step("non-ASCII text and lone surrogates travel as JSON", async () => {
      const client = new ArbiterClient(server.url);
      const [result] = await client.verifyBatch([
        { verifier: "math", response: "答案是 \\boxed{7} ✓ \ud800", reference: "7" },
      ]);
      assert.deepEqual(result.reward, 1);
    });

    await t.step("a 429 is retried after its Retry-After", async () => {
      await withStub(server.url, (request, n, proxy) => {
        const path = new URL(request.url).pathname;
        if (path === "/v1/verify/batch" && n <= 1) {
          return json(429, { error: { code: "overloaded", message: "queue full" } }, { "retry-after": "1" });
        }
        return proxy();
      }, async (url, seen) => {
        const client = new ArbiterClient({ urls: url, backoffBaseMs: 10, log: quiet });
        const started = performance.now();
        const results = await client.verifyBatch([mathItem(1), mathItem(2)]);
        const elapsed = performance.now() - started;
        assert.deepEqual(results.map((r) => r.reward), [1, 1]);
        assert.deepEqual(seen, [
          "/healthz",
          "/v1/verify/batch",
          "/v1/verify/batch",
        ]);
        assert.ok(elapsed >= 1000);
        assert.ok(elapsed < 3000);
      });
    });

    await t.step("5xx answers are retried; the retries run out with ArbiterUnavailableError", async () => {
      await withStub(server.url, (_request, n, proxy) => {
        return n < 2 ? json(503, { error: { code: "sandbox_unavailable", message: "down" } }) : proxy();
      }, async (url) => {
        const client = new ArbiterClient({ urls: url, backoffBaseMs: 10, log: quiet });
        assert.deepEqual((await client.health()).status, "ok");
      });
      await withStub(
        server.url,
        () => json(500, { error: { code: "internal", message: "boom" } }),
        async (url, seen) => {
          const client = new ArbiterClient({ urls: url, maxRetries: 3, backoffBaseMs: 5, log: quiet });
          const error = await rejection(() => client.health(), ArbiterUnavailableError);
          assert.deepEqual(error.attempts, 4);
          assert.deepEqual(seen.length, 4);
          assert.ok(error.lastFailure.includes("HTTP 500 internal: boom"), error.lastFailure);
        },
      );
    });

    await t.step("a 400 is not retried", async () => {
      await withStub(
        server.url,
        () => json(400, { error: { code: "invalid_request", message: "no" } }),
        async (url, seen) => {
          const client = new ArbiterClient({ urls: url, log: quiet });
          const error = await rejection(() => client.health(), ArbiterHTTPError);
          assert.deepEqual([error.status, error.code, error.serverMessage], [400, "invalid_request", "no"]);
          assert.deepEqual(seen.length, 1);
        },
      );
    });

    await t.step("a dead first URL fails over to the next at once; several URLs go round-robin", async () => {
      await withStub(server.url, (_r, _n, proxy) => proxy(), async (url, seen) => {
        const { fetch, calls } = recordingFetch();
        const dead = deadUrl();
        const client = new ArbiterClient({ urls: [dead, url], fetch, log: quiet });
        const started = performance.now();
        const results = await client.verifyBatch([mathItem(1), mathItem(2, 3)]);
        assert.deepEqual(results.map((r) => r.reward), [1, 0]);
        assert.ok(performance.now() - started < 1000, "failover does not wait");
        assert.deepEqual(calls[0].path, "/healthz");
        assert.ok(seen.length >= 2);
      });
      await withStub(server.url, (_r, _n, proxy) => proxy(), async (first, seenFirst) => {
        await withStub(server.url, (_r, _n, proxy) => proxy(), async (second, seenSecond) => {
          const client = new ArbiterClient({ urls: [first, second] });
          for (let i = 0; i < 4; i++) await client.health();
          assert.deepEqual([seenFirst.length, seenSecond.length], [2, 2]);
        });
      });
      const client = new ArbiterClient({
        urls: [deadUrl(), deadUrl()],
        maxRetries: 3,
        backoffBaseMs: 5,
        log: quiet,
      });
      const error = await rejection(() => client.health(), ArbiterUnavailableError);
      assert.deepEqual(error.attempts, 4);
    });

    await t.step("a slow answer times out and is retried; without retries it fails", async () => {
      const stop = new AbortController();
      try {
        await withStub(server.url, async (_r, n, proxy) => {
          if (n === 0) await pause(3000, stop.signal);
          return proxy();
        }, async (url, seen) => {
          const client = new ArbiterClient({ urls: url, timeoutMs: 300, backoffBaseMs: 10, log: quiet });
          const started = performance.now();
          assert.deepEqual((await client.health()).status, "ok");
          const elapsed = performance.now() - started;
          assert.deepEqual(seen.length, 2);
          assert.ok(elapsed >= 300);
          assert.ok(elapsed < 2000);
          stop.abort();
        });
        const slow = new AbortController();
        await withStub(server.url, async (_r, _n, proxy) => {
          await pause(2000, slow.signal);
          return proxy();
        }, async (url) => {
          const client = new ArbiterClient({ urls: url, timeoutMs: 200, maxRetries: 0, log: quiet });
          const error = await rejection(() => client.health(), ArbiterUnavailableError);
          assert.ok(error.lastFailure.includes("timed out"), error.lastFailure);
          slow.abort();
        });
      } finally {
        stop.abort();
      }
    });

    await t.step("an aborted signal stops a call", async () => {
      const client = new ArbiterClient(server.url);
      const controller = new AbortController();
      controller.abort(new Error("stopped by the caller"));
      const error = await rejection(
        () => client.verifyBatch([mathItem(1)], { signal: controller.signal }),
        Error,
      );
      assert.equal(error.message, "stopped by the caller");
    });
  } finally {
    await server.stop();
  }
});

Deno.test("parseRetryAfter() reads delta-seconds and HTTP dates", () => {
  assert.deepEqual(parseRetryAfter("2"), 2000);
  assert.deepEqual(parseRetryAfter(null), null);
  assert.deepEqual(parseRetryAfter("soon"), null);
  const now = Date.parse("Wed, 21 Oct 2026 07:28:00 GMT");
  assert.deepEqual(parseRetryAfter("Wed, 21 Oct 2026 07:28:03 GMT", now), 3000);
});

Deno.test("substituteRewards() applies the server's on_no_verdict rule and counts what it filled in", () => {
  const ok = (reward: number) => ({ reward, error: null });
  const down = { reward: null, error: { code: "internal", message: "trap" } };
  const lines: string[] = [];
  const log = (level: string, message: string) => lines.push(`${level}: ${message}`);
  const results = [ok(1), down, ok(0), down, down];
  const groups = ["a", "a", "b", "c", "c"];
  const mean = substituteRewards(results, { groups, log });
  assert.deepEqual(mean.rewards, [1, 1, 0, 0.5, 0.5]);
  assert.deepEqual(mean.report.substituted, 3);
  assert.deepEqual(mean.report.byCode, { internal: 3 });
  assert.deepEqual(mean.report.groupFallbacks, 1);
  assert.deepEqual(substituteRewards(results, { groups, onNoVerdict: "zero", log }).rewards, [1, 0, 0, 0, 0]);
  assert.deepEqual(substituteRewards(results, { onNoVerdict: "none", log }).rewards, [
    1,
    null,
    0,
    null,
    null,
  ]);
  assert.deepEqual(lines.length, 3);
  assert.ok(lines[0].startsWith("warn: Arbiter: 3 of 5 results had no verdict (internal=3)"), lines[0]);
  assert.deepEqual(substituteRewards([ok(1)], { log }).report.substituted, 0);
  assert.deepEqual(lines.length, 3, "nothing substituted, nothing logged");
  assert.deepEqual(substituteRewards([down], { log, fallback: 0.5 }).rewards, [0.5]);
});

Deno.test("substituteRewards() throws ArbiterCallerError on invalid_request instead of substituting", () => {
  const rejected = {
    reward: null,
    error: { code: "invalid_request", message: "reference: must be a string" },
  };
  for (const onNoVerdict of ["group_mean", "zero", "none"] as const) {
    assert.throws(
      () =>
        substituteRewards([{ reward: 1, error: null }, rejected], {
          onNoVerdict,
          context: "ctx",
          log: () => {},
        }),
      (error: unknown) =>
        error instanceof ArbiterCallerError && error.index === 1 &&
        error.message ===
          "ctx: 1 of 2 items are invalid_request (a caller error, not a reward to substitute); " +
            "item 1: reference: must be a string",
    );
  }
});

Deno.test("clients/ts/types.ts is what generate_types.ts makes from the current schemas", async () => {
  const expected = await formatTypeScript(renderTypes());
  const committed = await Deno.readTextFile(TYPES_PATH);
  assert.ok(
    committed === expected,
    "clients/ts/types.ts is out of date: run deno run -A clients/ts/generate_types.ts",
  );
});

Deno.test("the client type-checks for browsers (DOM library, no Deno namespace)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "arbiter_ts_client_" });
  try {
    await Deno.writeTextFile(
      `${dir}/deno.json`,
      JSON.stringify({ compilerOptions: { lib: ["dom", "esnext"], strict: true } }),
    );
    const mod = new URL("../clients/ts/mod.ts", import.meta.url).pathname;
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["check", "--config", `${dir}/deno.json`, mod],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.ok(output.success, new TextDecoder().decode(output.stderr));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** Compile-time checks: `deno test` type-checks this function; it never runs. */
export function itemTypesFollowTheSchemas(client: ArbiterClient): Promise<VerifyResult[]> {
  const ok: ArbiterItem[] = [
    { verifier: "math", response: "\\boxed{1}", reference: "1", options: { profile: "mathvista" } },
    { verifier: "math", response: "B", reference: { answer: "B", choices: ["A", "B"] } },
    {
      verifier: "iou",
      response: "[0,0,1,1]",
      reference: { box: [0, 0, 1, 1] },
      options: { coords: "norm1" },
    },
    { verifier: "format", response: "<answer>1</answer>", options: { tags: ["answer"] } },
    {
      spec: { gate: { if: { verifier: "format" }, then: { verifier: "math" } } },
      response: "x",
      reference: "1",
    },
    { spec: "accuracy_and_format", response: "x" },
    { data_source: "gsm8k", response: "x", reference: "1" },
  ];
  const bad: ArbiterItem[] = [
    // @ts-expect-error: a box has four numbers
    { verifier: "iou", response: "x", reference: { box: [0, 0, 1] } },
    // @ts-expect-error: not one of the math profiles
    { verifier: "math", response: "x", reference: "1", options: { profile: "fast" } },
    // @ts-expect-error: math needs a reference
    { verifier: "math", response: "x" },
    // @ts-expect-error: unknown option
    { verifier: "format", response: "x", options: { tag: ["answer"] } },
    // @ts-expect-error: a spec leaf's options are typed by its verifier
    { spec: { sum: [{ verifier: "iou", options: { mode: "boxes" } }] }, response: "x" },
  ];
  return client.verifyBatch([...ok, ...bad]);
}
