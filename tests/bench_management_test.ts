/**
 * Run identity and management (#17): a new checkpoint under the same served name is refused on
 * resume; a dead endpoint fails the pre-flight check at once; the circuit breaker stops a run whose
 * endpoint keeps failing (resumable); `--limit`/`--ids` run a subset marked as such; generation
 * settings are checked by their schema; Ctrl-C prints how to resume; `bench list`; `bench compare`
 * says on how many paired items, refuses runs with nothing in common, and uses the exact test;
 * `DELETE /v1/benchmarks/runs/:id` cancels a run over HTTP.
 */
import assert from "node:assert/strict";
import { Hono } from "hono";
import { benchmarkRoutes } from "../routes/benchmarks.ts";
import { renderError } from "../routes/errors.ts";
import { createEngine, type Engine, VERIFIERS } from "../verifiers/mod.ts";
import { runBenchCli } from "../cli/bench.ts";
import { runSuite } from "../benchmarks/mod.ts";
import { type FakeBehavior, MATH_MINI_ANSWERS, startFakeModel } from "./bench_fake_model.ts";

const MAIN = new URL("../main.ts", import.meta.url).pathname;
const FIXTURES = new URL("../fixtures/bench/", import.meta.url).pathname;

function answers(faults: Partial<FakeBehavior> = {}): Map<string, FakeBehavior> {
  return new Map(MATH_MINI_ANSWERS.map(([q, answer]) => [q, { answer, ...faults }]));
}

async function withEngine(body: (engine: Engine, runsDir: string) => Promise<void>): Promise<void> {
  const engine = await createEngine(VERIFIERS, { workers: 1 });
  const runsDir = await Deno.makeTempDir({ prefix: "arbiter_manage_" });
  try {
    await body(engine, runsDir);
  } finally {
    await engine.close();
    await Deno.remove(runsDir, { recursive: true });
  }
}

async function captured(body: () => Promise<number>): Promise<{ code: number; out: string; err: string }> {
  const [log, error] = [console.log, console.error];
  const out: string[] = [];
  const err: string[] = [];
  console.log = (...a: unknown[]) => out.push(a.join(" "));
  console.error = (...a: unknown[]) => err.push(a.join(" "));
  try {
    const code = await body();
    return { code, out: out.join("\n"), err: err.join("\n") };
  } finally {
    console.log = log;
    console.error = error;
  }
}

Deno.test("a new checkpoint served under the same name is refused on resume, naming the fingerprint", async () => {
  const first = startFakeModel(answers(), 0, { id: "policy", root: "/ckpt/step-100" });
  let second = startFakeModel(answers(), 0, { id: "policy", root: "/ckpt/step-200" });
  await withEngine(async (engine, runsDir) => {
    try {
      const request = {
        suite: "math_mini",
        runsDir,
        endpoint: { url: first.url },
        generation: { concurrency: 4 },
      };
      const r1 = await runSuite(engine, request);
      assert.equal(r1.meta.provenance.model.models_entry?.root, "/ckpt/step-100");
      // Same URL and name, another checkpoint (the second server takes over the first's URL role).
      await first.close();
      const moved = { ...request, endpoint: { url: second.url }, runId: r1.id };
      await assert.rejects(runSuite(engine, moved), (e: Error) => {
        assert.match(e.message, /refusing to resume/);
        assert.match(e.message, /model\.fingerprint: "[0-9a-f]{16}" → "[0-9a-f]{16}"/);
        assert.match(e.message, /model\.url/);
        return true;
      });
      assert.equal(second.requests.size, 0);
      // `created` (the request time in vLLM) is not part of the fingerprint: a restart resumes.
      await second.close();
      second = startFakeModel(answers(), 0, { id: "policy", root: "/ckpt/step-200" });
      const r2 = await runSuite(engine, {
        ...moved,
        endpoint: { url: second.url },
        allowIdentityChange: true,
      });
      assert.equal(r2.summary.overall.correct, 9);
      assert.ok(r2.identityChanges.some((c) => c.startsWith("model.fingerprint")));
      const again = startFakeModel(answers(), 0, { id: "policy", root: "/ckpt/step-200" });
      try {
        // Same checkpoint, same name, only the port (URL) differs after a restart: named, not silent.
        await assert.rejects(runSuite(engine, { ...moved, endpoint: { url: again.url } }), /model\.url:/);
      } finally {
        await again.close();
      }
    } finally {
      await second.close();
    }
  });
});

Deno.test("a dead endpoint fails the pre-flight check at once; an unserved --model is named", async () => {
  await withEngine(async (engine, runsDir) => {
    const started = performance.now();
    await assert.rejects(
      runSuite(engine, { suite: "math_mini", runsDir, endpoint: { url: "http://127.0.0.1:9/v1" } }),
      /Pre-flight check failed: GET http:\/\/127\.0\.0\.1:9\/v1\/models/,
    );
    assert.ok(performance.now() - started < 5000);
    const model = startFakeModel(answers());
    try {
      await assert.rejects(
        runSuite(engine, { suite: "math_mini", runsDir, endpoint: { url: model.url, model: "other" } }),
        /does not serve model "other" \(it serves "fake-vlm"\)/,
      );
    } finally {
      await model.close();
    }
  });
});

Deno.test("the circuit breaker stops a run whose endpoint keeps failing; the run resumes later", async () => {
  const broken = startFakeModel(answers({ fault: "500" }));
  await withEngine(async (engine, runsDir) => {
    try {
      const request = {
        suite: "math_mini",
        runsDir,
        endpoint: { url: broken.url },
        generation: { concurrency: 1, max_retries: 0 },
        maxConsecutiveFailures: 3,
      };
      const r = await runSuite(engine, request);
      assert.equal(r.stopped?.reason, "circuit_breaker");
      assert.match(r.stopped!.message, /3 items in a row failed \(last: server_error/);
      const asked = [...broken.requests.values()].reduce((a, b) => a + b, 0);
      assert.equal(asked, 3, "no request after the breaker tripped");
      assert.equal(r.summary.complete, false);
      assert.equal(r.summary.errors.not_generated, 9);
      assert.equal(r.summary.overall.n, 12);
      const healed = startFakeModel(answers());
      try {
        const resumed = await runSuite(engine, {
          ...request,
          endpoint: { url: healed.url },
          allowIdentityChange: true,
        });
        assert.equal(resumed.stopped, null);
        assert.equal(resumed.summary.complete, true);
        assert.equal(resumed.summary.overall.correct, 9);
      } finally {
        await healed.close();
      }
    } finally {
      await broken.close();
    }
  });
});

Deno.test("--limit and --ids run a subset, marked as one; unknown ids are refused", async () => {
  await withEngine(async (engine, runsDir) => {
    const predictions = { path: `${FIXTURES}math_mini_predictions.jsonl` };
    const limited = await runSuite(engine, {
      suite: "math_mini",
      runsDir,
      predictions,
      limit: 4,
      runId: "lim",
    });
    assert.equal(limited.summary.items, 4);
    assert.equal(limited.summary.suite_items, 12);
    assert.equal(limited.summary.complete, false);
    assert.deepEqual(limited.samples.map((s) => s.index), [0, 1, 2, 3]);
    const some = await runSuite(engine, {
      suite: "math_mini",
      runsDir,
      predictions,
      ids: ["3", "1"],
      runId: "ids",
    });
    assert.deepEqual(some.samples.map((s) => s.id), ["1", "3"]);
    // Without --run-id a subset gets a run of its own: the full run's results are never overwritten.
    const auto = await runSuite(engine, { suite: "math_mini", runsDir, predictions, limit: 2 });
    assert.match(auto.id, /-subset-[0-9a-f]{8}$/);
    const full = await runSuite(engine, { suite: "math_mini", runsDir, predictions });
    assert.notEqual(full.id, auto.id);
    assert.equal(full.summary.items, 12);
    assert.equal(full.summary.complete, true);
    await assert.rejects(
      runSuite(engine, { suite: "math_mini", runsDir, predictions, ids: ["1", "x"] }),
      /--ids: 1 ids are not items of the suite \("x"\)/,
    );
  });
});

Deno.test("CLI: generation flags checked by the schema; bench list; bench compare fixes", async () => {
  const runsDir = await Deno.makeTempDir({ prefix: "arbiter_manage_cli_" });
  try {
    const bad = await captured(() =>
      runBenchCli(["run", "math_mini", "--model-url", "http://127.0.0.1:9/v1", "--max-tokens", "1.5"])
    );
    assert.equal(bad.code, 1);
    assert.match(bad.err, /generation\/max_tokens: must be integer/);
    const lots = await captured(() =>
      runBenchCli(["run", "math_mini", "--predictions", "x", "--max-tokens", "lots"])
    );
    assert.match(lots.err, /--max-tokens: expected a number, got "lots"/);

    const preds = `${FIXTURES}math_mini_predictions.jsonl`;
    const base = ["--runs-dir", runsDir, "--workers", "1"];
    assert.equal(
      (await captured(() =>
        runBenchCli(["run", "math_mini", "--predictions", preds, "--run-id", "a", ...base])
      )).code,
      0,
    );
    // Run b: the same predictions with two answers changed.
    const lines = (await Deno.readTextFile(preds)).trim().split("\n").map((l) => JSON.parse(l));
    lines[0].response = "The answer is 999";
    lines[1].response = "The answer is 998";
    await Deno.writeTextFile(`${runsDir}/b.jsonl`, lines.map((l) => JSON.stringify(l)).join("\n"));
    assert.equal(
      (await captured(() =>
        runBenchCli(["run", "math_mini", "--predictions", `${runsDir}/b.jsonl`, "--run-id", "b", ...base])
      ))
        .code,
      0,
    );
    await captured(() =>
      runBenchCli([
        "run",
        "format_mini",
        "--predictions",
        `${FIXTURES}format_mini_predictions.jsonl`,
        "--run-id",
        "f",
        ...base,
      ])
    );
    const list = await captured(() => runBenchCli(["list", "--runs-dir", runsDir]));
    assert.match(list.out, /suites \(benchmarks\/suites\/\):/);
    assert.match(list.out, /\n {2}math_mini +v1 +math/);
    assert.match(list.out, /\n {2}a +complete +75\.0% of 12/);

    const compared = await captured(() => runBenchCli(["compare", "a", "b", "--runs-dir", runsDir]));
    assert.equal(compared.code, 0, compared.err);
    assert.match(compared.out, /on 12 paired items/);
    assert.match(
      compared.out,
      /McNemar \(exact, 2 discordant pairs\): a-only correct 2, b-only correct 0; p = 0\.5000/,
    );
    // The comparison page: overall and per category (math_mini's question_type), with intervals.
    const pagePath = /comparison page: (.+)/.exec(compared.out)![1];
    const page = await Deno.readTextFile(pagePath);
    assert.match(page, /<h2>b \(B\) vs a \(A\)<\/h2>/);
    assert.match(page, /On 12 paired items/);
    assert.match(page, /<h3>question_type<\/h3>/);
    assert.match(
      page,
      /<td>free_form \(small\)<\/td><td>9<\/td><td>88\.9%<\/td><td>66\.7%<\/td><td>-22\.2%<\/td><td>\[/,
    );
    // Three runs: each against the first.
    const three = await captured(() => runBenchCli(["compare", "a", "b", "a", "--runs-dir", runsDir]));
    assert.equal(three.code, 0);
    assert.equal((three.out.match(/^run b: /gm) ?? []).length, 2);
    const nothing = await captured(() => runBenchCli(["compare", "a", "f", "--runs-dir", runsDir]));
    assert.equal(nothing.code, 1);
    assert.match(nothing.err, /have no item in common: nothing to compare/);
  } finally {
    await Deno.remove(runsDir, { recursive: true });
  }
});

Deno.test("Ctrl-C stops new requests, reports what was generated and prints the resume command", async () => {
  const model = startFakeModel(answers(), 400);
  const runsDir = await Deno.makeTempDir({ prefix: "arbiter_sigint_" });
  try {
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        MAIN,
        "bench",
        "run",
        "math_mini",
        "--model-url",
        model.url,
        "--concurrency",
        "1",
        "--runs-dir",
        runsDir,
        "--workers",
        "1",
      ],
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    while ([...model.requests.values()].reduce((a, b) => a + b, 0) < 2) {
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill("SIGINT");
    const out = await child.output();
    const stderr = new TextDecoder().decode(out.stderr);
    const stdout = new TextDecoder().decode(out.stdout);
    assert.equal(out.code, 130, stderr);
    assert.match(stderr, /Interrupted: no new requests/);
    assert.match(
      stderr,
      /Resume with:\n {2}\S*deno task bench run math_mini --model-url http:\/\/127\.0\.0\.1:\d+\/v1 .*--run-id math_mini-fake-vlm-/,
    );
    assert.match(stdout, /status: INCOMPLETE/);
    assert.ok([...model.requests.values()].reduce((a, b) => a + b, 0) < 12);
  } finally {
    await model.close();
    await Deno.remove(runsDir, { recursive: true });
  }
});

Deno.test("HTTP: DELETE /v1/benchmarks/runs/:id cancels a run; it reports incomplete and resumes", async () => {
  const model = startFakeModel(answers(), 300);
  const engine = await createEngine(VERIFIERS, { workers: 1 });
  const runsDir = await Deno.makeTempDir({ prefix: "arbiter_cancel_" });
  const app = new Hono();
  app.route("/", benchmarkRoutes(engine, runsDir));
  app.onError(renderError);
  const controller = new AbortController();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, signal: controller.signal, onListen() {} },
    app.fetch,
  );
  const base = `http://127.0.0.1:${server.addr.port}/v1/benchmarks/runs`;
  const state = async (id: string) => await (await fetch(`${base}/${id}`)).json();
  try {
    const body = JSON.stringify({
      suite: "math_mini",
      model_url: model.url,
      run_id: "cancel-me",
      generation: { concurrency: 1 },
    });
    const started = await fetch(base, { method: "POST", body });
    assert.equal(started.status, 202);
    await started.body?.cancel();
    while ([...model.requests.values()].reduce((a, b) => a + b, 0) < 2) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const cancelled = await fetch(`${base}/cancel-me`, { method: "DELETE" });
    assert.equal(cancelled.status, 202);
    assert.equal((await cancelled.json()).status, "cancelling");
    let s = await state("cancel-me");
    while (s.status === "running") {
      await new Promise((r) => setTimeout(r, 50));
      s = await state("cancel-me");
    }
    assert.equal(s.status, "cancelled");
    assert.equal(s.results.status, "incomplete");
    assert.ok(s.results.summary.unanswered > 0);
    const again = await fetch(`${base}/cancel-me`, { method: "DELETE" });
    assert.equal(again.status, 409);
    await again.body?.cancel();
    const unknown = await fetch(`${base}/never-started`, { method: "DELETE" });
    assert.equal(unknown.status, 404);
    await unknown.body?.cancel();
    // Started again, the run resumes and completes.
    await (await fetch(base, { method: "POST", body })).body?.cancel();
    s = await state("cancel-me");
    while (s.status === "running") {
      await new Promise((r) => setTimeout(r, 50));
      s = await state("cancel-me");
    }
    assert.equal(s.status, "done", JSON.stringify(s));
    assert.equal(s.results.status, "complete");
    assert.equal(s.results.summary.overall.correct, 9);
  } finally {
    controller.abort();
    await server.finished;
    await engine.close();
    await model.close();
    await Deno.remove(runsDir, { recursive: true });
  }
});
