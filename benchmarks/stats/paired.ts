/**
 * Paired comparison of two runs on the same items: the mean difference of rewards with its
 * standard error and 95% interval, and McNemar's test on the items whose correctness differs.
 */
import { mean, standardError, Z95 } from "./descriptive.ts";
import { binomialTwoSidedHalf, chiSquare1Tail } from "./distributions.ts";

/** One item's outcome in both runs. */
export interface PairedSample {
  rewardA: number;
  rewardB: number;
  correctA: boolean;
  correctB: boolean;
}

/** The comparison of run B against run A. */
export interface PairedComparison {
  n: number;
  meanA: number;
  meanB: number;
  /** mean(B − A). */
  difference: number;
  se: number;
  ci95: [number, number];
  /** A correct, B wrong. */
  onlyA: number;
  /** A wrong, B correct. */
  onlyB: number;
  mcnemarExactP: number;
  /** χ² with continuity correction, (|b − c| − 1)² / (b + c), and its p-value. */
  mcnemarChiSquare: number;
  mcnemarChiSquareP: number;
  /** The test to report: exact below `EXACT_BELOW` discordant pairs (the χ² approximation is poor there). */
  mcnemarMethod: "exact" | "chi-square";
  mcnemarP: number;
}

/** Fewer discordant pairs than this: McNemar's exact (binomial) test is the one reported. */
export const EXACT_BELOW = 25;

/** Compares paired samples (B minus A). */
export function comparePaired(samples: PairedSample[]): PairedComparison {
  const differences = samples.map((s) => s.rewardB - s.rewardA);
  const difference = differences.length === 0 ? 0 : mean(differences);
  const se = standardError(differences);
  const onlyA = samples.filter((s) => s.correctA && !s.correctB).length;
  const onlyB = samples.filter((s) => !s.correctA && s.correctB).length;
  const discordant = onlyA + onlyB;
  const chi = discordant === 0 ? 0 : Math.max(0, Math.abs(onlyA - onlyB) - 1) ** 2 / discordant;
  return {
    n: samples.length,
    meanA: samples.length === 0 ? 0 : mean(samples.map((s) => s.rewardA)),
    meanB: samples.length === 0 ? 0 : mean(samples.map((s) => s.rewardB)),
    difference,
    se,
    ci95: [difference - Z95 * se, difference + Z95 * se],
    onlyA,
    onlyB,
    mcnemarExactP: binomialTwoSidedHalf(onlyA, discordant),
    mcnemarChiSquare: chi,
    mcnemarChiSquareP: discordant === 0 ? 1 : chiSquare1Tail(chi),
    mcnemarMethod: discordant < EXACT_BELOW ? "exact" : "chi-square",
    mcnemarP: discordant < EXACT_BELOW
      ? binomialTwoSidedHalf(onlyA, discordant)
      : discordant === 0
      ? 1
      : chiSquare1Tail(chi),
  };
}
