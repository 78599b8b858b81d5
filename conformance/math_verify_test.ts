/**
 * Conformance with Hugging Face Math-Verify's own test cases (../shared/conformance/math-verify).
 * Each case's `config` maps onto our options by one rule (`optionsFor`); the agreement must reach 97%.
 */
import assert from "node:assert/strict";
import { compileKernel, KernelInstance, type KernelOutput, scoreInProcess } from "../wasm/mod.ts";
import { mathVerifier } from "../verifiers/math/mod.ts";
import { readJsonl } from "./_data.ts";

interface Case {
  gold: string | null;
  pred: string;
  expected: boolean | string[] | { assert: string };
  source: string;
  config: Record<string, unknown>;
}

const kernel = new KernelInstance(
  compileKernel(Deno.readFileSync(new URL("../wasm/math.wasm", import.meta.url))),
);

/**
 * The one mapping rule from a case's Math-Verify configuration to our options:
 * - extractors: `match_types` (latex, expr) or the `extraction_config` list (Latex/ExprExtractionConfig),
 *   defaulting to both as `parse()` does;
 * - Math-Verify's pattern priorities become our rule groups (lower first; equal priorities form one
 *   group where the match ending last wins): "final answer is" 0, boxed its `boxed_match_priority`
 *   (−1: off; 50 by default), "answer:"/"answer is" 100, the last LaTeX block (latex) and the last
 *   number (expr) 300;
 * - the gold goes through the same extraction (`extract_reference`), as Math-Verify parses both sides;
 * - `precision`/`float_rounding` → `precision`, `strict` → `strict`,
 *   `normalization_config.malformed_operators` → `latex_shorthand`.
 */
export function optionsFor(config: Record<string, unknown>): Record<string, unknown> {
  let latex = true, expr = true, boxedPriority = 50, shorthand = true;
  if (Array.isArray(config.match_types)) {
    latex = config.match_types.includes("latex");
    expr = config.match_types.includes("expr");
    if (typeof config.latex_boxed_match_priority === "number") {
      boxedPriority = config.latex_boxed_match_priority;
    }
  } else if (Array.isArray(config.extraction_config)) {
    latex = expr = false;
    for (const c of config.extraction_config as Record<string, unknown>[]) {
      if (c.type === "LatexExtractionConfig") {
        latex = true;
        if (typeof c.boxed_match_priority === "number") boxedPriority = c.boxed_match_priority;
        const norm = c.normalization_config as Record<string, unknown> | undefined;
        if (norm?.malformed_operators === false) shorthand = false;
      } else if (c.type === "ExprExtractionConfig") expr = true;
    }
  }
  const patterns: [string, number][] = [["final_answer", 0], ["answer_is", 100]];
  if (latex && boxedPriority >= 0) patterns.push(["boxed", boxedPriority]);
  if (latex) patterns.push(["last_latex", 300]);
  if (expr) patterns.push(["last_number", 300]);
  const priorities = [...new Set(patterns.map(([, p]) => p))].sort((a, b) => a - b);
  const extract = priorities.map((p) => patterns.filter(([, q]) => q === p).map(([rule]) => rule));
  const options: Record<string, unknown> = { extract, extract_reference: true };
  const precision = config.precision ?? config.float_rounding;
  if (typeof precision === "number") options.precision = precision;
  if (config.strict === false) options.strict = false;
  if (!shorthand) options.latex_shorthand = false;
  return options;
}

/** Cases whose inputs are sympy source (`sympy.Rational(1, 3) + 1`) are rewritten as the LaTeX they denote. */
function fromSympySource(source: string): string {
  return source
    .replace(/sympy\.Rational\(\s*(-?\d+)\s*,\s*(-?\d+)\s*\)/g, "\\frac{$1}{$2}")
    .replace(/sympy\.(?:Integer|Float)\(\s*([-\d.e]+)\s*\)/g, "$1")
    .replace(/sympy\.Symbol\(\s*['"](\w+)['"]\s*\)/g, "$1");
}

function run(reference: unknown, response: string, options: Record<string, unknown>): KernelOutput {
  return scoreInProcess(kernel, mathVerifier.params(reference, options), response);
}

/**
 * Our verdict on one case, as a boolean "agrees with Math-Verify": with the case's configuration
 * mapped onto our options, or (`defaults`) with the options a user who sets none gets.
 */
function agrees(c: Case, defaults = false): { ok: boolean; got: unknown } {
  const options = defaults ? {} : optionsFor(c.config);
  if (typeof c.expected === "boolean") {
    if (c.config.inputs_are_sympy_source) {
      const out = run(fromSympySource(c.gold ?? ""), fromSympySource(c.pred), {
        ...options,
        extracted: true,
      });
      return { ok: out.correct === c.expected, got: out.details };
    }
    const out = run(c.gold ?? "", c.pred, options);
    return { ok: out.correct === c.expected, got: out.details };
  }
  if (Array.isArray(c.expected)) {
    // string extraction of an option letter: the expected letter must be the one we pick
    const letters = ["A", "B", "C", "D", "E", "U"];
    const out = c.expected.length === 0 ? null : run({ answer: c.expected[1], choices: letters }, c.pred, {});
    if (out === null) {
      const any = letters.some((l) => run({ answer: l, choices: letters }, c.pred, {}).correct);
      return { ok: !any, got: "no letter expected" };
    }
    return { ok: out.correct, got: out.details };
  }
  const check = c.expected.assert;
  const out = run("0", c.pred, options);
  // Math-Verify's parse() returns only what parsed: nothing found or a parse error is an empty list
  const empty = out.details.reason === "no_answer" || out.details.reason === "parse_error";
  if (check === "len(x) == 0") return { ok: empty, got: out.details };
  if (check === "len(x) == 1") return { ok: !empty, got: out.details };
  const m = /x\[0\] == sympy\.(Integer|Rational)\((\d+)(?:, (\d+))?\)/.exec(check);
  if (m) {
    const ref = m[3] ? `${m[2]}/${m[3]}` : m[2];
    const o = run(ref, c.pred, options);
    return { ok: o.correct, got: o.details };
  }
  return { ok: false, got: `unsupported assertion ${check}` };
}

Deno.test("math agrees with Math-Verify on at least 97% of its test cases", () => {
  const cases = readJsonl<Case>("math-verify/cases.jsonl");
  assert.ok(cases.length >= 286, `expected 286 cases, found ${cases.length}`);
  const disagreements: string[] = [];
  const started = performance.now();
  let worst = 0;
  for (const c of cases) {
    const t = performance.now();
    const { ok, got } = agrees(c);
    worst = Math.max(worst, performance.now() - t);
    if (!ok) {
      disagreements.push(
        `${c.source}: gold=${JSON.stringify(c.gold)?.slice(0, 80)} pred=${
          JSON.stringify(c.pred).slice(-80)
        } ` +
          `expected=${JSON.stringify(c.expected)} got=${JSON.stringify(got).slice(0, 160)}`,
      );
    }
  }
  const ms = performance.now() - started;
  const rate = (cases.length - disagreements.length) / cases.length;
  const defaultMisses = cases.filter((c) => !agrees(c, true).ok);
  const withDefaults = cases.length - defaultMisses.length;
  console.log(disagreements.join("\n"));
  if (Deno.env.get("MATH_VERIFY_DEFAULTS")) {
    for (const c of defaultMisses) {
      console.log(
        `defaults: ${c.source}: gold=${JSON.stringify(c.gold)?.slice(0, 80)} pred=${
          JSON.stringify(c.pred).slice(-80)
        } expected=${JSON.stringify(c.expected)} config=${JSON.stringify(c.config)} got=${
          JSON.stringify(agrees(c, true).got).slice(0, 200)
        }`,
      );
    }
  }
  console.log(
    `Math-Verify conformance: ${cases.length - disagreements.length}/${cases.length} = ${
      (rate * 100).toFixed(1)
    }% ` +
      `(${(cases.length / ms * 1000).toFixed(0)} cases/s, worst ${worst.toFixed(2)} ms); ` +
      `with default options: ${withDefaults}/${cases.length} = ${
        (withDefaults / cases.length * 100).toFixed(1)
      }%`,
  );
  assert.ok(rate >= 0.97, `agreement ${(rate * 100).toFixed(1)}% is below 97%`);
});
