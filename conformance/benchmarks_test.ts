/**
 * The mathvista_testmini suite against MathVista's 23 published runs (../shared/conformance/mathvista):
 * scoring each run's published `extraction` in predictions mode reproduces its official accuracy
 * exactly (from `official_true_false`), and our LLM-free extraction from the raw `response` is
 * printed beside it.
 */
import assert from "node:assert/strict";
import { createEngine, VERIFIERS } from "../verifiers/mod.ts";
import { checkPredictions, runSuite } from "../benchmarks/mod.ts";
import { conformanceDir, readJsonl } from "./_data.ts";

interface Row {
  model: string;
  pid: string;
  response: string;
  extraction: string;
  official_true_false: boolean;
}

Deno.test("mathvista_testmini reproduces the official accuracy of all 23 published runs", async () => {
  const rows = readJsonl<Row>("mathvista/published_verdicts.jsonl");
  const byModel = new Map<string, Row[]>();
  for (const r of rows) byModel.set(r.model, [...(byModel.get(r.model) ?? []), r]);
  assert.equal(byModel.size, 23);
  const runsDir = await Deno.makeTempDir();
  const engine = await createEngine(VERIFIERS, { workers: 2 });
  const table = [
    "| run | official | reproduced (extraction) | LLM-free (raw response) |",
    "| --- | --- | --- | --- |",
  ];
  const mismatches: string[] = [];
  try {
    for (const [model, runRows] of [...byModel.entries()].sort()) {
      const official = runRows.filter((r) => r.official_true_false).length;
      const officialText = `${(official / runRows.length * 100).toFixed(1)}% (${official}/${runRows.length})`;
      const data = `${conformanceDir()}/mathvista/testmini.json`;
      const extracted = await runSuite(engine, {
        suite: "mathvista_testmini",
        dataPath: data,
        predictions: {
          rows: checkPredictions(
            runRows.map((r) => ({ id: r.pid, response: r.response, extraction: r.extraction })),
            model,
          ),
        },
        runsDir,
      });
      // MathVista's official accuracy is over the rows a run published ("of answered" here); the
      // headline counts all 1,000 items (a run that published 998 rows has 2 missing, wrong).
      const o = extracted.summary.answered;
      assert.equal(extracted.summary.overall.n, 1000);
      assert.equal(extracted.summary.overall.correct, o.correct);
      const reproduced = `${(o.mean * 100).toFixed(1)}% (${o.correct}/${o.n})`;
      if (o.correct !== official || o.n !== runRows.length) {
        mismatches.push(`${model}: ${reproduced} vs ${officialText}`);
      }
      const raw = await runSuite(engine, {
        suite: "mathvista_testmini",
        dataPath: data,
        predictions: {
          rows: checkPredictions(runRows.map((r) => ({ id: r.pid, response: r.response })), model),
        },
        runsDir,
      });
      const f = raw.summary.answered;
      table.push(
        `| ${model} | ${officialText} | ${reproduced} | ${
          (f.mean * 100).toFixed(1)
        }% (${f.correct}/${f.n}) |`,
      );
      if (model === "gpt4_2shot_solution") assert.equal(reproduced, "29.2% (292/1000)");
      if (model === "chatgpt") assert.equal(extracted.summary.errors.missing_prediction, 2);
    }
  } finally {
    await engine.close();
    await Deno.remove(runsDir, { recursive: true });
  }
  console.log(table.join("\n"));
  assert.deepEqual(mismatches, []);
});
