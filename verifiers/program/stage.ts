/**
 * The `program` host stage. Program-of-thought: extract the program, run it once in the Python
 * sandbox with the item's deadline, and hand what it printed (or its answer variable) to `math`'s
 * kernel; a crash settles the item as `runtime_error`, exhaustion as `too_complex`. Unit tests: see
 * `tests.ts`. A sandbox that cannot start gives `sandbox_unavailable`; a batch budget that runs out
 * gives `overloaded`.
 */
import { budgetSignal, extractCode, type PythonPool, runProgram } from "../_python/mod.ts";
import type { StageItem, StageOutcome } from "../types.ts";
import { failureOf, runDetails, settle } from "./outcome.ts";
import { isTestsReference } from "./params.ts";
import { MAX_PROGRAM_CHARS } from "./schemas.ts";
import { runTests } from "./tests.ts";

const DEFAULT_VARIABLES = ["answer", "ans"];
const encoder = new TextEncoder();

/** The stage function over a pool (created on first use by `getPool`). */
export function createProgramStage(getPool: () => PythonPool) {
  return async function programStage(item: StageItem): Promise<StageOutcome> {
    const block = typeof item.options.block === "string" ? item.options.block : undefined;
    const extracted = extractCode(item.response, block);
    if (extracted === null || extracted.code.trim() === "") {
      return settle(
        "no_answer",
        "no_code",
        block ? `no fenced block named ${block}` : "the response holds no code",
      );
    }
    if (extracted.code.length > MAX_PROGRAM_CHARS) {
      return settle("too_complex", "code_too_long", `more than ${MAX_PROGRAM_CHARS} characters of code`);
    }
    let pool: PythonPool;
    try {
      pool = getPool();
    } catch (error) {
      return { error: { code: "sandbox_unavailable", message: (error as Error).message } };
    }
    const budget = budgetSignal(item.deadlineAt);
    try {
      if (isTestsReference(item.reference)) {
        return await runTests(pool, extracted, item.reference, item.timeoutMs, budget.signal);
      }
      const output = typeof item.options.output === "string" ? item.options.output : "auto";
      const variables = Array.isArray(item.options.variables)
        ? item.options.variables as string[]
        : DEFAULT_VARIABLES;
      const run = await runProgram(pool, {
        code: extracted.code,
        variables: output === "stdout" ? [] : variables,
        timeoutMs: item.timeoutMs,
      }, budget.signal);
      if (run.ended === "cancelled") {
        return {
          error: { code: "overloaded", message: "The batch's budget_ms ran out before this program ran" },
        };
      }
      const program = { extraction: extracted.extraction, ...runDetails(run) };
      const failure = failureOf(run);
      if (failure !== null) return settle(failure[0], failure[1], failure[2], { program });
      if (run.ended !== "finished") throw new Error("unreachable: a run without failure finished");
      const printed = run.stdout.trim() !== "";
      const graded = output === "stdout" || (output === "auto" && printed) ? "stdout" : "variable";
      const text = graded === "stdout" ? run.stdout : run.value;
      if (text === null || text.trim() === "") {
        return settle("no_answer", graded === "stdout" ? "no_output" : "no_variable", undefined, { program });
      }
      return { input: encoder.encode(text), details: { program: { ...program, graded } } };
    } catch (error) {
      return {
        error: {
          code: "sandbox_unavailable",
          message: `The program sandbox could not run: ${(error as Error).message}`,
        },
      };
    } finally {
      budget.clear();
    }
  };
}
