/** A run from start to report: run or resume a suite, score and write its outputs, compare two runs. */
export { type ProgressListener, type RunOutcome, runSuite } from "./runner.ts";
export type { RunAccess, RunRequest } from "./request.ts";
export { checkRunRequest } from "./access.ts";
export { reportRun, type RunResults } from "./finish.ts";
export { compareRuns, type RunComparison } from "./compare.ts";
export { findRun, listRuns, RUN_ID_PATTERN, type RunListing, type RunPaths, runPaths } from "./run_store.ts";
export { checkGeneration } from "./prepare.ts";
export { ProgressBar } from "./progress.ts";
