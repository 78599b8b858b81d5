/** `deno task verify` round trip: same results as the server, one line per input line, a summary on stderr. */
import assert from "node:assert/strict";
import fc from "fast-check";
import { postJson, withApp } from "./_app.ts";
import { readLines } from "../cli/lines.ts";
import { taskFlags } from "./_server.ts";

const mainTs = new URL("../main.ts", import.meta.url).pathname;

function runCli(args: string[], cwd: string, stdin?: string) {
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      ...taskFlags("verify"),
      mainTs,
      "verify",
      ...args,
    ],
    cwd,
    env: { INIT_CWD: cwd, NO_COLOR: "1" },
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  });
}

const items = [
  {
    id: "a",
    verifier: "iou",
    response: "<answer>[0, 0, 50, 100]</answer>",
    reference: { box: [0, 0, 100, 100] },
  },
  { id: "b", verifier: "math", response: "The answer is \\boxed{\\frac{3}{6}}", reference: "0.5" },
  { id: "c", verifier: "format", response: "<think>x</think><answer>y</answer>" },
  { id: "d", verifier: "nope", response: "" },
];

Deno.test("CLI verify gives the same results as the HTTP API, in order, naming malformed lines", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const lines = [
      JSON.stringify(items[0]),
      JSON.stringify(items[1]),
      "{not json",
      "",
      JSON.stringify(items[2]),
      JSON.stringify(items[3]),
    ];
    await Deno.writeTextFile(`${dir}/items.jsonl`, lines.join("\n") + "\n");
    const out = await runCli(["--in", "items.jsonl", "--out", "results.jsonl"], dir).output();
    const stderr = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, stderr);
    const results = (await Deno.readTextFile(`${dir}/results.jsonl`)).trim().split("\n").map((l) =>
      JSON.parse(l)
    );
    // One result per non-blank input line, in order.
    assert.equal(results.length, 5);
    assert.deepEqual(results.map((r) => r.id), ["a", "b", undefined, "c", "d"]);
    assert.equal(results[2].error.code, "invalid_request");
    assert.match(results[2].error.message, /^line 3: malformed JSON/);
    assert.match(results[4].error.message, /^line 6: Unknown verifier/);
    assert.match(
      stderr,
      /verified 5 items in [\d.]+ s \(\d+\/s\): 3 verdicts, mean reward 0\.8333, 3 correct; errors: invalid_request 2/,
    );

    await withApp({ workers: 1 }, async (app) => {
      const { results: viaHttp } =
        await (await postJson(app, "/v1/verify/batch", { items: items.slice(0, 3) })).json();
      for (let i = 0; i < 3; i++) {
        const cli = results[i < 2 ? i : 3];
        assert.equal(cli.reward, viaHttp[i].reward);
        assert.equal(cli.correct, viaHttp[i].correct);
        assert.deepEqual(cli.details, viaHttp[i].details);
      }
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("CLI verify reads stdin and writes stdout by default", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const child = runCli([], dir, "").spawn();
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(items.slice(0, 2).map((i) => JSON.stringify(i)).join("\n")));
    await writer.close();
    const out = await child.output();
    assert.equal(out.code, 0);
    const results = new TextDecoder().decode(out.stdout).trim().split("\n").map((l) => JSON.parse(l));
    assert.deepEqual(results.map((r) => r.reward), [0.5, 1]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("CLI verify exits non-zero for a missing input file and for bad usage", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const missing = await runCli(["--in", "nope.jsonl"], dir).output();
    assert.notEqual(missing.code, 0);
    assert.match(new TextDecoder().decode(missing.stderr), /nope\.jsonl/);
    const usage = await runCli(["--bogus"], dir).output();
    assert.equal(usage.code, 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** A stream that delivers `bytes` in chunks of `size` (the last one shorter). */
function chunked(bytes: Uint8Array, size: number): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset += size));
    },
  });
}

async function collect(lines: AsyncGenerator<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const line of lines) out.push(line);
  return out;
}

Deno.test("readLines() gives the lines of any chunking: LF, CRLF, UTF-8 split across chunks, no final newline", async () => {
  const cases: [string, string[]][] = [
    ["a\nb\n", ["a", "b"]],
    ["a\r\nb", ["a", "b"]],
    ["\n\nx\r\n\r\n", ["", "", "x", ""]],
    ["é→😀\n日本", ["é→😀", "日本"]],
    ["a\rb\n", ["a\rb"]],
    ["\r", [""]],
    ["", []],
  ];
  for (const [text, expected] of cases) {
    const bytes = new TextEncoder().encode(text);
    for (const size of [1, 2, 3, 5, 64]) {
      assert.deepEqual(
        await collect(readLines(chunked(bytes, size))),
        expected,
        `${JSON.stringify(text)} / ${size}`,
      );
    }
  }
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.string({ unit: "grapheme" }), { maxLength: 8 }),
      fc.integer({ min: 1, max: 9 }),
      async (lines, size) => {
        const clean = lines.map((l) => l.replaceAll("\n", "").replace(/\r$/, ""));
        const text = clean.map((l) => `${l}\n`).join("");
        assert.deepEqual(await collect(readLines(chunked(new TextEncoder().encode(text), size))), clean);
      },
    ),
  );
});

Deno.test("readLines() on arbitrary bytes (invalid UTF-8 included) equals decoding each line alone", async () => {
  const LF = 10, CR = 13;
  await fc.assert(
    fc.asyncProperty(
      fc.array(
        fc.oneof(fc.constantFrom(LF, CR, 0xc3, 0xa9, 0xe2, 0x82, 0xf0, 0x9f, 0xff, 0x80), fc.nat(255)),
        {
          maxLength: 200,
        },
      ),
      fc.integer({ min: 1, max: 17 }),
      async (array, size) => {
        const bytes = Uint8Array.from(array);
        // The reference: split the bytes at LF, decode each line alone, drop one trailing CR.
        const expected: string[] = [];
        let start = 0;
        const decode = (from: number, to: number) => {
          const end = to > from && bytes[to - 1] === CR ? to - 1 : to;
          expected.push(new TextDecoder().decode(bytes.subarray(from, end)));
        };
        for (let i = 0; i < bytes.length; i++) {
          if (bytes[i] === LF) {
            decode(start, i);
            start = i + 1;
          }
        }
        if (start < bytes.length) decode(start, bytes.length);
        assert.deepEqual(await collect(readLines(chunked(bytes, size))), expected);
      },
    ),
  );
});

Deno.test("readLines() splits a 50 MB line in linear time (it took minutes when quadratic)", async () => {
  const long = new Uint8Array(50 * 1024 * 1024 + 2).fill(120);
  long[long.length - 2] = 10;
  long[long.length - 1] = 121;
  const started = performance.now();
  const lines = await collect(readLines(chunked(long, 64 * 1024)));
  const seconds = (performance.now() - started) / 1000;
  assert.deepEqual(lines.map((l) => l.length), [50 * 1024 * 1024, 1]);
  assert.equal(lines[1], "y");
  assert.ok(seconds < 10, `took ${seconds.toFixed(1)} s`);
});

Deno.test("CLI verify answers a 50 MB line as invalid_request and the next line normally, in seconds", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const huge = JSON.stringify({ ...items[0], id: "huge", response: "x".repeat(50 * 1024 * 1024) });
    await Deno.writeTextFile(`${dir}/items.jsonl`, `${huge}\n${JSON.stringify(items[0])}\n`);
    const started = performance.now();
    const out = await runCli(["--in", "items.jsonl", "--out", "results.jsonl"], dir).output();
    const seconds = (performance.now() - started) / 1000;
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    const results = (await Deno.readTextFile(`${dir}/results.jsonl`)).trim().split("\n").map((l) =>
      JSON.parse(l)
    );
    assert.deepEqual(results.map((r) => r.id), ["huge", "a"]);
    assert.equal(results[0].error.code, "invalid_request");
    assert.match(results[0].error.message, /^line 1: .*max_response_chars/);
    assert.equal(results[1].reward, 0.5);
    assert.ok(seconds < 60, `took ${seconds.toFixed(1)} s`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
