/**
 * Benchmarks end to end against a local OpenAI-compatible endpoint (tests/bench_fake_model.ts):
 * retries on 429/500, timeouts, empty bodies and truncation recorded as errors, `<think>` kept
 * apart, resume that regenerates only failures, re-scoring without regenerating, run comparison,
 * bad suites refused before any request, and the HTTP routes on a real server.
 */
import assert from "node:assert/strict";
import { Hono } from "hono";
import { createEngine, type Engine, VERIFIERS } from "../verifiers/mod.ts";
import { runBenchCli } from "../cli/bench.ts";
import { compareRuns, reportRun, runPaths, runSuite } from "../benchmarks/mod.ts";
import { RunJournal } from "../benchmarks/journal/mod.ts";
import { benchmarkRoutes } from "../routes/benchmarks.ts";
import { renderError } from "../routes/errors.ts";
import { type FakeBehavior, MATH_MINI_ANSWERS, startFakeModel } from "./bench_fake_model.ts";

const FIXTURES = new URL("../fixtures/bench/", import.meta.url).pathname;
const fast = { concurrency: 3, timeout_s: 0.5, max_retries: 2 };
const backoff = { baseMs: 5, maxMs: 50 };

function behaviors(faults: Record<number, Partial<FakeBehavior>>): Map<string, FakeBehavior> {
  return new Map(MATH_MINI_ANSWERS.map(([q, answer], i) => [q, { answer, ...(faults[i] ?? {}) }]));
}

async function withEngine(body: (engine: Engine) => Promise<void>): Promise<void> {
  const engine = await createEngine(VERIFIERS, { workers: 1 });
  try {
    await body(engine);
  } finally {
    await engine.close();
  }
}

Deno.test("bench run: retries pushback, records faults as errors, keeps <think> apart, resumes only failures", async () => {
  const runsDir = await Deno.makeTempDir();
  const faults = {
    0: { fault: "429", times: 2 } as const, // retried, then answered
    2: { fault: "timeout" } as const, // every attempt times out
    5: { fault: "empty" } as const, // 200 with an empty body: not retried
    7: { fault: "length" } as const, // finish_reason: length
    10: { think: true }, // reasoning in <think> and reasoning_content
    11: { fault: "500", times: 1 } as const, // retried, then answered
  };
  const model = startFakeModel(behaviors(faults));
  try {
    await withEngine(async (engine) => {
      const request = {
        suite: "math_mini",
        endpoint: { url: model.url },
        runsDir,
        generation: fast,
        backoff,
      };
      const first = await runSuite(engine, request);
      const q = (i: number) => MATH_MINI_ANSWERS[i][0];
      assert.equal(model.requests.get(q(0)), 3);
      assert.equal(model.requests.get(q(2)), 3); // 1 + max_retries
      assert.equal(model.requests.get(q(5)), 1);
      assert.equal(model.requests.get(q(11)), 2);
      assert.equal(model.images.get(q(0)), 1, "the image travels as a data URL");
      assert.ok(model.maxInFlight() <= 3);
      const s = first.summary;
      assert.equal(s.items, 12);
      assert.deepEqual(s.errors, { empty_body: 1, length: 1, timeout: 1 });
      assert.equal(s.verdicts, 9);
      assert.equal(s.overall.correct, 8); // only "Answer: B" (item 10) is wrong among the verdicts
      // The headline counts the 3 failed generations as wrong; "of answered" is beside it.
      assert.equal(s.overall.n, 12);
      assert.equal(s.overall.mean, 8 / 12);
      assert.equal(s.answered.n, 9);
      assert.equal(s.answered.mean, 8 / 9);
      assert.equal(s.complete, false);
      assert.equal(s.unanswered, 3);
      const firstResults = JSON.parse(await Deno.readTextFile(first.paths.results));
      assert.equal(firstResults.status, "incomplete");
      assert.match(
        await Deno.readTextFile(first.paths.report),
        /id="incomplete-banner"[^>]*>INCOMPLETE: 3 of 12/,
      );
      const thinking = first.samples.find((x) => x.id === "11")!;
      assert.equal(thinking.response, "The mean is 5");
      assert.equal(thinking.reasoning, "First I read the question.\n\nLet me look at the image.");
      assert.equal(thinking.correct, true);
      const truncated = first.samples.find((x) => x.id === "8")!;
      assert.equal(truncated.error?.code, "length");
      assert.equal(truncated.reward, null);
      assert.equal(first.meta.provenance.model.id, "fake-vlm");
      assert.match(first.meta.provenance.dataset.images_sha256 ?? "", /^[0-9a-f]{64}$/);

      // The endpoint recovers; the same request resumes the same run and asks only for the failures.
      const before = new Map(model.requests);
      const healed = startFakeModel(behaviors({ 10: { think: true } }));
      try {
        // The healed server listens elsewhere: another endpoint under the same model name is refused…
        await assert.rejects(
          runSuite(engine, { ...request, endpoint: { url: healed.url } }),
          /was generated under a different identity, refusing to resume it:\n {2}model\.url: "http:\/\/127\.0\.0\.1:\d+\/v1" → "http:\/\/127\.0\.0\.1:\d+\/v1"\n.*--allow-identity-change/s,
        );
        assert.equal(healed.requests.size, 0, "nothing was sent to the other endpoint");
        // …unless allowed explicitly (here: it is the same model, restarted on another port).
        const second = await runSuite(engine, {
          ...request,
          endpoint: { url: healed.url },
          allowIdentityChange: true,
        });
        assert.deepEqual(second.identityChanges.map((c) => c.split(":")[0]), ["model.url"]);
        assert.equal(second.id, first.id);
        assert.deepEqual([...healed.requests.keys()].sort(), [q(2), q(5), q(7)].sort());
        assert.equal(second.summary.verdicts, 12);
        assert.equal(second.summary.overall.correct, 9);
      } finally {
        await healed.close();
      }
      assert.deepEqual(model.requests, before);

      // Re-scoring (bench report) reads the journal: no request, same numbers.
      const code = await runBenchCli(["report", first.id, "--runs-dir", runsDir]);
      assert.equal(code, 0);
      const rescored = await reportRun(engine, runPaths(runsDir, first.id));
      assert.equal(rescored.summary.overall.correct, 9);
      const journal = new RunJournal(runPaths(runsDir, first.id).journal);
      try {
        assert.equal(journal.generationAttempts(), 15); // 12 first, 3 retried failures
      } finally {
        journal.close();
      }

      // A predictions run of the same suite, compared with the model run.
      const predictions = await runSuite(engine, {
        suite: "math_mini",
        predictions: { path: `${FIXTURES}math_mini_predictions.jsonl` },
        runsDir,
      });
      assert.equal(predictions.summary.overall.correct, 9);
      const comparison = await compareRuns(predictions.paths, first.paths);
      assert.equal(comparison.n, 12);
      // Both get items 6, 8 and 10 wrong: no discordant pair, no difference.
      assert.equal(comparison.onlyA + comparison.onlyB, 0);
      assert.equal(comparison.difference, 0);
      assert.equal(comparison.mcnemarExactP, 1);
    });
  } finally {
    await model.close();
    await Deno.remove(runsDir, { recursive: true });
  }
});

Deno.test("bench run refuses a suite that fails its schema or its hash before sending any request", async () => {
  const dir = await Deno.makeTempDir();
  const model = startFakeModel(new Map());
  try {
    const good = await Deno.readTextFile(new URL("../benchmarks/suites/format_mini.yaml", import.meta.url));
    const fixture = `${FIXTURES}format_mini.jsonl`;
    await Deno.writeTextFile(
      `${dir}/bad_hash.yaml`,
      good.replace("../../fixtures/bench/format_mini.jsonl", fixture).replace(
        /sha256: [0-9a-f]+/,
        `sha256: ${"a".repeat(64)}`,
      ),
    );
    await Deno.writeTextFile(`${dir}/bad_field.yaml`, good.replace("max_tokens: 128", "max_tokens: lots"));
    const errors: string[] = [];
    const original = console.error;
    console.error = (message: string) => errors.push(message);
    try {
      const args = ["--model-url", model.url, "--runs-dir", dir];
      assert.equal(await runBenchCli(["run", `${dir}/bad_hash.yaml`, ...args]), 1);
      assert.equal(await runBenchCli(["run", `${dir}/bad_field.yaml`, ...args]), 1);
      assert.equal(await runBenchCli(["run", "no_such_suite", ...args]), 1);
    } finally {
      console.error = original;
    }
    assert.match(
      errors[0],
      /format_mini\.jsonl has sha256 [0-9a-f]{64}, but the suite pins dataset\.sha256 a{64}/,
    );
    assert.match(errors[1], /generation\/max_tokens: must be integer/);
    assert.match(errors[2], /Suite "no_such_suite" not found/);
    assert.equal(model.requests.size, 0);
  } finally {
    await model.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("HTTP: POST /v1/benchmarks/runs runs in the background; GET gives results and the report", async () => {
  const runsDir = await Deno.makeTempDir();
  await withEngine(async (engine) => {
    const app = new Hono();
    app.route("/", benchmarkRoutes(engine, runsDir));
    app.onError(renderError);
    const controller = new AbortController();
    const server = Deno.serve({
      hostname: "127.0.0.1",
      port: 0,
      signal: controller.signal,
      onListen: () => {},
    }, app.fetch);
    const base = `http://127.0.0.1:${server.addr.port}`;
    try {
      const lines = (await Deno.readTextFile(`${FIXTURES}iou_mini_predictions.jsonl`)).trim().split("\n");
      const started = await fetch(`${base}/v1/benchmarks/runs`, {
        method: "POST",
        body: JSON.stringify({ suite: "iou_mini", predictions: lines.map((l) => JSON.parse(l)) }),
      });
      assert.equal(started.status, 202);
      const { id } = await started.json();
      let state;
      for (let i = 0; i < 100; i++) {
        state = await (await fetch(`${base}/v1/benchmarks/runs/${id}`)).json();
        if (state.status !== "running") break;
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.equal(state.status, "done", JSON.stringify(state));
      assert.equal(state.results.summary.items, 6);
      assert.equal(state.results.summary.overall.correct, 4);
      assert.equal(state.results.provenance.suite.name, "iou_mini");
      const report = await fetch(`${base}/v1/benchmarks/runs/${id}/report`);
      assert.equal(report.status, 200);
      assert.match(report.headers.get("content-type") ?? "", /text\/html/);
      assert.match(await report.text(), /id="samples-table"/);

      const bad = await fetch(`${base}/v1/benchmarks/runs`, {
        method: "POST",
        body: JSON.stringify({ suite: "iou_mini", model_url: "http://127.0.0.1:9/v1", predictions: [] }),
      });
      assert.equal(bad.status, 400);
      assert.match((await bad.json()).error.message, /exactly one of model_url or predictions/);
      const missing = await fetch(`${base}/v1/benchmarks/runs/nope`);
      assert.equal(missing.status, 404);
      await missing.body?.cancel();
      const traversal = await fetch(`${base}/v1/benchmarks/runs/..%2F..%2Fetc/report`);
      assert.equal(traversal.status, 400);
      await traversal.body?.cancel();
    } finally {
      controller.abort();
      await server.finished;
    }
  });
  await Deno.remove(runsDir, { recursive: true });
});

Deno.test("bench run over every fixture suite (one per verifier) in predictions mode", async () => {
  const runsDir = await Deno.makeTempDir();
  const expected: Record<string, [number, number]> = {
    math_mini: [9, 12],
    iou_mini: [4, 6],
    format_mini: [3, 5],
    length_mini: [2, 4],
    repetition_mini: [3, 4],
  };
  await withEngine(async (engine) => {
    for (const [suite, [correct, items]] of Object.entries(expected)) {
      const r = await runSuite(engine, {
        suite,
        predictions: { path: `${FIXTURES}${suite}_predictions.jsonl` },
        runsDir,
      });
      assert.equal(r.summary.items, items, suite);
      assert.equal(r.summary.overall.correct, correct, suite);
    }
  });
  await Deno.remove(runsDir, { recursive: true });
});
