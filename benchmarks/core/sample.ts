/** One scored sample of a run: everything the per-sample log and the report show about an item. */

/** A sample's record in `samples.jsonl`. */
export interface Sample {
  id: string;
  index: number;
  /** Which generation of the item this is (0-based; runs with `--samples N` have N per item). */
  sample: number;
  prompt: { user: string; system?: string };
  /** The item's reference answer (what the verifier compares with). */
  reference: unknown;
  image_hashes: string[];
  /** The question's image files (absolute paths; absent for images embedded in the dataset). */
  image_files?: string[];
  response: string | null;
  reasoning: string | null;
  /** A prediction file's given extraction, when there was one. */
  given_extraction: string | null;
  /** What was scored: the response, or the given extraction. */
  scored: "response" | "extraction" | null;
  finish_reason: string | null;
  latency_ms: number | null;
  usage: Record<string, unknown> | null;
  attempts: number;
  /** No verdict: the generation failed (`timeout`, `length`, …) or the verifier gave none. */
  error: { code: string; message: string; stage: "generation" | "verification" } | null;
  reward: number | null;
  correct: boolean | null;
  reason: string | null;
  /** The verifier's extraction (`details.extracted`) and how it decided (`details.method`). */
  extracted: unknown;
  method: unknown;
  details: Record<string, unknown> | null;
  verifier_version: string | null;
  breakdown: Record<string, string[]>;
  cluster: string | null;
}

/** Reasons that mean no answer could be read from the text. */
export const UNEXTRACTABLE_REASONS = new Set(["no_answer", "bad_format", "parse_error"]);
