/**
 * Compact results (DESIGN.md §2, batch body `fields`): a caller that needs only the reward asks for
 * `["reward", "correct", "reason"]` and gets results without `details`, which a trainer would
 * decode and throw away. `id`, `index`, `reward` and `error` always come back, so a compact result
 * still tells a verdict from a no-verdict and a caller error.
 */
import { KernelVerdict, reasonOf, resultJson, type VerifyResult } from "./result.ts";

/** Every field a result may be asked for; `reason` is `details.reason` lifted to the top. */
export const RESULT_FIELDS = [
  "id",
  "index",
  "spec",
  "verifier",
  "version",
  "reward",
  "correct",
  "reason",
  "details",
  "error",
  "ms",
  "components",
] as const;

/** One selectable result field. */
export type ResultField = typeof RESULT_FIELDS[number];

/** Fields every compact result carries whatever was asked. */
export const ALWAYS_RETURNED: readonly ResultField[] = ["id", "index", "reward", "error"];

/** JSON Schema of the `fields` list (batch bodies, the CLI's `--fields`). */
export const fieldsSchema = {
  type: "array",
  items: { enum: [...RESULT_FIELDS] },
  uniqueItems: true,
  description: "Result fields to return (id, index, reward and error always come back); all when absent.",
} as const;

/** A parsed `fields` selection, or null for full results. */
export type FieldSelection = ReadonlySet<ResultField> | null;

/** The selection for a `fields` list (null when absent: full results). */
export function selectFields(fields: readonly string[] | undefined): FieldSelection {
  if (fields === undefined) return null;
  return new Set<ResultField>([...ALWAYS_RETURNED, ...(fields as ResultField[])]);
}

/**
 * A result as JSON text with only the selected fields (all of them for a null selection), with
 * `index` first when given (NDJSON). A kernel verdict's details are never parsed unless asked for.
 */
export function resultJsonWith(result: VerifyResult, selection: FieldSelection, index?: number): string {
  if (selection === null) {
    const full = resultJson(result);
    return index === undefined ? full : `{"index":${index},${full.slice(1)}`;
  }
  if (result instanceof KernelVerdict && !selection.has("details")) {
    return compactVerdictJson(result, selection, index);
  }
  const out: Record<string, unknown> = {};
  if (result.id !== undefined) out.id = result.id;
  if (index !== undefined) out.index = index;
  if (selection.has("spec") && result.spec !== undefined) out.spec = result.spec;
  if (selection.has("verifier")) out.verifier = result.verifier;
  if (selection.has("version")) out.version = result.version;
  out.reward = result.reward;
  if (selection.has("correct")) out.correct = result.correct;
  if (selection.has("reason")) out.reason = result.error ? null : reasonOf(result);
  if (selection.has("details")) out.details = result.details;
  out.error = result.error;
  if (selection.has("ms")) out.ms = result.ms;
  if (selection.has("components") && result.components !== undefined) out.components = result.components;
  return JSON.stringify(out);
}

/** `resultJsonWith` for a kernel verdict without details: written as text (same fields, same order). */
function compactVerdictJson(
  result: KernelVerdict,
  selection: ReadonlySet<ResultField>,
  index?: number,
): string {
  let text = result.id === undefined ? "{" : `{"id":${JSON.stringify(result.id)},`;
  if (index !== undefined) text += `"index":${index},`;
  if (selection.has("verifier")) text += `"verifier":${JSON.stringify(result.verifier)},`;
  if (selection.has("version")) text += `"version":${JSON.stringify(result.version)},`;
  text += `"reward":${result.reward}`;
  if (selection.has("correct")) text += `,"correct":${result.correct}`;
  if (selection.has("reason")) text += `,"reason":${JSON.stringify(result.reason)}`;
  text += ',"error":null';
  if (selection.has("ms")) text += `,"ms":${result.ms}`;
  return text + "}";
}
