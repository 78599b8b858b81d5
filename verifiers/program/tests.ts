/**
 * Unit-test rewards: each test runs the program in a fresh process forked from the warm zygote, with
 * its own deadline. A stdin/stdout test is compared by the zygote, outside the program's process (the
 * expected output reaches the sandbox only after the program's process exists, and never enters it);
 * an assert test passes only when the harness ran the test to its end (the zygote checks a secret the
 * program cannot read). The reward is the fraction passed, or all-or-nothing (which stops at the first
 * failure). A program that does not compile fails every test: `runtime_error`.
 */
import type { ExtractedCode, ProgramRun, ProgramTest, PythonPool } from "../_python/mod.ts";
import { runProgram } from "../_python/mod.ts";
import type { StageOutcome } from "../types.ts";
import { failureOf, runDetails } from "./outcome.ts";
import type { TestsReference } from "./params.ts";

/** What details say about one test. */
interface TestResult {
  passed: boolean;
  problem?: string;
  message?: string;
}

function testOf(reference: TestsReference, index: number): { test: ProgramTest; stdin?: string } {
  const test = reference.tests[index];
  if ("assert" in test) {
    return { test: { mode: "assert", source: test.assert, entryPoint: reference.entry_point } };
  }
  return {
    test: { mode: "stdout", stdout: test.stdout, compare: reference.compare ?? "tokens" },
    stdin: test.stdin ?? "",
  };
}

function resultOf(run: ProgramRun, mode: ProgramTest["mode"]): TestResult {
  if (run.ended === "finished" && run.passed === true) return { passed: true };
  const failure = failureOf(run);
  if (failure !== null) return { passed: false, problem: failure[1], message: failure[2].slice(0, 300) };
  return { passed: false, problem: mode === "stdout" ? "wrong_output" : "assert_failed" };
}

/** Runs every test of the reference against the program; the item's verdict or a no-verdict. */
export async function runTests(
  pool: PythonPool,
  program: ExtractedCode,
  reference: TestsReference,
  timeoutMs: number,
  budget: AbortSignal,
): Promise<StageOutcome> {
  const allOrNothing = reference.partial === "all_or_nothing";
  // All-or-nothing stops at the first failure: the remaining tests are cancelled, not run.
  const stop = new AbortController();
  const signal = AbortSignal.any([budget, stop.signal]);
  const runs = await Promise.all(reference.tests.map(async (_, index) => {
    const { test, stdin } = testOf(reference, index);
    // Room for the expected output and then some: a longer output is a failure, stopped at the cap.
    const stdoutBytes = test.mode === "stdout"
      ? Math.max(64 << 10, 2 * test.stdout.length + 1024)
      : undefined;
    const run = await runProgram(pool, { code: program.code, stdin, test, timeoutMs, stdoutBytes }, signal);
    if (allOrNothing && !(run.ended === "finished" && run.passed === true)) stop.abort();
    return { run, mode: test.mode };
  }));
  if (budget.aborted && runs.some(({ run }) => run.ended === "cancelled")) {
    return { error: { code: "overloaded", message: "The batch's budget_ms ran out before every test ran" } };
  }
  const results = runs.map(({ run, mode }) => run.ended === "cancelled" ? null : resultOf(run, mode));
  const ran = results.filter((r): r is TestResult => r !== null);
  const passed = ran.filter((r) => r.passed).length;
  const total = reference.tests.length;
  const all = passed === total;
  const reward = all ? 1 : allOrNothing ? 0 : passed / total;
  const syntax = ran.length > 0 && ran.every((r) => r.problem === "syntax_error");
  const details: Record<string, unknown> & { reason: string | null } = {
    reason: all ? null : syntax ? "runtime_error" : "tests_failed",
    passed,
    total,
    tests: results.map((r) => r ?? { passed: false, problem: "not_run" }),
    program: { extraction: program.extraction, ...runDetails(runs[0].run) },
  };
  return { verdict: { reward, correct: all, details } };
}
