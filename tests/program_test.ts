/**
 * The `program` verifier end to end over HTTP (the real server on a free port): program-of-thought
 * answers graded with `math`'s kernel and options, unit-test rewards, and every way a failing solution
 * could try to pass (exit 0, the expected text on stderr, SystemExit inside the harness, patching the
 * checker, forging the result record, reading the tests or the harness's secret): each must fail.
 */
import assert from "node:assert/strict";
import { ensureChartDeps } from "../scripts/ensure_deps.ts";
import { type RunningServer, startServer } from "./_server.ts";

await ensureChartDeps();
const opts = { sanitizeOps: false, sanitizeResources: false };

interface Result {
  reward: number | null;
  correct: boolean | null;
  details: Record<string, unknown> | null;
  error: { code: string; message: string } | null;
}

let server: RunningServer | null = null;

async function verify(items: Record<string, unknown>[]): Promise<Result[]> {
  server ??= await startServer();
  const res = await fetch(`${server.url}/v1/verify/batch`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ items: items.map((item) => ({ verifier: "program", ...item })) }),
  });
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()).results;
}

const fence = (code: string) => "```python\n" + code + "\n```";

Deno.test(
  "program of thought: printed output and answer variables graded by math (profile mathvista)",
  opts,
  async () => {
    const [printed, variable, mathvista, wrong, crash, exit3, nothing, noCode, loop, memory] = await verify([
      { response: fence("print(sum(range(1, 11)))"), reference: "55" },
      { response: fence("answer = 2 ** 10"), reference: 1024 },
      {
        // The program of MathVista's gpt4_2shot_code pid 3 (it prints 125.0), with a free-form reference.
        response: "def angle_BOC(angle_A):\n    angle_BOC = 180 - (angle_A / 2)\n    return angle_BOC\n\n" +
          "angle_A = 110\nprint(angle_BOC(angle_A))",
        reference: { answer: "125", question_type: "free_form", answer_type: "integer", precision: null },
        options: { profile: "mathvista" },
      },
      { response: fence("print(54)"), reference: "55" },
      { response: fence("x = [1, 2]\nprint(x[5])"), reference: "1" },
      { response: fence("import sys\nprint(55)\nsys.exit(3)"), reference: "55" },
      { response: fence("x = 55"), reference: "55" },
      { response: "   ", reference: "55" },
      { response: fence("while True:\n    pass"), reference: "1", options: { timeout_ms: 1000 } },
      { response: fence("x = bytearray(10 * 1024 ** 3)"), reference: "1" },
    ]);
    assert.equal(printed.reward, 1, JSON.stringify(printed));
    assert.deepEqual((printed.details!.program as Record<string, unknown>).graded, "stdout");
    assert.equal((printed.details!.program as Record<string, unknown>).exit_code, 0);
    assert.equal(variable.reward, 1, JSON.stringify(variable));
    assert.equal((variable.details!.program as Record<string, unknown>).graded, "variable");
    assert.equal(mathvista.reward, 1, JSON.stringify(mathvista));
    assert.equal(mathvista.details!.prediction, "125");
    assert.equal(wrong.reward, 0);
    assert.equal(wrong.details!.reason, "wrong");
    assert.equal(crash.details!.reason, "runtime_error");
    assert.match(String(crash.details!.message), /IndexError/);
    assert.equal(exit3.details!.reason, "runtime_error", "printing the answer and then failing is a crash");
    assert.equal(exit3.details!.problem, "exit_status");
    assert.equal(nothing.details!.reason, "no_answer");
    assert.equal(noCode.details!.reason, "no_answer");
    assert.equal(loop.details!.reason, "too_complex");
    assert.equal(memory.details!.reason, "too_complex");
    for (const r of [printed, variable, mathvista, wrong, crash, exit3, nothing, noCode, loop, memory]) {
      assert.equal(r.error, null, JSON.stringify(r));
    }
  },
);

Deno.test("program: a named fence, output: stdout, and custom variables", opts, async () => {
  const response =
    "First a sketch:\n```python draft\nprint(1)\n```\nThen:\n```python solution\nresult = 6 * 7\n```\n" +
    "```python\nprint('not this one')\n```";
  const [named, missing, vars] = await verify([
    { response, reference: "42", options: { block: "solution", variables: ["result"] } },
    { response, reference: "42", options: { block: "final" } },
    {
      response: fence("print('hello')\nresult = 42"),
      reference: "42",
      options: { output: "variable", variables: ["result"] },
    },
  ]);
  assert.equal(named.reward, 1, JSON.stringify(named));
  assert.equal((named.details!.program as Record<string, unknown>).extraction, "named_fence");
  assert.equal(missing.details!.reason, "no_answer");
  assert.equal(vars.reward, 1, JSON.stringify(vars));
});

const sumTests = {
  tests: [
    { stdin: "2 3\n", stdout: "5" },
    { stdin: "10 -4\n", stdout: "6" },
    { stdin: "0 0\n", stdout: "0" },
    { stdin: "-7 -8\n", stdout: "-15" },
  ],
};
const correctSum = "a, b = map(int, input().split())\nprint(a + b)";

Deno.test("unit tests: fraction, all-or-nothing, compare modes, entry points", opts, async () => {
  const [all, half, strict, float, exact, tokens, humaneval, missingEntry, syntax] = await verify([
    { response: fence(correctSum), reference: sumTests },
    { response: fence("a, b = map(int, input().split())\nprint(abs(a) + abs(b))"), reference: sumTests },
    {
      response: fence("a, b = map(int, input().split())\nprint(abs(a) + abs(b))"),
      reference: { ...sumTests, partial: "all_or_nothing" },
    },
    {
      response: fence("print(1 / 3)"),
      reference: { tests: [{ stdout: "0.3333333333" }], compare: "float" },
    },
    { response: fence("print('a  b')"), reference: { tests: [{ stdout: "a b" }], compare: "exact" } },
    { response: fence("print('a  b')"), reference: { tests: [{ stdout: "a b" }] } },
    {
      response: fence("def add(a, b):\n    return a + b"),
      reference: {
        tests: [{
          assert:
            "def check(candidate):\n    assert candidate(2, 3) == 5\n    assert candidate(-1, 1) == 0\n",
        }],
        entry_point: "add",
      },
    },
    {
      response: fence("def plus(a, b):\n    return a + b"),
      reference: { tests: [{ assert: "pass" }], entry_point: "add" },
    },
    {
      response: fence("def add(a, b) return a + b"),
      reference: { tests: [{ assert: "assert add(1, 2) == 3" }] },
    },
  ]);
  assert.equal(all.reward, 1, JSON.stringify(all));
  assert.equal(all.details!.reason, null);
  assert.equal(half.reward, 0.5, JSON.stringify(half));
  assert.equal(half.details!.reason, "tests_failed");
  assert.equal(strict.reward, 0);
  assert.equal(strict.details!.reason, "tests_failed");
  assert.equal(float.reward, 1, JSON.stringify(float));
  assert.equal(exact.reward, 0, "exact compares spacing");
  assert.equal(tokens.reward, 1, "tokens ignores spacing");
  assert.equal(humaneval.reward, 1, JSON.stringify(humaneval));
  assert.equal(missingEntry.reward, 0);
  assert.equal(syntax.details!.reason, "runtime_error");
});

/** Solutions that do not compute a + b but try to pass the tests anyway. */
const cheats: [string, string, unknown][] = [
  ["exit 0 before printing (stdout test)", "import os\nos._exit(0)", sumTests],
  ["sys.exit(0) before printing (stdout test)", "import sys\nsys.exit(0)", sumTests],
  [
    "the expected text on stderr",
    "import sys\na, b = map(int, input().split())\nprint(a + b, file=sys.stderr)",
    sumTests,
  ],
  [
    "printing the answer then crashing",
    "a, b = map(int, input().split())\nprint(a + b)\nraise SystemExit(1)",
    sumTests,
  ],
  ["exit 0 inside the function under test", "import os\ndef add(a, b):\n    os._exit(0)", {
    tests: [{ assert: "assert add(2, 3) == 5" }],
  }],
  ["exit 0 at import (assert test)", "import os\nos._exit(0)\ndef add(a, b):\n    return 0", {
    tests: [{ assert: "assert add(2, 3) == 5" }],
  }],
  ["SystemExit(0) inside the harness", "def add(a, b):\n    raise SystemExit(0)", {
    tests: [{ assert: "assert add(2, 3) == 5" }],
  }],
  ["KeyboardInterrupt inside the harness", "def add(a, b):\n    raise KeyboardInterrupt", {
    tests: [{ assert: "assert add(2, 3) == 5" }],
  }],
  [
    "monkeypatching the checker (builtins, os.write, os._exit, the handler module)",
    [
      "import builtins, os, sys",
      "builtins.AssertionError = type('Nope', (Exception,), {})",
      "real_write = os.write",
      "os.write = lambda fd, data: real_write(fd, b'PASS' + bytes(16))",
      "os._exit = lambda code: None",
      "for name, module in list(sys.modules.items()):",
      "    if 'program_job' in name:",
      "        module.check = lambda *a: (1, b'')",
      "        module.record = lambda *a: b'PASS' + bytes(16)",
      "def add(a, b):",
      "    return 0",
    ].join("\n"),
    { tests: [{ assert: "assert add(2, 3) == 5" }] },
  ],
  [
    "forging a PASS record on every descriptor",
    [
      "import os",
      "for fd in range(3, 64):",
      "    try:",
      "        os.write(fd, b'PASS' + bytes(16))",
      "    except OSError:",
      "        pass",
      "os._exit(0)",
    ].join("\n"),
    { tests: [{ assert: "assert add(2, 3) == 5" }] },
  ],
  [
    "reading the harness's secret through frames, tracebacks, gc, tracing and signal handlers",
    [
      "import sys, signal",
      "stolen = []",
      "def grab(frame):",
      "    while frame is not None:",
      "        for v in frame.f_locals.values():",
      "            if isinstance(v, bytes) and v.startswith(b'PASS'):",
      "                stolen.append(v)",
      "        frame = frame.f_back",
      "def from_traceback():",
      "    try:",
      "        raise ValueError",
      "    except ValueError as e:",
      "        grab(e.__traceback__.tb_frame)",
      "for attempt in (",
      "    lambda: grab(sys._getframe()),",
      "    from_traceback,",
      "    lambda: __import__('gc').get_objects(),",
      "    lambda: sys.settrace(lambda f, e, a: grab(f)),",
      "    lambda: signal.signal(signal.SIGUSR1, lambda s, f: grab(f)),",
      "    lambda: open('/proc/self/mem', 'rb'),",
      "):",
      "    try:",
      "        attempt()",
      "    except BaseException:",
      "        pass",
      "def add(a, b):",
      "    if stolen:",
      "        import os",
      "        for fd in range(3, 64):",
      "            try:",
      "                os.write(fd, stolen[0])",
      "            except OSError:",
      "                pass",
      "        os._exit(0)",
      "    return 0",
    ].join("\n"),
    { tests: [{ assert: "assert add(2, 3) == 5" }] },
  ],
  [
    "reading the tests from disk and from the zygote",
    [
      "import os",
      "found = []",
      "for root in ('/tmp', '/dev/shm', '/opt', '/proc/2', '/proc/1'):",
      "    for d, _, files in os.walk(root):",
      "        for f in files:",
      "            try:",
      "                with open(os.path.join(d, f), 'rb') as fh:",
      "                    if ('SECRET-' + str(7319)).encode() in fh.read(1 << 20):",
      "                        found.append(os.path.join(d, f))",
      "            except OSError:",
      "                pass",
      "print('SECRET-' + str(7319) if found else 'nothing found')",
    ].join("\n"),
    { tests: [{ stdin: "", stdout: "SECRET-7319" }] },
  ],
];

Deno.test("unit tests: a failing solution never passes by cheating", opts, async (t) => {
  const results = await verify(cheats.map(([, code, reference]) => ({ response: fence(code), reference })));
  for (const [i, [title]] of cheats.entries()) {
    await t.step(title, () => {
      const r = results[i];
      assert.equal(r.error, null, JSON.stringify(r));
      assert.equal(r.reward, 0, JSON.stringify(r));
      assert.equal(r.correct, false);
      assert.ok(["tests_failed", "runtime_error"].includes(String(r.details!.reason)), JSON.stringify(r));
    });
  }
  // The same harness passes an honest solution right after (nothing was poisoned).
  const [honest] = await verify([{ response: fence(correctSum), reference: sumTests }]);
  assert.equal(honest.reward, 1);
});

Deno.test("program: references and options are checked (caller errors, no verdict)", opts, async () => {
  const results = await verify([
    { response: fence("print(1)"), reference: { answer: "1", tests: "not a list" } },
    { response: fence("print(1)"), reference: { tests: [] } },
    { response: fence("print(1)"), reference: { tests: [{ stdin: "1" }] } },
    {
      response: fence("print(1)"),
      reference: { tests: [{ assert: "pass" }], entry_point: "not an identifier" },
    },
    { response: fence("print(1)"), reference: "1", options: { output: "stderr" } },
    { response: fence("print(1)"), reference: "1", options: { variables: ["1x"] } },
  ]);
  for (const r of results) {
    assert.equal(r.error?.code, "invalid_request", JSON.stringify(r));
    assert.equal(r.reward, null);
  }
});

Deno.test("program: budget_ms cancels queued programs with overloaded, never a verdict", opts, async () => {
  server ??= await startServer();
  const items = Array.from({ length: 16 }, (_, i) => ({
    verifier: "program",
    response: fence(`import time\ntime.sleep(1.5)\nprint(${i})`),
    reference: String(i),
  }));
  const started = performance.now();
  const res = await fetch(`${server.url}/v1/verify/batch`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ items, budget_ms: 1000 }),
  });
  const { results } = await res.json() as { results: Result[] };
  const ms = performance.now() - started;
  assert.ok(ms < 3000, `answered after ${Math.round(ms)} ms`);
  assert.ok(
    results.every((r) => r.error?.code === "overloaded"),
    JSON.stringify(results.map((r) => r.error)),
  );
});

Deno.test("program: the server stops cleanly", opts, async () => {
  if (server) {
    const status = await server.stop();
    assert.equal(status.code, 0);
    server = null;
  }
});
