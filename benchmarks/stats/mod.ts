/** Statistics of a run and of two runs paired: means with intervals, breakdowns, paired tests. */
export {
  type BreakdownRow,
  estimate,
  type MeanEstimate,
  type RunSummary,
  summarizeRun,
  type SummaryOptions,
  type ThresholdMetric,
} from "./run_summary.ts";
export { hasVerdict, headlineScore } from "./headline_score.ts";
export { summarizeUsage, type UsageSummary } from "./usage.ts";
export { comparePaired, EXACT_BELOW, type PairedComparison, type PairedSample } from "./paired.ts";
export { binomialTwoSidedHalf, chiSquare1Tail, erfc } from "./distributions.ts";
export {
  bootstrapMeanInterval,
  type BootstrapSettings,
  DEFAULT_BOOTSTRAP,
  seededRandom,
} from "./bootstrap.ts";
export {
  collapseSamples,
  kValues,
  majorityCorrect,
  passAtK,
  samplesByItem,
  type SamplingRow,
  type SamplingSummary,
  summarizeSampling,
} from "./sampling.ts";
