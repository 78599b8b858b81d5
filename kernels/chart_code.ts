// The `chart_code` verifier kernel: compares a candidate chart's rendering and trace with the
// reference's. The host stage (verifiers/chart_code/stage.ts) renders both in the sandbox and sends
// their pixels and traces here; see verifiers/chart_code/README.md for the metrics and the weights.

import { emit } from "./_lib/abi";
import { readChartInput } from "./chart_code/input";
import { readChartParams, scoreCharts } from "./chart_code/score";
import { readTrace } from "./chart_code/trace";
import { badParameters, readItem, readParams } from "./_lib/item";
import { beginResult, finishResult } from "./_lib/result";

export { input, output_len } from "./_lib/abi";

/** Scores the current item (parameters, 0x00, the stage's bytes) and returns the result JSON. */
export function score(): usize {
  return emit(scoreItem());
}

function failure(reason: string, problem: string): ArrayBuffer {
  const w = beginResult(0, false, reason);
  w.key("problem").str(problem);
  return finishResult(w);
}

function scoreItem(): ArrayBuffer {
  const item = readItem();
  if (item === null) return badParameters(null);
  const params = readParams(item);
  if (params === null) return badParameters(item);
  const p = readChartParams(params!);
  const input = readChartInput(item.ptr, item.start, item.end);
  if (input === null) return failure("render_failed", "malformed_rendering");
  const cand = readTrace(input.candTrace, input.candTraceLen);
  if (cand === null) return failure("render_failed", "unreadable_trace");
  let ref = input.refHasTrace ? readTrace(input.refTrace, input.refTraceLen) : null;
  if (input.refHasTrace && ref === null) return failure("render_failed", "unreadable_reference_trace");
  return scoreCharts(p, input, cand, ref);
}
