/** Turns a sandbox job's end into a rendering or the item's verdict (DESIGN.md §2 reasons). */
import { Outcome, type PythonResult } from "../_python/mod.ts";
import { ChildKind, readRecord } from "./record.ts";
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

/** A render the batch's budget cancelled: no verdict (the item gets `overloaded`). */
export interface RenderCancelled {
  cancelled: string;
}

/** The rendering, or the verdict that a failed job of the candidate's code deserves. */
export function classifyRender(
  result: PythonResult,
  width: number,
  height: number,
): CachedRender | ChartVerdict | RenderCancelled {
  if ("fault" in result) {
    if (result.fault === "cancelled") return { cancelled: result.message };
    if (result.fault === "deadline") return verdict("too_complex", "deadline", result.message);
    return verdict("render_failed", result.fault === "protocol" ? "malformed_output" : "renderer_exited");
  }
  const frame = result.frame;
  if (frame.outcome === Outcome.Timeout) {
    return verdict("too_complex", "deadline", "the code ran past its deadline");
  }
  if (frame.outcome === Outcome.TooLarge) {
    return verdict("render_failed", "malformed_output", "the rendering broke the sandbox's protocol");
  }
  if (frame.signal !== 0) {
    if (frame.signal === SIGXCPU || frame.signal === SIGKILL) {
      return verdict("too_complex", "cpu_or_memory", `killed by signal ${frame.signal}`);
    }
    if (frame.signal === SIGXFSZ) {
      return verdict("too_complex", "file_size", "wrote past the file size limit");
    }
    return verdict("render_failed", "crashed", `killed by signal ${frame.signal}`);
  }
  const record = readRecord(frame.payload, width, height);
  if (record === null) {
    return verdict("render_failed", "malformed_output", "the rendering broke the sandbox's protocol");
  }
  switch (record.kind) {
    case ChildKind.Ok:
      if (record.pixels === null) return verdict("render_failed", "malformed_output");
      return { pixels: record.pixels, trace: record.trace };
    case ChildKind.Memory:
      return verdict("too_complex", "memory", record.message);
    case ChildKind.TooLarge:
      return verdict("too_complex", "figure_too_large", record.message);
    case ChildKind.NoFigure:
      return verdict("no_data_drawn", "no_figure", record.message);
    case ChildKind.Syntax:
      return verdict("render_failed", "syntax_error", record.message);
    case ChildKind.Blocked:
      return verdict("render_failed", "blocked", record.message);
    default:
      return verdict("render_failed", "exception", record.message);
  }
}
