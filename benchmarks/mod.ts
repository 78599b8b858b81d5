/**
 * Benchmark suites: run a suite against a model endpoint or a predictions file, with the same
 * engine as the server, a resumable SQLite journal, statistics with uncertainty and an HTML report.
 * The command line is `cli/bench.ts`; the HTTP routes are `routes/benchmarks.ts`.
 *
 * Folders, bottom to top (each imports only those below it, through their `mod.ts`): `core/` (the
 * shared nouns), `data/`, `journal/`, `suite/`, `stats/`, `model/`, `report/`, `run/`.
 *
 * ```ts
 * const results = await runSuite(engine, { suite: "mathvista_testmini", predictions: { path: "preds.jsonl" }, runsDir: "runs" });
 * console.log(results.summary.overall.mean);
 * ```
 */
export {
  checkGeneration,
  checkRunRequest,
  compareRuns,
  findRun,
  listRuns,
  ProgressBar,
  type ProgressListener,
  reportRun,
  RUN_ID_PATTERN,
  type RunAccess,
  type RunComparison,
  type RunListing,
  type RunOutcome,
  type RunPaths,
  runPaths,
  type RunRequest,
  type RunResults,
  runSuite,
} from "./run/mod.ts";
export { checkPredictions, type Prediction } from "./data/mod.ts";
export { generationSchema, type GenerationSpec, type RunMeta, type Sample, SuiteError } from "./core/mod.ts";
export { checkDatasetHash, listSuites, loadSuite } from "./suite/mod.ts";
export type { RunSummary } from "./stats/mod.ts";
export { breakdownTables, interval, percent, pValue, renderComparison, summaryLines } from "./report/mod.ts";
