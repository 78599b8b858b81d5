/**
 * `bench list`: the built-in suites (name, version, verifier, description, run options) and the runs in
 * the runs folder.
 */
import { listRuns, listSuites, percent } from "../benchmarks/mod.ts";

/** Prints the suites and the runs; returns 0. */
export function benchList(runsDir: string): number {
  console.log("suites (benchmarks/suites/):");
  for (const { name, spec, error } of listSuites()) {
    if (!spec) {
      console.log(`  ${name}  (invalid: ${error})`);
      continue;
    }
    const scoring = spec.scoring.verifier ?? "spec";
    const options = Object.keys(spec.run_options ?? {});
    console.log(
      `  ${name.padEnd(28)} v${spec.version.padEnd(4)} ${scoring.padEnd(11)} ${spec.description ?? ""}${
        options.length > 0 ? ` [run options: ${options.join(", ")}]` : ""
      }`,
    );
  }
  const runs = listRuns(runsDir);
  console.log(`\nruns (${runsDir}):${runs.length === 0 ? " none" : ""}`);
  for (const r of runs) {
    const score = r.mean === null ? "" : `${percent(r.mean)} of ${r.items}`;
    console.log(`  ${r.id.padEnd(48)} ${r.status.padEnd(10)} ${score.padEnd(16)} ${r.model ?? ""}`);
  }
  return 0;
}
