/** The result of a composite-reward item: the combined reward, its range, and each leaf's result. */
import { type ErrorCode, roundMs, type VerifyResult } from "./result.ts";
import { combine, rangeOf, type SpecLeaf, type SpecNode } from "./spec.ts";

/** A caller error (or other no-verdict) for a spec item. */
export function specError(id: string | undefined, code: ErrorCode, message: string): VerifyResult {
  const result: VerifyResult = {
    spec: "inline",
    verifier: null,
    version: null,
    reward: null,
    correct: null,
    details: null,
    error: { code, message },
    ms: 0,
  };
  return id === undefined ? result : { id, ...result };
}

/**
 * Combines the leaves' results: a verdict with `details.range` (the spec's possible rewards, which
 * may go below 0 or above 1), or no verdict when a counted leaf has none. `components` lists every
 * leaf; leaves under a closed gate are marked `gated_out` and do not count.
 */
export function specResult(
  id: string | undefined,
  name: string,
  spec: SpecNode,
  leaves: SpecLeaf[],
  results: Map<string, VerifyResult>,
): VerifyResult {
  const outcome = combine(spec, results);
  let ms = 0;
  const components = leaves.map((leaf) => {
    const result = results.get(leaf.path)!;
    ms += result.ms;
    const plain = JSON.parse(JSON.stringify(result)) as VerifyResult;
    return outcome.gatedOut.has(leaf.path)
      ? { path: leaf.path, weight: leaf.weight, gated_out: true, ...plain }
      : { path: leaf.path, weight: leaf.weight, ...plain };
  });
  const head = id === undefined ? {} : { id };
  // No verdict: a counted leaf has none, or the weights' arithmetic is not finite (1e308 + 1e308).
  let error: VerifyResult["error"] = null;
  if (outcome.noVerdict) {
    const leafError = outcome.noVerdict.error!;
    const path = leaves.find((l) => results.get(l.path) === outcome.noVerdict)?.path ?? "spec";
    error = { code: leafError.code, message: `${path}: ${leafError.message}` };
  } else if (!Number.isFinite(outcome.reward)) {
    error = { code: "internal", message: `spec: its arithmetic gave ${outcome.reward}, not a finite reward` };
  }
  if (error) {
    const common = { spec: name, verifier: null, version: null, reward: null, correct: null, details: null };
    return { ...head, ...common, error, ms: roundMs(ms), components };
  }
  return {
    ...head,
    spec: name,
    verifier: null,
    version: null,
    reward: outcome.reward,
    correct: outcome.correct,
    details: { reason: outcome.correct ? null : outcome.reason, range: rangeOf(spec) },
    error: null,
    ms: roundMs(ms),
    components,
  };
}
