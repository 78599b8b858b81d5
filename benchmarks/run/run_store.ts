/** Where runs live: `<runsDir>/<run id>/` holds journal.sqlite, samples.jsonl, results.json, report.html. */
import { SuiteError } from "../core/mod.ts";

/** Run ids are file names: letters, digits, `.`, `_`, `-`. */
export const RUN_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** The files of one run. */
export interface RunPaths {
  dir: string;
  journal: string;
  samples: string;
  results: string;
  report: string;
}

/** The paths of run `id` under `runsDir` (the id is checked, so it cannot leave the folder). */
export function runPaths(runsDir: string, id: string): RunPaths {
  if (!RUN_ID_PATTERN.test(id)) throw new SuiteError(`Invalid run id "${id}"`);
  const dir = `${runsDir.replace(/\/+$/, "")}/${id}`;
  return {
    dir,
    journal: `${dir}/journal.sqlite`,
    samples: `${dir}/samples.jsonl`,
    results: `${dir}/results.json`,
    report: `${dir}/report.html`,
  };
}

/** A run folder given as a path or as an id under `runsDir`; throws when it has no journal. */
export function findRun(runsDir: string, idOrPath: string): RunPaths {
  const candidates: RunPaths[] = [];
  if (idOrPath.includes("/")) {
    const dir = idOrPath.replace(/\/+$/, "");
    const id = dir.slice(dir.lastIndexOf("/") + 1);
    candidates.push({ ...runPaths(dir.slice(0, dir.lastIndexOf("/")) || "/", id) });
  } else candidates.push(runPaths(runsDir, idOrPath));
  for (const paths of candidates) {
    try {
      Deno.statSync(paths.journal);
      return paths;
    } catch { /* next */ }
  }
  throw new SuiteError(`Run "${idOrPath}" not found (no journal.sqlite in ${candidates[0].dir})`);
}

/** A slug for a model id in a run id (`Qwen/Qwen2.5-VL-7B` → `Qwen-Qwen2.5-VL-7B`). */
export function slugOf(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 48) || "model";
}
