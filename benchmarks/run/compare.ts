/** `bench compare`: two finished runs paired on the items both scored. */
import { readJsonLines } from "../data/mod.ts";
import { comparePaired, type PairedComparison } from "../stats/mod.ts";
import { type Sample, SuiteError } from "../core/mod.ts";
import type { RunPaths } from "./run_store.ts";

/** The comparison and how many items could not be paired. */
export interface RunComparison extends PairedComparison {
  idA: string;
  idB: string;
  /** Items with a verdict in only one of the runs (or in neither). */
  unpaired: number;
}

async function samplesOf(paths: RunPaths): Promise<Sample[]> {
  let text: string;
  try {
    text = await Deno.readTextFile(paths.samples);
  } catch {
    throw new SuiteError(`Run ${paths.dir} has no samples.jsonl yet: finish it, or run "bench report" on it`);
  }
  return readJsonLines<Sample>(text, paths.samples);
}

function runIdOf(paths: RunPaths): string {
  return paths.dir.slice(paths.dir.lastIndexOf("/") + 1);
}

/** Pairs run B with run A by item id (B minus A). */
export async function compareRuns(a: RunPaths, b: RunPaths): Promise<RunComparison> {
  const samplesA = await samplesOf(a);
  const byId = new Map((await samplesOf(b)).map((s) => [s.id, s]));
  const pairs = [];
  let unpaired = 0;
  const all = new Set([...samplesA.map((s) => s.id), ...byId.keys()]);
  for (const sa of samplesA) {
    const sb = byId.get(sa.id);
    if (!sb || sa.reward === null || sb.reward === null || sa.error || sb.error) continue;
    pairs.push({
      rewardA: sa.reward,
      rewardB: sb.reward,
      correctA: sa.correct === true,
      correctB: sb.correct === true,
    });
  }
  unpaired = all.size - pairs.length;
  return { idA: runIdOf(a), idB: runIdOf(b), unpaired, ...comparePaired(pairs) };
}
