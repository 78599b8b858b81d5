/**
 * Conformance with Hugging Face Math-Verify's own test cases (../shared/conformance/math-verify).
 * Each case's `config` maps onto our options by one rule (`optionsFor`); the agreement must reach 97%.
 */
import assert from "node:assert/strict";
import { compileKernel, KernelInstance, type KernelOutput, scoreInProcess } from "../wasm/kernel_instance.ts";
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

/** The one mapping rule: match types → extraction rules, precision/float_rounding → precision. */
export function optionsFor(config: Record<string, unknown>): Record<string, unknown> {
  const types = (config.match_types as string[] | undefined) ?? ["latex", "expr"];
  const extract = ["boxed", "answer_tag", "answer_is"];
  if (types.includes("latex")) extract.push("last_latex");
  if (types.includes("expr")) extract.push("last_number");
  const options: Record<string, unknown> = { extract };
  const precision = config.precision ?? config.float_rounding;
  if (typeof precision === "number") options.precision = precision;
  return options;
}

function run(reference: unknown, response: string, options: Record<string, unknown>): KernelOutput {
  return scoreInProcess(kernel, mathVerifier.params(reference, options), response);
}

/** Our verdict on one case, as a boolean "agrees with Math-Verify". */
function agrees(c: Case): { ok: boolean; got: unknown } {
  const options = optionsFor(c.config);
  if (typeof c.expected === "boolean") {
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
  if (check === "len(x) == 0") return { ok: out.details.reason === "no_answer", got: out.details };
  if (check === "len(x) == 1") return { ok: out.details.reason !== "no_answer", got: out.details };
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
  console.log(disagreements.join("\n"));
  console.log(
    `Math-Verify conformance: ${cases.length - disagreements.length}/${cases.length} = ${
      (rate * 100).toFixed(1)
    }% ` +
      `(${(cases.length / ms * 1000).toFixed(0)} cases/s, worst ${worst.toFixed(2)} ms)`,
  );
  assert.ok(rate >= 0.97, `agreement ${(rate * 100).toFixed(1)}% is below 97%`);
});
