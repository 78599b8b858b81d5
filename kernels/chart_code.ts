// The `chart_code` verifier kernel: compares a candidate chart's rendering and trace with the
// reference's. The host stage (verifiers/chart_code/stage.ts) renders both in the sandbox and sends
// their pixels and traces here; see verifiers/chart_code/README.md for the metrics and the weights.

import { emit, itemLen, itemPtr } from "./_abi";
import { readChartInput } from "./_chart_input";
import { readChartParams, scoreCharts } from "./_chart_score";
import { readTrace } from "./_chart_trace";
import { parseParams } from "./_json";
import { beginResult, finishResult } from "./_result";
import { indexOfByte } from "./_text";

export { input, output_len } from "./_abi";

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
  const ptr = itemPtr();
  const len = itemLen();
  const sep = indexOfByte(ptr, len, 0, 0);
  if (sep < 0) return failure("parse_error", "no_parameters");
  const p = readChartParams(parseParams(ptr, sep));
  const input = readChartInput(ptr, sep + 1, len);
  if (input === null) return failure("render_failed", "malformed_rendering");
  const cand = readTrace(input.candTrace, input.candTraceLen);
  if (cand === null) return failure("render_failed", "unreadable_trace");
  let ref = input.refHasTrace ? readTrace(input.refTrace, input.refTraceLen) : null;
  if (input.refHasTrace && ref === null) return failure("render_failed", "unreadable_reference_trace");
  return scoreCharts(p, input, cand, ref);
}
