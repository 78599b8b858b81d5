/**
 * The end of a run, and all of `bench report`: score the journaled generations, summarize, and
 * write the per-sample log, the results (summary + provenance) and the HTML report.
 */
import type { Engine } from "../../verifiers/mod.ts";
import { RunJournal } from "../journal/mod.ts";
import { renderReport } from "../report/mod.ts";
import { type RunMeta, type Sample, SuiteError } from "../core/mod.ts";
import {
  collapseSamples,
  type RunSummary,
  summarizeRun,
  summarizeSampling,
  summarizeUsage,
} from "../stats/mod.ts";
import { samplesCsv } from "../report/mod.ts";
import type { RunPaths } from "./run_store.ts";
import { scoreRun, scoringVersions } from "./scoring.ts";

/** A finished run. */
export interface RunResults {
  id: string;
  paths: RunPaths;
  meta: RunMeta;
  summary: RunSummary;
  samples: Sample[];
}

/** Scores and writes the outputs of a run whose journal is open. */
export async function finishRun(
  engine: Engine,
  journal: RunJournal,
  paths: RunPaths,
  meta: RunMeta,
  onProgress: (phase: string, done: number, total: number) => void = () => {},
): Promise<RunResults> {
  const scored = {
    ...meta,
    provenance: { ...meta.provenance, verifiers: scoringVersions(engine, meta.suite.scoring) },
  };
  const samples = await scoreRun(
    engine,
    journal,
    meta.suite.scoring,
    (done, total) => onProgress("scoring", done, total),
    meta.item_ids,
  );
  const n = meta.samples ?? 1;
  onProgress("reporting", 0, 1);
  const summary = summarizeRun(n > 1 ? collapseSamples(samples) : samples, {
    breakdownKeys: meta.suite.breakdowns ?? [],
    withClusters: meta.suite.cluster !== undefined,
    suiteItems: meta.suite_items ?? samples.length,
    threshold: meta.suite.scoring.threshold,
  });
  if (n > 1) {
    summary.sampling = summarizeSampling(samples, n);
    if (summary.sampling.failedSamples > 0) summary.complete = false;
    summary.usage = summarizeUsage(samples);
  }
  await Deno.writeTextFile(paths.samples, samples.map((s) => JSON.stringify(s)).join("\n") + "\n");
  await Deno.writeTextFile(
    paths.results,
    JSON.stringify(
      {
        id: meta.id,
        status: summary.complete ? "complete" : "incomplete",
        // The suite's run options it was scored with (not the benchmark's official procedure).
        ...(meta.options?.length ? { options: meta.options } : {}),
        summary,
        provenance: scored.provenance,
      },
      null,
      2,
    ) + "\n",
  );
  await Deno.writeTextFile(paths.csv, samplesCsv(samples, meta.suite.breakdowns ?? []));
  await Deno.writeTextFile(paths.report, renderReport(scored, summary, samples));
  onProgress("reporting", 1, 1);
  return { id: meta.id, paths, meta: scored, summary, samples };
}

/** Re-scores a journaled run with the current verifiers (never regenerating) and rewrites its outputs. */
export async function reportRun(engine: Engine, paths: RunPaths): Promise<RunResults> {
  const journal = new RunJournal(paths.journal);
  try {
    const meta = journal.getMeta<RunMeta>("run");
    if (!meta) throw new SuiteError(`${paths.journal} holds no run`);
    return await finishRun(engine, journal, paths, meta);
  } finally {
    journal.close();
  }
}
