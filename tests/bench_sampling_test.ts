/**
 * Repeated sampling (`--samples N`): the unbiased pass@k of Chen et al. 2021 against hand-computed
 * values, majority voting, mean@k and the per-item variance, and a sampled run end to end (seeds
 * base + j, resumable, pass@k in the results).
 */
import assert from "node:assert/strict";
import { createEngine, VERIFIERS } from "../verifiers/mod.ts";
import { runSuite, type Sample } from "../benchmarks/mod.ts";
import { kValues, majorityCorrect, passAtK, summarizeSampling } from "../benchmarks/stats/mod.ts";
import { MATH_MINI_ANSWERS, startFakeModel } from "./bench_fake_model.ts";

function close(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) < 1e-12, `${what}: ${actual} vs ${expected}`);
}

Deno.test("passAtK(): 1 - C(n-c, k) / C(n, k), by hand", () => {
  const cases: [number, number, number, number][] = [
    [5, 2, 1, 1 - 3 / 5], // C(3,1)/C(5,1)
    [5, 2, 2, 1 - 3 / 10], // C(3,2)/C(5,2)
    [5, 2, 3, 1 - 1 / 10], // C(3,3)/C(5,3)
    [5, 2, 4, 1], // n - c < k: some correct sample is always drawn
    [5, 0, 3, 0],
    [5, 5, 1, 1],
    [10, 3, 5, 1 - 21 / 252], // C(7,5)/C(10,5)
    [1, 1, 1, 1],
    [1, 0, 1, 0],
    [200, 13, 10, 1 - 0.5024488852693939], // C(187,10)/C(200,10) with exact integers (Python math.comb)
  ];
  for (const [n, c, k, expected] of cases) {
    const got = passAtK(n, c, k);
    assert.ok(Math.abs(got - expected) < 1e-9, `pass@${k} n=${n} c=${c}: ${got} vs ${expected}`);
  }
  assert.throws(() => passAtK(3, 1, 4), /needs at least 4 samples/);
  assert.deepEqual(kValues(1), [1]);
  assert.deepEqual(kValues(5), [1, 2, 4, 5]);
  assert.deepEqual(kValues(8), [1, 2, 4, 8]);
});

function s(id: string, sample: number, extracted: unknown, correct: boolean | null, reward?: number): Sample {
  return {
    id,
    sample,
    extracted,
    correct,
    reward: correct === null ? null : reward ?? (correct ? 1 : 0),
    error: correct === null ? { code: "timeout", message: "", stage: "generation" } : null,
  } as unknown as Sample;
}

Deno.test("majorityCorrect(): most frequent extracted answer, first seen breaks ties, failures do not vote", () => {
  assert.equal(majorityCorrect([s("a", 0, "4", true), s("a", 1, "5", false), s("a", 2, "4", true)]), true);
  assert.equal(majorityCorrect([s("a", 0, "5", false), s("a", 1, "4", true), s("a", 2, "5", false)]), false);
  assert.equal(majorityCorrect([s("a", 0, "4", true), s("a", 1, "5", false)]), true, "tie: first seen");
  assert.equal(majorityCorrect([s("a", 0, "5", false), s("a", 1, "4", true)]), false, "tie: first seen");
  assert.equal(majorityCorrect([s("a", 0, null, null), s("a", 1, null, null), s("a", 2, "4", true)]), true);
  assert.equal(majorityCorrect([s("a", 0, null, null)]), false, "no votes: wrong");
  assert.equal(
    majorityCorrect([s("a", 0, [1, 2], true), s("a", 1, [1, 2], true), s("a", 2, [2, 1], false)]),
    true,
  );
});

Deno.test("summarizeSampling(): pass@k, maj@k, mean@k and per-item variance on 2 items x 4 samples", () => {
  const samples = [
    // item x: correct, wrong, correct, failed → c = 2 of n = 4; votes 7,7 vs 8 → maj right
    s("x", 0, "7", true),
    s("x", 1, "8", false),
    s("x", 2, "7", true),
    s("x", 3, null, null),
    // item y: continuous scores 0.2, 0.6, 0.6, 1.0; correct when ≥ 0.5 → c = 3
    s("y", 0, "p", false, 0.2),
    s("y", 1, "q", true, 0.6),
    s("y", 2, "q", true, 0.6),
    s("y", 3, "r", true, 1.0),
  ];
  const r = summarizeSampling(samples, 4);
  assert.equal(r.items, 2);
  assert.deepEqual(r.rows.map((row) => row.k), [1, 2, 4]);
  const [k1, k2, k4] = r.rows;
  close(k1.pass, (2 / 4 + 3 / 4) / 2, "pass@1"); // pass@1 = c/n
  close(k2.pass, ((1 - 1 / 6) + (1 - 0 / 6)) / 2, "pass@2"); // x: C(2,2)/C(4,2) = 1/6; y: C(1,2) = 0
  close(k4.pass, 1, "pass@4");
  close(k1.maj, (1 + 0) / 2, "maj@1"); // x's first sample right, y's wrong
  close(k2.maj, (1 + 0) / 2, "maj@2"); // x: 7 vs 8 tie → 7 (first) right; y: p vs q tie → p wrong
  close(k4.maj, (1 + 1) / 2, "maj@4"); // x: 7 twice; y: q twice
  close(k1.mean, (1 + 0.2) / 2, "mean@1");
  close(k2.mean, ((1 + 0) / 2 + (0.2 + 0.6) / 2) / 2, "mean@2");
  close(k4.mean, ((1 + 0 + 1 + 0) / 4 + (0.2 + 0.6 + 0.6 + 1.0) / 4) / 2, "mean@4");
  // x: scores 1,0,1,0 → variance 1/3; y: 0.2,0.6,0.6,1.0 → mean 0.6, squares .16+0+0+.16 → 0.32/3
  close(r.meanItemVariance, (1 / 3 + 0.32 / 3) / 2, "variance");
});

Deno.test("bench run with 3 samples per item: seeds base + j, pass@k in the results, resumes all", async () => {
  const model = startFakeModel(new Map(MATH_MINI_ANSWERS.map(([q, answer]) => [q, { answer }])));
  const engine = await createEngine(VERIFIERS, { workers: 1 });
  const runsDir = await Deno.makeTempDir({ prefix: "arbiter_sampling_" });
  try {
    const request = {
      suite: "math_mini",
      endpoint: { url: model.url },
      runsDir,
      samples: 3,
      generation: { temperature: 0.7, seed: 10, concurrency: 4 },
    };
    const r = await runSuite(engine, request);
    const q = MATH_MINI_ANSWERS[0][0];
    assert.deepEqual([...(model.seeds.get(q) ?? [])].sort(), [10, 11, 12]);
    assert.equal(r.samples.length, 36);
    assert.equal(r.summary.items, 12);
    const sampling = r.summary.sampling!;
    assert.equal(sampling.n, 3);
    assert.deepEqual(sampling.rows.map((row) => row.k), [1, 2, 3]);
    // The fake model answers the same each time: 9 of 12 items right in every sample.
    for (const row of sampling.rows) {
      close(row.pass, 9 / 12, `pass@${row.k}`);
      close(row.maj, 9 / 12, `maj@${row.k}`);
      close(row.mean, 9 / 12, `mean@${row.k}`);
    }
    assert.equal(sampling.meanItemVariance, 0);
    // Latency and tokens over every generation (the fake model reports usage).
    assert.equal(r.summary.usage.measured, 36);
    assert.equal(r.summary.usage.tokens?.reported, 36);
    assert.ok(r.summary.usage.latencyMs!.p50 <= r.summary.usage.latencyMs!.p99);
    const results = JSON.parse(await Deno.readTextFile(r.paths.results));
    assert.equal(results.summary.sampling.rows[0].pass, sampling.rows[0].pass);

    // The same request again resumes: nothing is asked twice.
    const phases: [string, number, number][] = [];
    const again = await runSuite(engine, request, (phase, done, total) => phases.push([phase, done, total]));
    assert.equal(again.id, r.id);
    assert.deepEqual(model.seeds.get(q)?.length, 3);
    assert.deepEqual(phases.find(([phase]) => phase === "resuming"), ["resuming", 36, 36]);
  } finally {
    await engine.close();
    await model.close();
    await Deno.remove(runsDir, { recursive: true });
  }
});

Deno.test("a sampled run with a failed sample is incomplete; the failure counts as a wrong sample", async () => {
  const [q0] = MATH_MINI_ANSWERS[0];
  const model = startFakeModel(
    new Map(
      MATH_MINI_ANSWERS.map((
        [q, answer],
      ) => [q, q === q0 ? { answer, fault: "500" as const, times: 1 } : { answer }]),
    ),
  );
  const engine = await createEngine(VERIFIERS, { workers: 1 });
  const runsDir = await Deno.makeTempDir({ prefix: "arbiter_sampling_fail_" });
  try {
    const r = await runSuite(engine, {
      suite: "math_mini",
      endpoint: { url: model.url },
      runsDir,
      samples: 3,
      generation: { temperature: 0.7, concurrency: 1, max_retries: 0 },
    });
    const sampling = r.summary.sampling!;
    assert.equal(sampling.failedSamples, 1);
    assert.equal(r.summary.complete, false);
    // Item 0 (answered right each time it was answered): c = 2 of n = 3, so pass@1 = 2/3 for it.
    close(sampling.rows[0].pass, (2 / 3 + 8) / 12, "pass@1");
    close(sampling.rows.at(-1)!.pass, 9 / 12, "pass@3");
    const results = JSON.parse(await Deno.readTextFile(r.paths.results));
    assert.equal(results.status, "incomplete");
  } finally {
    await engine.close();
    await model.close();
    await Deno.remove(runsDir, { recursive: true });
  }
});
