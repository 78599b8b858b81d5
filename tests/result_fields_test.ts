/** Compact results (`fields`): the same rewards bit for bit, the fields that always come back, no details. */
import assert from "node:assert/strict";
import fc from "fast-check";
import { createEngine, KernelVerdict, resultJsonWith, selectFields, VERIFIERS } from "../verifiers/mod.ts";
import { Utf8Text } from "../wasm/mod.ts";

Deno.test("compact results carry the same rewards, errors and reasons bit for bit as full ones", async () => {
  const engine = await createEngine(VERIFIERS, { workers: 1 });
  try {
    const items: unknown[] = [];
    for (let i = 0; i < 300; i++) {
      items.push(
        {
          id: `m${i}`,
          verifier: "math",
          response: `The answer is \\boxed{${i % 7}/3}`,
          reference: `${i % 5}/3`,
        },
        { verifier: "iou", response: `[${i}, 10, ${i + 50}, 90]`, reference: { box: [10, 10, 60, 90] } },
        { verifier: "math", response: "x", reference: { not: "a string" } },
        {
          spec: { sum: [{ verifier: "format", weight: 0.5 }, { constant: 0.25 }] },
          response: "<think>a</think><answer>b</answer>",
        },
      );
    }
    const results = await engine.verifyBatch(items);
    const selection = selectFields(["reward", "correct", "reason"]);
    results.forEach((result, index) => {
      const full = JSON.parse(resultJsonWith(result, null, index));
      const compact = JSON.parse(resultJsonWith(result, selection, index));
      assert.equal(Object.is(compact.reward, full.reward), true);
      assert.deepEqual(compact.error, full.error);
      assert.equal(compact.index, index);
      assert.equal(compact.id, full.id);
      assert.equal(compact.correct, full.correct);
      assert.equal(compact.reason, full.error ? null : full.details?.reason ?? null);
      assert.equal("details" in compact, false);
      assert.deepEqual(
        Object.keys(compact).filter((k) =>
          !["id", "index", "reward", "correct", "reason", "error"].includes(k)
        ),
        [],
      );
    });
    const minimal = JSON.parse(resultJsonWith(results[2], selectFields([])));
    assert.deepEqual(Object.keys(minimal), ["reward", "error"]);
    assert.equal(minimal.error.code, "invalid_request");
  } finally {
    await engine.close();
  }
});

Deno.test("fields over HTTP (JSON and NDJSON) and in the CLI; an unknown field is a caller error", async () => {
  const { withApp, postJson } = await import("./_app.ts");
  const items = [
    { id: "a", verifier: "math", response: "\\boxed{2}", reference: "2" },
    { verifier: "math", response: "no", reference: "2" },
    { verifier: "nope", response: "x" },
  ];
  await withApp({ workers: 1 }, async (app) => {
    const full = await (await postJson(app, "/v1/verify/batch", { items })).json();
    const compact = await (await postJson(app, "/v1/verify/batch", { items, fields: ["reward", "reason"] }))
      .json();
    assert.deepEqual(compact.results[0], { id: "a", reward: 1, reason: null, error: null });
    assert.deepEqual(compact.results[1], { reward: 0, reason: full.results[1].details.reason, error: null });
    assert.equal(compact.results[2].error.code, "invalid_request");
    const stream = await postJson(app, "/v1/verify/batch", { items, fields: ["correct"] }, {
      accept: "application/x-ndjson",
    });
    const lines = (await stream.text()).trim().split("\n").map((l) => JSON.parse(l));
    assert.equal(lines.length, 3);
    for (const line of lines) {
      assert.deepEqual(
        Object.keys(line).filter((k) => !["id", "index", "reward", "correct", "error"].includes(k)),
        [],
      );
      assert.equal(line.reward, full.results[line.index].reward);
    }
    const bad = await postJson(app, "/v1/verify/batch", { items, fields: ["score"] });
    assert.equal(bad.status, 400);
  });
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/in.jsonl`, items.map((i) => JSON.stringify(i)).join("\n") + "\n");
    const main = new URL("../main.ts", import.meta.url).pathname;
    const run = (fields: string) =>
      new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", main, "verify", "--workers", "1", "--in", `${dir}/in.jsonl`, "--fields", fields],
        stdout: "piped",
        stderr: "piped",
      }).output();
    const out = await run("reward,correct");
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    const rows = new TextDecoder().decode(out.stdout).trim().split("\n").map((l) => JSON.parse(l));
    assert.deepEqual(rows[0], { id: "a", reward: 1, correct: true, error: null });
    assert.equal(rows[2].error.code, "invalid_request");
    const unknown = await run("reward,score");
    assert.notEqual(unknown.code, 0);
    assert.match(new TextDecoder().decode(unknown.stderr), /--fields: unknown field "score"/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a kernel verdict's compact text equals the generic path's, for every selection", () => {
  const fieldSets = fc.subarray(["spec", "verifier", "version", "correct", "reason", "ms", "components"]);
  fc.assert(
    fc.property(
      fc.option(fc.string(), { nil: undefined }),
      fc.option(fc.nat(), { nil: undefined }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.boolean(),
      fc.option(fc.string().filter((s) => !s.includes('"') && !s.includes("\\")), { nil: null }),
      fc.double({ min: 0, max: 1e6, noNaN: true }),
      fieldSets,
      (id, index, reward, correct, reason, ms, fields) => {
        const head = id === undefined
          ? { verifier: "iou", version: "1.0.0" }
          : { id, verifier: "iou", version: "1.0.0" };
        const details = JSON.stringify({ reason, extracted: [1, 2] });
        // The details lie inside a job's outputs, between other bytes.
        const outputs = new Utf8Text(new TextEncoder().encode(`[${details}]`));
        const verdict = new KernelVerdict(
          id,
          head.verifier,
          head.version,
          reward,
          correct,
          reason,
          outputs,
          1,
          outputs.bytes.length - 1,
          ms,
        );
        const selection = selectFields(fields);
        // The plain copy is not a KernelVerdict, so it takes the generic path.
        assert.equal(
          resultJsonWith(verdict, selection, index),
          resultJsonWith(verdict.toJSON(), selection, index),
        );
      },
    ),
  );
});
