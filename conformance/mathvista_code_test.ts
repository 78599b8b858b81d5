/**
 * MathVista's program-of-thought runs executed (issue #15, point 4): the four published `*_2shot_code*`
 * runs answer with Python programs, and their published verdicts come from GPT *extracting* an answer
 * from the program text. Here each run goes through the `mathvista_testmini` suite with its run option
 * `execute_code` (what `bench run … --option execute_code` does): each program runs in the sandbox
 * (`program` verifier, profile mathvista, the suite's 3 s deadline) and what it prints is scored; the
 * published extraction travels with the predictions and must be ignored. Printed per run: the published
 * accuracy, the executed accuracy, their agreement, and why they disagree: the program did not run to
 * an answer (crash, no output, deadline), or GPT's extraction is not what the program prints (its
 * prediction differs from the executed one).
 */
import assert from "node:assert/strict";
import { createEngine, VERIFIERS } from "../verifiers/mod.ts";
import { checkPredictions, runSuite, type Sample } from "../benchmarks/mod.ts";
import { conformanceDir, readJsonl } from "./_data.ts";

interface Row {
  model: string;
  pid: string;
  answer: string;
  response: string;
  extraction: string;
  official_prediction: string | null;
  official_true_false: boolean;
}

const opts = { sanitizeOps: false, sanitizeResources: false };

Deno.test(
  "MathVista code runs executed: published vs executed accuracy, agreement, and why",
  opts,
  async () => {
    const rows = readJsonl<Row>("mathvista/published_verdicts.jsonl").filter((r) =>
      r.model.includes("_2shot_code")
    );
    const runs = [...new Set(rows.map((r) => r.model))].sort();
    assert.deepEqual(runs, [
      "chatgpt_2shot_code",
      "chatgpt_2shot_code_use_ocr",
      "gpt4_2shot_code",
      "gpt4_2shot_code_use_ocr",
    ]);
    assert.equal(rows.length, 4000);
    const engine = await createEngine(VERIFIERS, { workers: 2 });
    const runsDir = await Deno.makeTempDir({ prefix: "arbiter_mathvista_code_" });
    try {
      // Each run scored through the suite with execute_code; results in the order of `rows`.
      const byRunAndPid = new Map<string, Sample>();
      for (const run of runs) {
        const runRows = rows.filter((r) => r.model === run);
        const executedRun = await runSuite(engine, {
          suite: "mathvista_testmini",
          dataPath: `${conformanceDir()}/mathvista/testmini.json`,
          predictions: {
            rows: checkPredictions(
              runRows.map((r) => ({ id: r.pid, response: r.response, extraction: r.extraction })),
              run,
            ),
          },
          options: { execute_code: true },
          runsDir,
        });
        assert.deepEqual(executedRun.meta.options?.map((o) => o.name), ["execute_code"]);
        assert.equal(executedRun.meta.suite.scoring.verifier, "program");
        assert.equal(executedRun.summary.verdicts, 1000, `${run}: every program gets a verdict`);
        for (const sample of executedRun.samples) byRunAndPid.set(`${run}/${sample.id}`, sample);
      }
      const results = rows.map((r) => byRunAndPid.get(`${r.model}/${r.pid}`)!);
      const table = [
        "| run | rows | published accuracy | executed accuracy | agreement | no answer from the program | GPT's extraction ≠ the program's output | of which only the published verdict is right | of which only the executed verdict is right |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
      ];
      const examples: string[] = [];
      let totalAgree = 0;
      for (const run of runs) {
        let published = 0,
          executed = 0,
          agree = 0,
          noAnswer = 0,
          misread = 0,
          onlyPublished = 0,
          onlyExecuted = 0;
        let n = 0, runExamples = 0;
        rows.forEach((r, i) => {
          if (r.model !== run) return;
          const result = results[i];
          assert.equal(result.error, null, `${r.model}/${r.pid}: ${JSON.stringify(result.error)}`);
          assert.equal(result.scored, "response", "the program is executed, GPT's extraction ignored");
          n++;
          const correct = result.correct === true;
          if (r.official_true_false) published++;
          if (correct) executed++;
          if (correct === r.official_true_false) agree++;
          const ran = result.details?.reason === null || result.details?.reason === "wrong";
          if (!ran) noAnswer++;
          else if (result.details?.prediction !== r.official_prediction) {
            misread++;
            if (r.official_true_false && !correct) onlyPublished++;
            if (!r.official_true_false && correct) onlyExecuted++;
            if (correct !== r.official_true_false && runExamples++ < 3) {
              const program = result.details?.program as { stdout?: string } | undefined;
              examples.push(
                `${r.model} pid ${r.pid}: prints ${JSON.stringify(program?.stdout?.trim().slice(0, 40))}, ` +
                  `GPT extracted ${JSON.stringify(r.extraction)}, answer ${JSON.stringify(r.answer)} ` +
                  `(published ${r.official_true_false ? "right" : "wrong"}, executed ${
                    correct ? "right" : "wrong"
                  })`,
              );
            }
          }
        });
        totalAgree += agree;
        const pct = (v: number) => `${(v / n * 100).toFixed(1)}%`;
        table.push(
          `| ${run} | ${n} | ${pct(published)} | ${pct(executed)} | ${
            pct(agree)
          } | ${noAnswer} | ${misread} | ${onlyPublished} | ${onlyExecuted} |`,
        );
        // Executing disagrees with GPT's reading on a fifth of the rows at most (issue #15: 79–84% agreement).
        assert.ok(agree / n > 0.75, `${run}: agreement ${pct(agree)}`);
      }
      console.log(table.join("\n"));
      console.log(
        `overall agreement ${totalAgree}/${rows.length} = ${(totalAgree / rows.length * 100).toFixed(1)}%`,
      );
      console.log(["Rows where GPT's extraction is not what the program prints:", ...examples].join("\n  "));
      // The example: gpt4_2shot_code pid 3 prints 125.0 (MathVista's most similar option: 135°); GPT extracted 140.
      const pid3 = rows.findIndex((r) => r.model === "gpt4_2shot_code" && r.pid === "3");
      const program3 = results[pid3].details?.program as { stdout: string };
      assert.equal(program3.stdout.trim(), "125.0");
      assert.equal(results[pid3].details?.prediction, "135°");
      assert.equal(rows[pid3].extraction, "140");
    } finally {
      await engine.close();
      await Deno.remove(runsDir, { recursive: true });
    }
  },
);
