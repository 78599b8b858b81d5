/** Turns a sandbox job's end into a rendering or the item's verdict (DESIGN.md §2 reasons). */
import { ChildKind, Outcome, type PythonResult } from "../_python/mod.ts";
import type { CachedRender } from "./render_cache.ts";

/** A verdict that settles the item before the kernel. */
export interface ChartVerdict {
  reward: number;
  correct: boolean;
  details: Record<string, unknown> & { reason: string | null };
}

const SIGKILL = 9;
const SIGXCPU = 24;
const SIGXFSZ = 25;

function verdict(reason: string, problem: string, message?: string): ChartVerdict {
  const details: ChartVerdict["details"] = { reason, problem };
  if (message) details.message = message.slice(0, 300);
  return { reward: 0, correct: false, details };
}

/** The rendering, or the verdict that a failed job of the candidate's code deserves. */
export function classifyRender(result: PythonResult): CachedRender | ChartVerdict {
  if ("fault" in result) {
    if (result.fault === "deadline") return verdict("too_complex", "deadline", result.message);
    return verdict("render_failed", result.fault === "protocol" ? "malformed_output" : "renderer_exited");
  }
  const frame = result.frame;
  switch (frame.outcome) {
    case Outcome.Timeout:
      return verdict("too_complex", "deadline", "the code ran past its deadline");
    case Outcome.Crashed:
      if (frame.signal === SIGXCPU || frame.signal === SIGKILL) {
        return verdict("too_complex", "cpu_or_memory", `killed by signal ${frame.signal}`);
      }
      if (frame.signal === SIGXFSZ) {
        return verdict("too_complex", "file_size", "wrote past the file size limit");
      }
      return verdict("render_failed", "crashed", `killed by signal ${frame.signal}`);
    case Outcome.BadOutput:
      return verdict("render_failed", "malformed_output", "the rendering broke the sandbox's protocol");
  }
  switch (frame.kind) {
    case ChildKind.Ok:
      if (frame.pixels === null) return verdict("render_failed", "malformed_output");
      return { pixels: frame.pixels, trace: frame.trace };
    case ChildKind.Memory:
      return verdict("too_complex", "memory", frame.message);
    case ChildKind.TooLarge:
      return verdict("too_complex", "figure_too_large", frame.message);
    case ChildKind.NoFigure:
      return verdict("no_data_drawn", "no_figure", frame.message);
    case ChildKind.Syntax:
      return verdict("render_failed", "syntax_error", frame.message);
    case ChildKind.Blocked:
      return verdict("render_failed", "blocked", frame.message);
    default:
      return verdict("render_failed", "exception", frame.message);
  }
}
