/** `bench compare`: two finished runs paired on the items both hold, overall and per breakdown bucket. */
import { readJsonLines } from "../data/mod.ts";
import { comparePaired, headlineScore, type PairedComparison, type PairedSample } from "../stats/mod.ts";
import { type Sample, SuiteError } from "../core/mod.ts";
import type { RunPaths } from "./run_store.ts";

/** The comparison, and which items could not be paired. */
export interface RunComparison extends PairedComparison {
  idA: string;
  idB: string;
  /** Items only run A has, and only run B has (not compared). */
  onlyInA: number;
  onlyInB: number;
  /** Paired items without a verdict in one run or both (they count as wrong there, as in the headline). */
  withoutVerdict: number;
  /** The same comparison per breakdown bucket (run A's labels), largest first. */
  categories: { key: string; rows: ({ label: string } & PairedComparison)[] }[];
}

async function samplesOf(paths: RunPaths): Promise<Sample[]> {
  let text: string;
  try {
    text = await Deno.readTextFile(paths.samples);
  } catch {
    throw new SuiteError(`Run ${paths.dir} has no samples.jsonl yet: finish it, or run "bench report" on it`);
  }
  return readJsonLines<Sample>(text, paths.samples).filter((s) => (s.sample ?? 0) === 0);
}

function runIdOf(paths: RunPaths): string {
  return paths.dir.slice(paths.dir.lastIndexOf("/") + 1);
}

/**
 * Pairs run B with run A on the items both hold (B minus A); an item without a verdict counts as
 * wrong (score 0), as in the headline. Refuses runs with no item in common.
 */
export async function compareRuns(a: RunPaths, b: RunPaths): Promise<RunComparison> {
  const samplesA = await samplesOf(a);
  const byId = new Map((await samplesOf(b)).map((s) => [s.id, s]));
  const pairs = [];
  const pairedA: Sample[] = [];
  let withoutVerdict = 0;
  for (const sa of samplesA) {
    const sb = byId.get(sa.id);
    if (!sb) continue;
    if (headlineScore(sa) !== sa.reward || headlineScore(sb) !== sb.reward || sa.error || sb.error) {
      withoutVerdict++;
    }
    pairedA.push(sa);
    pairs.push({
      rewardA: headlineScore(sa),
      rewardB: headlineScore(sb),
      correctA: sa.error === null && sa.correct === true,
      correctB: sb.error === null && sb.correct === true,
    });
  }
  if (pairs.length === 0) {
    throw new SuiteError(
      `Runs ${runIdOf(a)} and ${
        runIdOf(b)
      } have no item in common: nothing to compare (are they of the same suite?)`,
    );
  }
  return {
    idA: runIdOf(a),
    idB: runIdOf(b),
    onlyInA: samplesA.length - pairs.length,
    onlyInB: byId.size - pairs.length,
    withoutVerdict,
    ...comparePaired(pairs),
    categories: byCategory(pairedA, pairs),
  };
}

/** Paired comparisons per breakdown bucket (a multi-label item counts in each of its buckets). */
function byCategory(
  samples: Sample[],
  pairs: PairedSample[],
): RunComparison["categories"] {
  const keys = [...new Set(samples.flatMap((s) => Object.keys(s.breakdown ?? {})))];
  return keys.map((key) => {
    const buckets = new Map<string, PairedSample[]>();
    samples.forEach((s, i) => {
      for (const label of s.breakdown?.[key] ?? ["(none)"]) {
        if (!buckets.has(label)) buckets.set(label, []);
        buckets.get(label)!.push(pairs[i]);
      }
    });
    const rows = [...buckets.entries()]
      .sort(([a, x], [b, y]) => y.length - x.length || a.localeCompare(b))
      .map(([label, members]) => ({ label, ...comparePaired(members) }));
    return { key, rows };
  });
}
