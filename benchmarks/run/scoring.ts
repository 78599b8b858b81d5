/**
 * Scores a run's generations through the engine (the same one the server and the CLI use).
 * Verdicts are journaled under a key of (verifier versions, item, scored text): a re-score with the
 * same verifiers reuses them, a new verifier version scores again, and nothing is ever regenerated.
 */
import type { Engine, VerifyResult } from "../../verifiers/mod.ts";
import { contentKey, type Sample, type ScoringSpec } from "../core/mod.ts";
import type { GenerationRecord, JournalItem, RunJournal } from "../journal/mod.ts";
import { type BenchItem, verificationItem } from "../suite/mod.ts";

/**
 * The versions that decide a verdict: the verifier's (and, for a staged verifier grading with another
 * one's kernel, that one's: `program` grades with `math`), or every verifier's for a spec.
 */
export function scoringVersions(engine: Engine, scoring: ScoringSpec): Record<string, string> {
  const kernel = scoring.verifier ? engine.verifier(scoring.verifier)?.kernel : undefined;
  const names = scoring.verifier
    ? [
      scoring.verifier,
      ...(kernel && kernel !== scoring.verifier && engine.verifier(kernel) ? [kernel] : []),
    ]
      .sort()
    : Object.keys(engine.table).sort();
  return Object.fromEntries(names.map((n) => [n, engine.verifier(n)?.version ?? "unknown"]));
}

function plain(result: VerifyResult): Record<string, unknown> {
  return JSON.parse(JSON.stringify(result));
}

function baseSample(
  item: BenchItem & { imageFiles?: string[] },
  g: GenerationRecord | undefined,
  sample: number,
): Sample {
  return {
    id: item.id,
    index: item.index,
    sample,
    prompt: item.prompt,
    reference: item.reference,
    image_hashes: g?.imageHashes ?? [],
    ...(item.imageFiles ? { image_files: item.imageFiles } : {}),
    response: g?.response ?? null,
    reasoning: g?.reasoning ?? null,
    given_extraction: g?.extraction ?? null,
    scored: null,
    finish_reason: g?.finishReason ?? null,
    latency_ms: g?.latencyMs ?? null,
    usage: g?.usage ?? null,
    attempts: g?.attempts ?? 0,
    error: null,
    reward: null,
    correct: null,
    reason: null,
    extracted: null,
    method: null,
    details: null,
    verifier_version: null,
    breakdown: item.breakdown,
    cluster: item.cluster,
  };
}

/** A journaled item back as a bench item. */
export function benchItemOf(stored: JournalItem): BenchItem {
  const { sampleKeys: _keys, ...data } = stored.data;
  return { id: stored.id, index: stored.index, ...data } as unknown as BenchItem;
}

/** The generation keys of a journaled item: one per sample. */
function sampleKeysOf(stored: JournalItem): string[] {
  const keys = stored.data.sampleKeys;
  return Array.isArray(keys) ? keys as string[] : [stored.genKey];
}

/**
 * Scores every generation of the run's items (`itemIds`: a limited run's; default all journaled);
 * those without a successful generation carry their generation error.
 */
export async function scoreRun(
  engine: Engine,
  journal: RunJournal,
  scoring: ScoringSpec,
  onScored?: (done: number, total: number) => void,
  itemIds?: readonly string[],
): Promise<Sample[]> {
  const versions = scoringVersions(engine, scoring);
  const generations = journal.effectiveGenerations();
  const samples: Sample[] = [];
  const pending: { sample: Sample; item: Record<string, unknown>; key: string; genSeq: number }[] = [];
  const wanted = itemIds ? new Set(itemIds) : null;
  for (const stored of journal.items()) {
    if (wanted && !wanted.has(stored.id)) continue;
    const item = benchItemOf(stored);
    sampleKeysOf(stored).forEach((genKey, j) => {
      const g = generations.get(genKey);
      const sample = baseSample(item, g, j);
      samples.push(sample);
      if (!g) {
        sample.error = { code: "not_generated", message: "No generation was journaled", stage: "generation" };
        return;
      }
      if (g.errorCode !== null) {
        sample.error = { code: g.errorCode, message: g.errorMessage ?? g.errorCode, stage: "generation" };
        return;
      }
      const useExtraction = g.extraction !== null && item.extractedOptions !== null;
      sample.scored = useExtraction ? "extraction" : "response";
      const text = useExtraction ? g.extraction! : g.response ?? "";
      const verification = verificationItem(scoring, item, text, useExtraction);
      const key = contentKey({ versions, verification });
      const stored_ = journal.verdict(g.seq!, key) as Record<string, unknown> | undefined;
      if (stored_) applyResult(sample, stored_);
      else pending.push({ sample, item: verification, key, genSeq: g.seq! });
    });
  }
  const total = pending.length;
  let done = 0;
  if (total > 0) {
    const results = await engine.verifyBatch(pending.map((p) => p.item), {
      onResult: () => onScored?.(++done, total),
    });
    const rows = pending.map((p, i) => ({ genSeq: p.genSeq, scoringKey: p.key, result: plain(results[i]) }));
    journal.appendVerdicts(rows);
    rows.forEach((row, i) => applyResult(pending[i].sample, row.result));
  }
  return samples;
}

function applyResult(sample: Sample, result: Record<string, unknown>): void {
  const details = (result.details ?? null) as Record<string, unknown> | null;
  sample.verifier_version = (result.version as string | null) ?? null;
  sample.details = details;
  if (result.error) {
    const error = result.error as { code: string; message: string };
    sample.error = { ...error, stage: "verification" };
    return;
  }
  sample.reward = result.reward as number;
  sample.correct = result.correct as boolean;
  sample.reason = (details?.reason as string | null | undefined) ?? null;
  sample.extracted = details?.extracted ?? null;
  sample.method = details?.method ?? null;
}
