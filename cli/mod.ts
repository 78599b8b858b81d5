/**
 * The command-line tools behind `main.ts`: `verify` (JSONL in, JSONL out through the engine) and
 * `bench` (benchmark suites).
 */
export { runVerify } from "./verify.ts";
export { runBenchCli } from "./bench.ts";
