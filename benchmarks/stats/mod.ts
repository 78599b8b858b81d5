/** Statistics of a run and of two runs paired: means with intervals, breakdowns, paired tests. */
export {
  type BreakdownRow,
  estimate,
  type MeanEstimate,
  type RunSummary,
  summarizeRun,
} from "./run_summary.ts";
export { comparePaired, type PairedComparison, type PairedSample } from "./paired.ts";
export { binomialTwoSidedHalf, chiSquare1Tail, erfc } from "./distributions.ts";
export {
  bootstrapMeanInterval,
  type BootstrapSettings,
  DEFAULT_BOOTSTRAP,
  seededRandom,
} from "./bootstrap.ts";
