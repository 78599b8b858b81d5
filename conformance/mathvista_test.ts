/**
 * MathVista conformance (../shared/conformance/mathvista): the `mathvista` profile reproduces the
 * official scoring of every published extraction, and our LLM-free extraction's agreement with the
 * published verdicts is measured per model.
 */
import assert from "node:assert/strict";
import { compileKernel, KernelInstance, scoreInProcess } from "../wasm/mod.ts";
import { mathVerifier } from "../verifiers/math/mod.ts";
import { readJsonl } from "./_data.ts";

interface Row {
  model: string;
  pid: string;
  question_type: string;
  answer_type: string;
  precision: number | null;
  choices: string[] | null;
  answer: string;
  response: string;
  extraction: string;
  true_false: boolean;
  official_prediction: string | null;
  official_true_false: boolean;
}

const kernel = new KernelInstance(
  compileKernel(Deno.readFileSync(new URL("../wasm/math.wasm", import.meta.url))),
);
const rows = readJsonl<Row>("mathvista/published_verdicts.jsonl");

function reference(r: Row) {
  return {
    answer: r.answer,
    choices: r.choices,
    answer_type: r.answer_type,
    precision: r.precision,
    question_type: r.question_type,
  };
}

Deno.test("mathvista profile reproduces the official prediction and verdict on every published row", () => {
  assert.equal(rows.length, 22998);
  const options = { profile: "mathvista", extracted: true };
  let mismatches = 0;
  for (const r of rows) {
    const out = scoreInProcess(kernel, mathVerifier.params(reference(r), options), r.extraction);
    if (out.details.prediction !== r.official_prediction || out.correct !== r.official_true_false) {
      if (mismatches++ < 20) {
        console.log(
          `${r.model}/${r.pid}: ${JSON.stringify(r.extraction)} → ${
            JSON.stringify(out.details.prediction)
          }, ` +
            `official ${JSON.stringify(r.official_prediction)}`,
        );
      }
    }
  }
  console.log(`MathVista official scoring reproduced on ${rows.length - mismatches}/${rows.length} rows`);
  assert.equal(mismatches, 0);
});

Deno.test("LLM-free extraction: agreement with the published verdicts, per model", () => {
  const options = { profile: "mathvista" };
  const perModel = new Map<string, { n: number; agree: number }>();
  let n = 0, agree = 0;
  const started = performance.now();
  for (const r of rows) {
    const out = scoreInProcess(kernel, mathVerifier.params(reference(r), options), r.response ?? "");
    const s = perModel.get(r.model) ?? { n: 0, agree: 0 };
    s.n++;
    n++;
    if (out.correct === r.true_false) {
      s.agree++;
      agree++;
    }
    perModel.set(r.model, s);
  }
  const ms = performance.now() - started;
  const lines = [...perModel.entries()].sort().map(([m, s]) =>
    `| ${m} | ${s.n} | ${(s.agree / s.n * 100).toFixed(1)}% |`
  );
  console.log(["| model | rows | agreement |", "| --- | --- | --- |", ...lines].join("\n"));
  console.log(
    `LLM-free agreement overall: ${agree}/${n} = ${(agree / n * 100).toFixed(1)}% (${
      (n / ms * 1000).toFixed(0)
    } rows/s)`,
  );
  assert.ok(agree / n > 0.5);
});
