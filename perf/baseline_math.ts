/**
 * The floor for the `math` benchmark: a plain-TypeScript regex grader (last \boxed{…} without
 * nesting, strip spaces and LaTeX sizing, compare as numbers when both parse, else as strings),
 * building the engine's result objects. Fast and often wrong on fractions, sets and expressions:
 * that is the point of the comparison. Used only by `perf/`.
 */
import type { VerifyResult } from "../verifiers/mod.ts";

const BOXED = /\\boxed\{([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}/g;

function normalize(text: string): string {
  return text.replace(/\\left|\\right|\\!|\\,|\s|\$/g, "").replace(/\\dfrac|\\tfrac/g, "\\frac");
}

/** Grades items with regexes, one thread, in-process. */
export function gradeMathBaseline(items: { response: string; reference: string }[]): VerifyResult[] {
  return items.map(({ response, reference }) => {
    const started = performance.now();
    const matches = [...response.matchAll(BOXED)];
    const extracted = matches.length > 0 ? matches[matches.length - 1][1] : null;
    let correct = false;
    if (extracted !== null) {
      const a = normalize(extracted), b = normalize(reference);
      const x = Number(a), y = Number(b);
      correct = Number.isFinite(x) && Number.isFinite(y) && a !== "" && b !== ""
        ? Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(y))
        : a === b;
    }
    return {
      verifier: "math",
      version: "regex-baseline",
      reward: correct ? 1 : 0,
      correct,
      details: {
        reason: extracted === null ? "no_answer" : correct ? null : "wrong",
        extracted,
        extraction: "boxed",
        method: "string",
      },
      error: null,
      ms: performance.now() - started,
    };
  });
}
