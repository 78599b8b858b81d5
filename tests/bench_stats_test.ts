/** Benchmark statistics against values computed by hand (the arithmetic is in each test's comment). */
import assert from "node:assert/strict";
import {
  clusterRobustStandardError,
  mean,
  standardError,
  wilsonInterval,
} from "../benchmarks/stats/descriptive.ts";
import {
  binomialTwoSidedHalf,
  chiSquare1Tail,
  comparePaired,
  erfc,
  summarizeRun,
} from "../benchmarks/stats/mod.ts";
import type { Sample } from "../benchmarks/core/mod.ts";

const close = (actual: number, expected: number, tolerance = 1e-9) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} != ${expected}`);

Deno.test("mean() and standardError() of 1, 0, 1, 1: 0.75 and √(0.25/4) = 0.25", () => {
  // Sample variance: (3 · 0.25² + 0.75²) / 3 = 0.25; SE = √(0.25 / 4) = 0.25.
  close(mean([1, 0, 1, 1]), 0.75);
  close(standardError([1, 0, 1, 1]), 0.25);
  assert.equal(standardError([1]), 0);
});

Deno.test("wilsonInterval() of 3/4 and of 292/1000 match the closed form", () => {
  // z = 1.959964: center (p + z²/2n)/(1 + z²/n), half-width z/(1 + z²/n) · √(p(1−p)/n + z²/4n²).
  const [lo, hi] = wilsonInterval(0.75, 4);
  close(lo, 0.30064184258240184);
  close(hi, 0.9544127391902995);
  const [lo2, hi2] = wilsonInterval(0.292, 1000);
  close(lo2, 0.2646576946068598);
  close(hi2, 0.3209342369231311);
  assert.deepEqual(wilsonInterval(0, 0), [0, 1]);
});

Deno.test("clusterRobustStandardError(): 1,0 | 1,1 | 0,1 in three clusters gives 1/6", () => {
  // mean 2/3; cluster residual sums −1/3, 2/3, −1/3; Σ S² = 2/3; √(3/2 · 2/3) / 6 = 1/6.
  close(clusterRobustStandardError([1, 0, 1, 1, 0, 1], ["a", "a", "b", "b", "c", "c"])!, 1 / 6);
  // One item per cluster: the ordinary standard error.
  close(clusterRobustStandardError([1, 0, 1, 1], ["a", "b", "c", "d"])!, 0.25);
  assert.equal(clusterRobustStandardError([1, 0], ["a", "a"]), null);
});

Deno.test("binomialTwoSidedHalf() and chiSquare1Tail(): McNemar with b = 10, c = 2", () => {
  // Exact: 2 · (C(12,0) + C(12,1) + C(12,2)) / 2¹² = 2 · 79 / 4096.
  close(binomialTwoSidedHalf(10, 12), 0.03857421875);
  close(binomialTwoSidedHalf(12, 40), 0.01658900337497471, 1e-12);
  assert.equal(binomialTwoSidedHalf(0, 0), 1);
  // χ² = (|10 − 2| − 1)² / 12 = 49/12; p = erfc(√(49/24)).
  close(chiSquare1Tail(49 / 12), 0.04330814281079198, 1e-10);
  close(erfc(0.5), 0.4795001221869535, 1e-12);
  close(erfc(2.5), 0.0004069520174449589, 1e-12);
  close(erfc(3.5), 7.430983723414128e-07, 1e-13);
  close(erfc(5), 1.5374597944280351e-12, 1e-16);
});

Deno.test("comparePaired(): difference, SE, 95% CI and McNemar counts", () => {
  const a = [1, 1, 0, 1, 0, 1, 1, 0];
  const b = [1, 0, 1, 1, 1, 1, 1, 1];
  const c = comparePaired(
    a.map((r, i) => ({ rewardA: r, rewardB: b[i], correctA: r === 1, correctB: b[i] === 1 })),
  );
  // d = 0, −1, 1, 0, 1, 0, 0, 1: mean 0.25, sd √(3.5/7) = √0.5, SE √0.5/√8 = 0.25, CI 0.25 ± 1.96·0.25.
  close(c.difference, 0.25);
  close(c.se, 0.25);
  close(c.ci95[0], -0.2399909961350135);
  close(c.ci95[1], 0.7399909961350135);
  assert.equal(c.onlyA, 1);
  assert.equal(c.onlyB, 3);
  // Exact: 2 · (1 + 4) / 16 = 0.625; χ² = (2 − 1)² / 4 = 0.25.
  close(c.mcnemarExactP, 0.625);
  close(c.mcnemarChiSquare, 0.25);
});

function sample(
  id: string,
  reward: number | null,
  labels: string[],
  cluster: string,
  reason: string | null = null,
) {
  return {
    id,
    reward,
    correct: reward === null ? null : reward === 1,
    reason,
    error: reward === null ? { code: "timeout", message: "", stage: "generation" } : null,
    breakdown: { skills: labels },
    cluster,
  } as unknown as Sample;
}

Deno.test("summarizeRun(): multi-label items count in every bucket; errors are not verdicts", () => {
  const samples = [
    sample("1", 1, ["algebra", "geometry"], "s1"),
    sample("2", 0, ["algebra"], "s1", "no_answer"),
    sample("3", 1, ["geometry"], "s2"),
    sample("4", null, ["geometry"], "s2"),
  ];
  const s = summarizeRun(samples, { breakdownKeys: ["skills"], withClusters: true });
  assert.equal(s.items, 4);
  assert.equal(s.verdicts, 3);
  assert.deepEqual(s.errors, { timeout: 1 });
  // The headline counts every item (the timeout counts as wrong); "of answered" the verdicts only.
  close(s.overall.mean, 2 / 4);
  assert.equal(s.overall.n, 4);
  assert.equal(s.overall.correct, 2);
  close(s.answered.mean, 2 / 3);
  assert.equal(s.answered.n, 3);
  assert.equal(s.complete, false);
  assert.equal(s.unanswered, 1);
  assert.equal(s.unextractable.count, 1);
  const rows = Object.fromEntries(s.breakdowns[0].rows.map((r) => [r.label, r]));
  assert.deepEqual(s.breakdowns[0].rows.map((r) => r.label), ["geometry", "algebra"], "largest bucket first");
  assert.equal(rows.algebra.n, 2);
  close(rows.algebra.mean, 0.5);
  assert.equal(rows.geometry.items, 3);
  assert.equal(rows.geometry.verdicts, 2);
  assert.equal(rows.geometry.n, 3);
  close(rows.geometry.mean, 2 / 3);
  assert.equal(s.histogram[0].count, 1);
  assert.equal(s.histogram[9].count, 2);
});
