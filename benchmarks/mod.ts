/**
 * Benchmark suites: run a suite against a model endpoint or a predictions file, with the same
 * engine as the server, a resumable SQLite journal, statistics with uncertainty and an HTML report.
 *
 * ```ts
 * const results = await runSuite(engine, { suite: "mathvista_testmini", predictions: { path: "preds.jsonl" }, runsDir: "runs" });
 * console.log(results.summary.overall.mean);
 * ```
 */
export { runBenchCli } from "./cli.ts";
export { type ProgressListener, type RunRequest, runSuite } from "./run/runner.ts";
export { reportRun, type RunMeta, type RunResults } from "./run/finish.ts";
export { compareRuns, type RunComparison } from "./run/compare.ts";
export { findRun, RUN_ID_PATTERN, runPaths } from "./run/run_store.ts";
export { checkPredictions, type Prediction } from "./data/predictions.ts";
export { SuiteError } from "./suite/suite_error.ts";
export { loadSuite } from "./suite/load.ts";
export { checkDatasetHash } from "./suite/integrity.ts";
export type { RunSummary } from "./stats/run_summary.ts";
export type { Sample } from "./run/sample.ts";
