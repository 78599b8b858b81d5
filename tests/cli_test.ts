/** `deno task verify` round trip: same results as the server, one line per input line, a summary on stderr. */
import assert from "node:assert/strict";
import { postJson, withApp } from "./_app.ts";

const mainTs = new URL("../main.ts", import.meta.url).pathname;

function runCli(args: string[], cwd: string, stdin?: string) {
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read",
      "--allow-write",
      "--allow-env",
      "--allow-sys",
      "--allow-run",
      "--allow-ffi",
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
