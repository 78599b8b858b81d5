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
  /** One row per sample: id, outcome, reward, extraction, latency, tokens, breakdown labels. */
  csv: string;
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
    csv: `${dir}/results.csv`,
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

/** One run in a runs folder, as `bench list` shows it. */
export interface RunListing {
  id: string;
  /** `complete`, `incomplete`, or `unfinished` (a journal without results: killed, or still running). */
  status: "complete" | "incomplete" | "unfinished";
  suite: string | null;
  model: string | null;
  /** The headline (mean over every item) and its item count, when results exist. */
  mean: number | null;
  items: number | null;
  modified: string | null;
}

/** The runs under `runsDir` (newest first); an absent folder has none. */
export function listRuns(runsDir: string): RunListing[] {
  const out: RunListing[] = [];
  let entries: Deno.DirEntry[];
  try {
    entries = [...Deno.readDirSync(runsDir)];
  } catch {
    return [];
  }
  for (const entry of entries) {
    if (!entry.isDirectory || !RUN_ID_PATTERN.test(entry.name)) continue;
    const paths = runPaths(runsDir, entry.name);
    let modified: string | null = null;
    try {
      modified = Deno.statSync(paths.journal).mtime?.toISOString() ?? null;
    } catch {
      continue; // not a run folder
    }
    const listing: RunListing = {
      id: entry.name,
      status: "unfinished",
      suite: null,
      model: null,
      mean: null,
      items: null,
      modified,
    };
    try {
      const results = JSON.parse(Deno.readTextFileSync(paths.results));
      listing.status = results.status === "incomplete" ? "incomplete" : "complete";
      listing.suite = results.provenance?.suite?.name ?? null;
      listing.model = results.provenance?.model?.id ?? null;
      listing.mean = results.summary?.overall?.mean ?? null;
      listing.items = results.summary?.overall?.n ?? null;
    } catch { /* unfinished */ }
    out.push(listing);
  }
  return out.sort((a, b) => (b.modified ?? "").localeCompare(a.modified ?? ""));
}
