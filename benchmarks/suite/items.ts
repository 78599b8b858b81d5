/** Turns dataset records into benchmark items: prompt, reference, options, breakdown labels, cluster. */
import { type DataRecord, type IdentifiedRecord, labelsAt, valueAt } from "../data/mod.ts";
import { type ScoringSpec, SuiteError, type SuiteSpec } from "../core/mod.ts";
import { renderPrompt } from "./template.ts";

/** One item of a run: what is asked and how the answer is scored. */
export interface BenchItem {
  id: string;
  index: number;
  prompt: { user: string; system?: string };
  reference: unknown;
  options: Record<string, unknown>;
  /** Options used instead when a prediction's `extraction` is scored (null: extractions are ignored). */
  extractedOptions: Record<string, unknown> | null;
  /** Breakdown key → the labels this item counts under (several for multi-label keys). */
  breakdown: Record<string, string[]>;
  cluster: string | null;
}

/** `[x, y, w, h]` → `[x, y, x + w, y + h]`; anything else unchanged (the verifier then refuses it). */
function xyxyOf(box: unknown): unknown {
  if (!Array.isArray(box) || box.length !== 4 || !box.every((v) => typeof v === "number")) return box;
  const [x, y, w, h] = box as number[];
  return [x, y, x + w, y + h];
}

function referenceOf(scoring: ScoringSpec, record: DataRecord): unknown {
  const mapping = scoring.reference;
  if (mapping === undefined) return null;
  if (typeof mapping === "string") return valueAt(record, mapping) ?? null;
  const reference: Record<string, unknown> = Object.fromEntries(
    Object.entries(mapping).map(([key, path]) => [key, valueAt(record, path) ?? null]),
  );
  if (scoring.reference_box_format === "xywh" && "box" in reference) reference.box = xyxyOf(reference.box);
  return reference;
}

function optionsOf(scoring: ScoringSpec, record: DataRecord): Record<string, unknown> {
  const options: Record<string, unknown> = { ...(scoring.options ?? {}) };
  for (const [name, path] of Object.entries(scoring.options_from ?? {})) {
    const value = valueAt(record, path);
    if (value !== undefined && value !== null) options[name] = value;
  }
  return options;
}

/** Builds every item of a suite from its records (in dataset order). */
export function buildItems(suite: SuiteSpec, records: IdentifiedRecord[]): BenchItem[] {
  return records.map(({ id, record }, index) => {
    let prompt;
    try {
      prompt = renderPrompt(suite.prompt, record);
    } catch (error) {
      throw new SuiteError(`prompt.template: ${(error as Error).message}`);
    }
    const options = optionsOf(suite.scoring, record);
    const extracted = suite.scoring.extracted_options;
    return {
      id,
      index,
      prompt,
      reference: referenceOf(suite.scoring, record),
      options,
      extractedOptions: extracted ? { ...options, ...extracted } : null,
      breakdown: Object.fromEntries((suite.breakdowns ?? []).map((key) => [key, labelsAt(record, key)])),
      cluster: suite.cluster ? labelsAt(record, suite.cluster).join("|") : null,
    };
  });
}

/** The engine item that scores `text` for a bench item (a verifier item or a spec item). */
export function verificationItem(
  scoring: ScoringSpec,
  item: BenchItem,
  text: string,
  extracted: boolean,
): Record<string, unknown> {
  const options = extracted && item.extractedOptions ? item.extractedOptions : item.options;
  const base = { id: item.id, response: text, reference: item.reference };
  if (scoring.spec !== undefined) return { ...base, spec: scoring.spec };
  return { ...base, verifier: scoring.verifier, options };
}
