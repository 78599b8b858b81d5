/**
 * The lean HTTP/1.1 client (verifiers/_openai/http1.ts) against real loopback servers: a raw TCP
 * server that writes exact bytes (chunked bodies with extensions and trailers, interim 1xx answers,
 * answers without a length, answers split across writes, a kept-alive connection the server has
 * closed, a hang), and through `postJson` the same outcomes as `fetch` for every status class.
 */
import assert from "node:assert/strict";
import { Http1Pool, MAX_ANSWER_BYTES, postJson } from "../verifiers/_openai/mod.ts";
import { startFakeJudge } from "./fake_openai_server.ts";

/** A TCP server on loopback: `answer(request, connectionIndex, requestIndex)` gives the bytes to write. */
function rawServer(
  answer: (request: string, connection: number, n: number) => (string | Uint8Array)[] | "hang" | "close",
) {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns = new Set<Deno.Conn>();
  let connections = 0;
  let requests = 0;
  const done = (async () => {
    for await (const conn of listener) {
      conns.add(conn);
      const index = connections++;
      (async () => {
        const buf = new Uint8Array(65536);
        let text = "";
        try {
          while (true) {
            const n = await conn.read(buf);
            if (n === null) break;
            text += new TextDecoder().decode(buf.subarray(0, n));
            // One whole request: its head and a body of content-length bytes.
            const end = text.indexOf("\r\n\r\n");
            if (end < 0) continue;
            const length = Number(/content-length: (\d+)/i.exec(text.slice(0, end))?.[1] ?? 0);
            if (text.length < end + 4 + length) continue;
            const request = text.slice(0, end + 4 + length);
            text = text.slice(end + 4 + length);
            const parts = answer(request, index, requests++);
            if (parts === "hang") continue;
            if (parts === "close") break;
            for (const part of parts) {
              await conn.write(typeof part === "string" ? new TextEncoder().encode(part) : part);
              await new Promise((resolve) => setTimeout(resolve, 2));
            }
          }
        } catch {
          // the client went away
        } finally {
          conns.delete(conn);
          try {
            conn.close();
          } catch { /* closed */ }
        }
      })();
    }
  })();
  const port = (listener.addr as Deno.NetAddr).port;
  return {
    url: `http://127.0.0.1:${port}/v1/chat/completions`,
    connections: () => connections,
    close: async () => {
      listener.close();
      for (const conn of conns) {
        try {
          conn.close();
        } catch { /* closed */ }
      }
      await done;
    },
  };
}

const ok = (body: string, extra = "") =>
  `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n${extra}\r\n${body}`;

async function post(pool: Http1Pool, url: string, timeoutMs = 2000) {
  return await pool.post(
    new URL(url),
    '{"q":1}',
    [["content-type", "application/json"]],
    AbortSignal.timeout(timeoutMs),
    1000,
  );
}

Deno.test("http1: content-length, chunked (extensions, trailers), 1xx interim answers, split writes", async () => {
  const cases: [string, (string | Uint8Array)[], string][] = [
    ["content-length", [ok('{"a":1}')], '{"a":1}'],
    [
      "chunked with an extension and a trailer, split across writes",
      [
        "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n4;ext=1\r\n",
        '{"a"\r\n',
        "3\r\n:1}\r\n0\r\nx-trailer: t\r\n\r\n",
      ],
      '{"a":1}',
    ],
    ["100 Continue first", ["HTTP/1.1 100 Continue\r\n\r\n", ok("[]")], "[]"],
    ["head split mid-line", ["HTTP/1.1 200 OK\r\ncontent-le", "ngth: 2\r\n\r\n{}"], "{}"],
    ["multi-byte UTF-8 split across writes", [
      "HTTP/1.1 200 OK\r\ncontent-length: 4\r\n\r\n",
      new Uint8Array([0x22, 0xc3]),
      new Uint8Array([0xa9, 0x22]),
    ], '"é"'],
  ];
  for (const [name, parts, body] of cases) {
    const server = rawServer(() => parts);
    const pool = new Http1Pool();
    try {
      const answer = await post(pool, server.url);
      assert.equal(answer.status, 200, name);
      assert.equal(answer.text, body, name);
    } finally {
      pool.close();
      await server.close();
    }
  }
});

Deno.test("http1: a body delimited by the connection's end; over the cap is null; bad answers throw", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  const serve = (async () => {
    for (
      const reply of [
        "HTTP/1.0 200 OK\r\n\r\nto the end",
        `HTTP/1.1 200 OK\r\n\r\n${"x".repeat(2000)}`,
        "SMTP ready\r\n\r\n",
      ]
    ) {
      const conn = await listener.accept();
      const buf = new Uint8Array(4096);
      await conn.read(buf);
      await conn.write(new TextEncoder().encode(reply));
      conn.close();
    }
  })();
  const pool = new Http1Pool();
  try {
    const url = `http://127.0.0.1:${port}/x`;
    assert.equal((await post(pool, url)).text, "to the end");
    assert.equal((await post(pool, url)).text, null, "2,000 bytes over a cap of 1,000");
    await assert.rejects(post(pool, url), /not HTTP/);
  } finally {
    pool.close();
    listener.close();
    await serve.catch(() => {});
  }
});

Deno.test("http1: kept-alive connections are reused; one the server closed is replaced once, silently", async () => {
  // The server answers on a connection, then closes every connection after its 2nd request.
  const server = rawServer((_r, _c, n) => (n === 2 ? "close" : [ok(`{"n":${n}}`)]));
  const pool = new Http1Pool();
  try {
    assert.equal((await post(pool, server.url)).text, '{"n":0}');
    assert.equal((await post(pool, server.url)).text, '{"n":1}');
    assert.equal(server.connections(), 1, "the second request reused the connection");
    // The 3rd request goes out on the kept connection, which the server closes without answering:
    // sent again on a new connection (request 3 there).
    assert.equal((await post(pool, server.url)).text, '{"n":3}');
    assert.equal(server.connections(), 2);
  } finally {
    pool.close();
    await server.close();
  }
});

Deno.test("http1: an abort (deadline) ends a request the server never answers", async () => {
  const server = rawServer(() => "hang");
  const pool = new Http1Pool();
  try {
    const started = performance.now();
    await assert.rejects(post(pool, server.url, 150));
    assert.ok(performance.now() - started < 1500);
  } finally {
    pool.close();
    await server.close();
  }
});

Deno.test("postJson through the HTTP/1.1 client classifies every status as fetch does", async () => {
  // The reply is chosen by the request's body, so that both clients get the same one.
  const fake = startFakeJudge((r) => {
    const replies = [
      { content: "VERDICT: 7" },
      { status: 429, retryAfter: "2" },
      { status: 503 },
      { status: 413 },
      { status: 404 },
      { rawBody: "not json at all" },
    ];
    return replies[r.body.i];
  });
  const pool = new Http1Pool();
  try {
    const url = `${fake.url}/chat/completions`;
    const shape = (o: Awaited<ReturnType<typeof postJson>>) =>
      o.ok ? { ok: true, text: o.text } : {
        ok: false,
        code: o.code,
        retryable: o.retryable,
        retryAfterMs: o.retryAfterMs,
        message: o.message,
      };
    for (let i = 0; i < 6; i++) {
      const viaPool = shape(await postJson(url, { i }, "key", 2000, undefined, pool));
      const viaFetch = shape(await postJson(url, { i }, "key", 2000));
      assert.deepEqual(viaPool, viaFetch, `reply ${i}`);
    }
    assert.ok(fake.requests.every((r) => r.authorization === "Bearer key"));
    assert.equal(MAX_ANSWER_BYTES, 16 * 1024 * 1024);
  } finally {
    pool.close();
    await fake.close();
  }
});

Deno.test("http1: a header value with a line break is refused before anything is sent", async () => {
  const server = rawServer(() => [ok("{}")]);
  const pool = new Http1Pool();
  try {
    await assert.rejects(
      pool.post(
        new URL(server.url),
        "{}",
        [["authorization", "Bearer k\r\nx-evil: 1"]],
        AbortSignal.timeout(1000),
        100,
      ),
      /line break/,
    );
    assert.equal(server.connections(), 0);
  } finally {
    pool.close();
    await server.close();
  }
});

Deno.test("postJson through the HTTP/1.1 client refuses a redirect (retryable network failure, as fetch)", async () => {
  const server = rawServer(
    () => ["HTTP/1.1 302 Found\r\nlocation: http://example.com/\r\ncontent-length: 0\r\n\r\n"],
  );
  const pool = new Http1Pool();
  try {
    const outcome = await postJson(server.url, {}, null, 2000, undefined, pool);
    assert.ok(!outcome.ok);
    assert.equal(outcome.code, "network");
    assert.equal(outcome.retryable, true);
    assert.match(outcome.message, /redirect/);
  } finally {
    pool.close();
    await server.close();
  }
});
