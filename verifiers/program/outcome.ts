/** How a program run settles an item when it did not finish cleanly (DESIGN.md §2 reasons). */
import { type ProgramRun, ProgramStatus } from "../_python/mod.ts";
import type { StageOutcome } from "../types.ts";

const SIGKILL = 9;
const SIGXCPU = 24;
const SIGXFSZ = 25;

/** A verdict that settles the item (reward 0), or a no-verdict. */
export type Settled = Exclude<StageOutcome, { input: Uint8Array }>;

const PROBLEMS: Record<ProgramStatus, string> = {
  [ProgramStatus.Ok]: "ok",
  [ProgramStatus.Exception]: "exception",
  [ProgramStatus.Exit]: "exit_status",
  [ProgramStatus.Syntax]: "syntax_error",
  [ProgramStatus.Memory]: "memory",
  [ProgramStatus.Blocked]: "blocked",
};

/** A reward-0 verdict with its reason, problem and message. */
export function settle(
  reason: string,
  problem: string,
  message?: string,
  extra: Record<string, unknown> = {},
) {
  const details: Record<string, unknown> & { reason: string } = { reason, problem, ...extra };
  if (message) details.message = message.slice(0, 500);
  return { verdict: { reward: 0, correct: false, details } };
}

/** Why a run failed as [reason, problem, message], or null when it finished with status 0. */
export function failureOf(run: ProgramRun): [string, string, string] | null {
  if (run.ended !== "finished") {
    if (run.ended === "deadline") return ["too_complex", "deadline", run.message];
    if (run.ended === "too_large") return ["runtime_error", "malformed_output", run.message];
    return ["runtime_error", run.ended, run.message];
  }
  if (run.stdoutTruncated) return ["too_complex", "output_too_large", "printed more than its output cap"];
  if (run.signal === SIGXCPU || run.signal === SIGKILL) {
    return ["too_complex", "cpu_or_memory", `killed by signal ${run.signal}`];
  }
  if (run.signal === SIGXFSZ) return ["too_complex", "file_size", "wrote past the file size limit"];
  if (run.signal !== 0) return ["runtime_error", "crashed", `killed by signal ${run.signal}`];
  if (run.status === ProgramStatus.Memory) return ["too_complex", "memory", run.error];
  if (run.status !== ProgramStatus.Ok) return ["runtime_error", PROBLEMS[run.status], run.error];
  if (run.exitCode !== 0) return ["runtime_error", "exit_status", `exited with status ${run.exitCode}`];
  return null;
}

/** What details say about a run: exit status, output (capped), and how long it took. */
export function runDetails(run: ProgramRun): Record<string, unknown> {
  if (run.ended !== "finished") return { ended: run.ended, ms: Math.round(run.ms) };
  const out: Record<string, unknown> = {
    exit_code: run.exitCode,
    stdout: run.stdout.slice(0, 2000),
    ms: Math.round(run.ms),
  };
  if (run.stdoutTruncated || run.stdout.length > 2000) out.stdout_truncated = true;
  if (run.stderr !== "") out.stderr = run.stderr.slice(-1000);
  if (run.signal !== 0) out.signal = run.signal;
  return out;
}
