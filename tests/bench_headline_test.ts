/**
 * Honest headlines (#17): every item of the suite counts (failed, missing and unextractable answers
 * are wrong), "of answered" and the error breakdown stand beside it, unknown prediction ids are
 * errors, an incomplete run says so, and continuous scores get a seeded bootstrap interval and
 * Acc@threshold.
 */
import assert from "node:assert/strict";
import { createEngine, type Engine, VERIFIERS } from "../verifiers/mod.ts";
import { runSuite, type Sample } from "../benchmarks/mod.ts";
import { summaryLines } from "../benchmarks/report/mod.ts";
import { bootstrapMeanInterval, seededRandom, summarizeRun } from "../benchmarks/stats/mod.ts";

async function withEngine(body: (engine: Engine, runsDir: string) => Promise<void>): Promise<void> {
  const engine = await createEngine(VERIFIERS, { workers: 1 });
  const runsDir = await Deno.makeTempDir({ prefix: "arbiter_headline_" });
  try {
    await body(engine, runsDir);
  } finally {
    await engine.close();
    await Deno.remove(runsDir, { recursive: true });
  }
}

const FORMAT_GOOD = "<think>a</think><answer>b</answer>";

Deno.test("predictions covering 2 of 5 items: 2/5 headline, 2/2 of answered, incomplete", async () => {
  await withEngine(async (engine, runsDir) => {
    const rows = new Map([
      ["f1", { id: "f1", response: FORMAT_GOOD }],
      ["f2", { id: "f2", response: FORMAT_GOOD }],
    ]);
    const r = await runSuite(engine, { suite: "format_mini", predictions: { rows }, runsDir });
    const s = r.summary;
    assert.equal(s.overall.n, 5);
    assert.equal(s.overall.correct, 2);
    assert.equal(s.overall.mean, 2 / 5);
    assert.equal(s.answered.mean, 1);
    assert.deepEqual(s.errors, { missing_prediction: 3 });
    assert.equal(s.complete, false);
    const lines = summaryLines(s);
    assert.equal(lines[0], "accuracy: 40.0% (2/5); the 3 items without a verdict count as wrong");
    assert.equal(lines[1], "of answered: 100.0% (2/2)");
    assert.ok(lines.includes("errors: 3 (missing_prediction 3)"), lines.join("\n"));
    assert.ok(lines.includes("status: INCOMPLETE: 3 of 5 items have no answer (counted as wrong)"));
    const results = JSON.parse(await Deno.readTextFile(r.paths.results));
    assert.equal(results.status, "incomplete");
    assert.equal(results.summary.overall.n, 5);
  });
});

Deno.test("unextractable answers count as wrong in both the headline and of answered", async () => {
  await withEngine(async (engine, runsDir) => {
    const rows = new Map(
      ["f1", "f2", "f3", "f4", "f5"].map((id, i) => [id, { id, response: i < 3 ? FORMAT_GOOD : "no tags" }]),
    );
    const s = (await runSuite(engine, { suite: "format_mini", predictions: { rows }, runsDir })).summary;
    assert.equal(s.overall.correct, 3);
    assert.equal(s.overall.n, 5);
    assert.equal(s.answered.n, 5);
    assert.equal(s.complete, true);
    assert.equal(summaryLines(s).at(-1), "status: complete");
  });
});

Deno.test("prediction ids the suite does not have are an error, not ignored", async () => {
  await withEngine(async (engine, runsDir) => {
    const rows = new Map([
      ["f1", { id: "f1", response: FORMAT_GOOD }],
      ["nope", { id: "nope", response: FORMAT_GOOD }],
    ]);
    await assert.rejects(
      runSuite(engine, { suite: "format_mini", predictions: { rows }, runsDir }),
      /predictions: 1 of 2 ids are not items of the suite \("nope"\)/,
    );
  });
});

function sample(id: string, reward: number | null): Sample {
  return {
    id,
    reward,
    correct: reward === null ? null : reward >= 0.5,
    reason: null,
    error: reward === null ? { code: "timeout", message: "", stage: "generation" } : null,
    breakdown: {},
    cluster: null,
  } as unknown as Sample;
}

Deno.test("continuous scores: mean over every item, seeded bootstrap interval, Acc@threshold", () => {
  const samples = [sample("a", 0.9), sample("b", 0.4), sample("c", 0.5), sample("d", null), sample("e", 0.7)];
  const s = summarizeRun(samples, { threshold: 0.5 });
  assert.equal(s.scale, "continuous");
  assert.ok(Math.abs(s.overall.mean - 2.5 / 5) < 1e-12);
  assert.ok(Math.abs(s.answered.mean - 2.5 / 4) < 1e-12);
  assert.deepEqual(s.threshold && [s.threshold.hits, s.threshold.n, s.threshold.rate], [3, 5, 0.6]);
  const ci = s.overall.ci95;
  assert.deepEqual(ci, s.overall.bootstrap95);
  assert.ok(ci[0] < s.overall.mean && s.overall.mean < ci[1], JSON.stringify(ci));
  // Same data and seed, same interval; the summary records the settings.
  assert.deepEqual(summarizeRun(samples, { threshold: 0.5 }).overall.ci95, ci);
  assert.deepEqual(s.bootstrap, { seed: 0, resamples: 2000 });
  const lines = summaryLines(s);
  assert.equal(
    lines[0],
    "mean score: 50.0% over 5 items (3 correct); the 1 items without a verdict count as wrong",
  );
  assert.ok(lines.some((l) => l.startsWith("Acc@0.5: 60.0% (3/5)")), lines.join("\n"));
  assert.ok(lines.some((l) => l.includes("bootstrap 95% CI")));
  // Binary scores keep the Wilson interval and no bootstrap.
  const binary = summarizeRun([sample("a", 1), sample("b", 0), sample("c", 1)]);
  assert.equal(binary.scale, "binary");
  assert.equal(binary.overall.bootstrap95, null);
  assert.deepEqual(binary.overall.ci95, binary.overall.wilson95);
});

Deno.test("bootstrapMeanInterval(): deterministic per seed, degenerate cases, narrows with n", () => {
  const random = seededRandom(7);
  const values = Array.from({ length: 400 }, () => random());
  const a = bootstrapMeanInterval(values, { seed: 1, resamples: 1000 });
  assert.deepEqual(bootstrapMeanInterval(values, { seed: 1, resamples: 1000 }), a);
  assert.notDeepEqual(bootstrapMeanInterval(values, { seed: 2, resamples: 1000 }), a);
  assert.deepEqual(bootstrapMeanInterval([0.3, 0.3, 0.3]), [0.3, 0.3]);
  assert.deepEqual(bootstrapMeanInterval([0.4]), [0.4, 0.4]);
  // For uniform values the SE is √(1/12/n): the 95% interval is close to ±1.96 SE.
  const se = Math.sqrt(1 / 12 / values.length);
  const width = a[1] - a[0];
  assert.ok(Math.abs(width - 2 * 1.96 * se) < 0.25 * width, `${width} vs ${2 * 1.96 * se}`);
  const small = bootstrapMeanInterval(values.slice(0, 25), { seed: 1, resamples: 1000 });
  assert.ok(small[1] - small[0] > width);
});
