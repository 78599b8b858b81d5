/**
 * `mathvista_testmini`'s run option `execute_code` (issue #15 pt 4) end to end: a code run's raw
 * responses are executed in the sandbox (`program` verifier, profile mathvista) instead of read by
 * `math`'s extraction, from the library, the CLI (`main.ts bench run … --option execute_code`) and
 * the real server over HTTP. Predictions: fixtures/bench/mathvista_code_predictions.jsonl, a
 * project-made sample over fixtures/bench/mathvista/testmini.json (MathVista's schema).
 */
import assert from "node:assert/strict";
import { createEngine, VERIFIERS } from "../verifiers/mod.ts";
import { parseSuite } from "../benchmarks/suite/mod.ts";
import { runSuite, SuiteError } from "../benchmarks/mod.ts";
import { startServer } from "./_server.ts";

const FIXTURES = new URL("../fixtures/bench/", import.meta.url).pathname;
const DATA = `${FIXTURES}mathvista/testmini.json`;
const DATA_SHA256 = "e381c0e3f13c690b8d40972a7ab5292c7bca5dce31397ecf870bcc5a1304c77b";
const PREDICTIONS = `${FIXTURES}mathvista_code_predictions.jsonl`;
const MAIN = new URL("../main.ts", import.meta.url).pathname;

/** Per item: verdict, reason (null when right), and why. */
const EXPECTED: Record<string, { correct: boolean | null; reason: string | null }> = {
  "1": { correct: true, reason: null }, // a python fence in prose prints 48
  "2": { correct: true, reason: null }, // prints 60: the nearest option is 60°
  "3": { correct: false, reason: "wrong" }, // prints 3.5 (GPT's extraction "2.5" is ignored)
  "4": { correct: false, reason: "runtime_error" }, // NameError
  "5": { correct: false, reason: "too_complex" }, // an endless loop, past the 3 s deadline
  "6": { correct: false, reason: "no_answer" }, // prints nothing, no answer variable
  "7": { correct: true, reason: null }, // prints nothing, but answer = 42
  "8": { correct: null, reason: null }, // no prediction: missing_prediction, counted wrong
};

type Verdicts = Record<string, { correct: boolean | null; reason: string | null }>;

function verdictsOf(samples: { id: string; correct: boolean | null; reason: string | null }[]): Verdicts {
  return Object.fromEntries(samples.map((s) => [s.id, { correct: s.correct, reason: s.reason }]));
}

/** The checks every entry point's results must pass: per-item verdicts, headline 3/8, the option named. */
function checkResults(
  summary: {
    items: number;
    verdicts: number;
    overall: { correct: number; n: number; mean: number };
    answered: { correct: number; n: number };
    errors: Record<string, number>;
  },
  options: unknown,
): void {
  assert.equal(summary.items, 8);
  assert.equal(summary.verdicts, 7, "a failed program is a verdict, never dropped");
  assert.equal(summary.overall.correct, 3);
  assert.equal(summary.overall.n, 8);
  assert.equal(summary.overall.mean, 3 / 8);
  assert.deepEqual([summary.answered.correct, summary.answered.n], [3, 7]);
  assert.deepEqual(summary.errors, { missing_prediction: 1 });
  const named = options as { name: string; description: string }[];
  assert.deepEqual(named.map((o) => o.name), ["execute_code"]);
  assert.match(named[0].description, /executed as a Python program/);
  assert.match(named[0].description, /not MathVista's official procedure/);
}

Deno.test("execute_code: each program runs; right, wrong, crash, endless loop, no output, answer variable", async () => {
  const runsDir = await Deno.makeTempDir({ prefix: "arbiter_exec_" });
  const engine = await createEngine(VERIFIERS, { workers: 1 });
  try {
    const request = {
      suite: "mathvista_testmini",
      dataPath: DATA,
      dataSha256: DATA_SHA256,
      predictions: { path: PREDICTIONS },
      runsDir,
    };
    const executed = await runSuite(engine, { ...request, options: { execute_code: true } });
    const verdicts = verdictsOf(executed.samples);
    for (const [id, want] of Object.entries(EXPECTED)) assert.deepEqual(verdicts[id], want, `item ${id}`);
    const results = JSON.parse(await Deno.readTextFile(executed.paths.results));
    checkResults(executed.summary, results.options);
    assert.equal(executed.meta.suite.scoring.verifier, "program");
    // program grades with math's kernel: a new math version re-scores the journaled verdicts too
    assert.deepEqual(Object.keys(results.provenance.verifiers), ["math", "program"]);
    assert.equal(executed.id.startsWith("mathvista_testmini-execute_code-predictions-"), true);
    const byId = new Map(executed.samples.map((s) => [s.id, s]));
    assert.equal(byId.get("8")!.error?.code, "missing_prediction");
    // What each program did is in its details; the response, not the given extraction, was scored.
    const program = (id: string) => byId.get(id)!.details?.program as Record<string, unknown>;
    assert.equal(program("1").extraction, "python_fence");
    assert.equal((program("2").stdout as string).trim(), "60");
    assert.equal(byId.get("2")!.details?.prediction, "60°");
    assert.equal((program("3").stdout as string).trim(), "3.5");
    assert.equal(byId.get("3")!.scored, "response");
    assert.match(program("4").stderr as string, /NameError/);
    assert.equal(byId.get("5")!.details?.problem, "deadline");
    assert.equal(byId.get("6")!.details?.problem, "no_variable");
    assert.equal(program("7").graded, "variable");
    const report = await Deno.readTextFile(executed.paths.report);
    assert.match(
      report,
      /id="options-banner"[^>]*>Scored with run option execute_code: Each response was executed/,
    );

    // Without the option the same predictions are scored as published: GPT's extraction, where given.
    const official = await runSuite(engine, request);
    assert.notEqual(official.id, executed.id, "the executed run is a run of its own");
    const plain = verdictsOf(official.samples);
    assert.deepEqual([plain["3"].correct, plain["4"].correct, plain["5"].correct], [true, true, true]);
    assert.equal(official.meta.options, undefined);
    const officialResults = JSON.parse(await Deno.readTextFile(official.paths.results));
    assert.equal(officialResults.options, undefined);
    assert.doesNotMatch(await Deno.readTextFile(official.paths.report), /options-banner/);

    // An option the suite lacks, or one that is not a boolean, is refused before anything runs.
    await assert.rejects(
      () => runSuite(engine, { ...request, options: { execute: true } }),
      (e) =>
        e instanceof SuiteError && /has no option "execute" \(its options: execute_code\)/.test(e.message),
    );
    await assert.rejects(
      () => runSuite(engine, { ...request, options: { execute_code: "yes" as unknown as boolean } }),
      /options.execute_code: expected true or false/,
    );
  } finally {
    await engine.close();
    await Deno.remove(runsDir, { recursive: true });
  }
});

Deno.test("run_options: a merged scoring the suite schema refuses is an invalid suite; names are checked", () => {
  const suite = (runOptions: string) =>
    `name: s\nversion: "1"\ndataset: {format: jsonl, path: d.jsonl, sha256: "${"0".repeat(64)}"}\n` +
    `prompt: {version: "1", template: "{{q}}"}\nscoring: {verifier: math, reference: a}\n${runOptions}`;
  assert.throws(
    () =>
      parseSuite(suite("run_options:\n  x:\n    description: d\n    scoring: {threshold: 2}\n"), "s.yaml"),
    /run_options\/x\/scoring\/threshold \(merged with scoring\): must be <= 1/,
  );
  assert.throws(
    () =>
      parseSuite(suite("run_options:\n  x:\n    description: d\n    scoring: {verifier: null}\n"), "s.yaml"),
    /run_options\/x\/scoring/,
  );
  assert.throws(
    () => parseSuite(suite("run_options:\n  Bad-Name:\n    description: d\n    scoring: {}\n"), "s.yaml"),
    /run_options/,
  );
  const ok = parseSuite(
    suite(
      "run_options:\n  x:\n    description: d\n    scoring: {verifier: program, options: {timeout_ms: 5}}\n",
    ),
    "s.yaml",
  );
  assert.equal(ok.spec.run_options?.x.description, "d");
});

async function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", MAIN, "bench", ...args],
    env: { NO_COLOR: "1", ARBITER_WORKERS: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
}

Deno.test("execute_code from the command line: bench run … --option execute_code", async () => {
  const runsDir = await Deno.makeTempDir({ prefix: "arbiter_exec_cli_" });
  try {
    const common = [
      "run",
      "mathvista_testmini",
      "--data",
      DATA,
      "--data-sha256",
      DATA_SHA256,
      "--predictions",
      PREDICTIONS,
      "--runs-dir",
      runsDir,
      "--workers",
      "1",
    ];
    const run = await runCli([...common, "--option", "execute_code"]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^run: mathvista_testmini-execute_code-predictions-/m);
    assert.match(run.stdout, /^run option execute_code: Each response was executed as a Python program/m);
    assert.match(run.stdout, /^accuracy: 37\.5% \(3\/8\)/m);
    const id = /^run: (\S+)/m.exec(run.stdout)![1];
    const results = JSON.parse(await Deno.readTextFile(`${runsDir}/${id}/results.json`));
    checkResults(results.summary, results.options);
    assert.equal(results.status, "incomplete", "item 8 has no prediction");
    const samples = (await Deno.readTextFile(`${runsDir}/${id}/samples.jsonl`)).trim().split("\n").map((l) =>
      JSON.parse(l)
    );
    assert.deepEqual(verdictsOf(samples), EXPECTED);
    // `bench report` re-scores with the run's options (they are kept with the run).
    const report = await runCli(["report", id, "--runs-dir", runsDir, "--workers", "1"]);
    assert.equal(report.code, 0, report.stderr);
    assert.match(report.stdout, /^run option execute_code:/m);
    assert.match(report.stdout, /^accuracy: 37\.5% \(3\/8\)/m);

    const list = await runCli(["list", "--runs-dir", runsDir]);
    assert.match(list.stdout, /^ {2}mathvista_testmini .*\[run options: execute_code\]$/m);
    assert.match(list.stdout, new RegExp(`^ {2}${id} +incomplete +37\\.5% of 8`, "m"));

    const unknown = await runCli([...common, "--option", "execute"]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /has no option "execute" \(its options: execute_code\)/);
    const malformed = await runCli([...common, "--option", "execute_code=maybe"]);
    assert.equal(malformed.code, 1);
    assert.match(malformed.stderr, /--option: expected NAME or NAME=true or NAME=false/);
  } finally {
    await Deno.remove(runsDir, { recursive: true });
  }
});

Deno.test("execute_code over HTTP: POST /v1/benchmarks/runs with options, then the results", async () => {
  const runsDir = await Deno.makeTempDir({ prefix: "arbiter_exec_http_" });
  const server = await startServer({
    ARBITER_RUNS_DIR: runsDir,
    ARBITER_DATA_ROOTS: FIXTURES.replace(/\/$/, ""),
    ARBITER_WORKERS: "1",
  });
  try {
    const body = {
      suite: "mathvista_testmini",
      data: DATA,
      data_sha256: DATA_SHA256,
      predictions: PREDICTIONS,
    };
    const post = (extra: Record<string, unknown>) =>
      fetch(`${server.url}/v1/benchmarks/runs`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ...body, ...extra }),
      });
    for (
      const [options, message] of [
        [{ execute: true }, /has no option "execute"/],
        [{ execute_code: "yes" }, /options/],
      ] as const
    ) {
      const refused = await post({ options });
      assert.equal(refused.status, 400);
      const error = (await refused.json()).error;
      assert.equal(error.code, "invalid_request");
      assert.match(error.message, message);
    }
    const started = await post({ options: { execute_code: true }, run_id: "exec-http" });
    assert.equal(started.status, 202, await started.clone().text());
    await started.body?.cancel();
    let state: Record<string, unknown> = {};
    for (let i = 0; i < 600; i++) {
      state = await (await fetch(`${server.url}/v1/benchmarks/runs/exec-http`)).json();
      if (state.status !== "running") break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(state.status, "done", JSON.stringify(state));
    const results = state.results as { summary: Parameters<typeof checkResults>[0]; options: unknown };
    checkResults(results.summary, results.options);
    const report = await fetch(`${server.url}/v1/benchmarks/runs/exec-http/report`);
    assert.match(await report.text(), /Scored with run option execute_code/);
    const samples = (await Deno.readTextFile(`${runsDir}/exec-http/samples.jsonl`)).trim().split("\n").map((
      l,
    ) => JSON.parse(l));
    assert.deepEqual(verdictsOf(samples), EXPECTED);
  } finally {
    await server.stop();
    await Deno.remove(runsDir, { recursive: true });
  }
});
