/**
 * Predictions mode: predictions made elsewhere are read (file or rows), checked against the
 * suite (an id the suite does not have is an error), and journaled as generations; an item the
 * predictions lack is journaled as `missing_prediction` (it counts as wrong).
 */
import { sha256File, sha256Hex, SuiteError } from "../core/mod.ts";
import { type Prediction, readPredictionsFile } from "../data/mod.ts";
import type { GenerationRecord } from "../journal/mod.ts";
import type { RunRequest } from "./request.ts";

/** The predictions of a request and their sha256 (of the file, or of the rows given). */
export async function readPredictions(
  request: RunRequest,
): Promise<{ predictions: Map<string, Prediction>; sha256: string }> {
  const given = request.predictions!;
  const predictions = given.rows ??
    await readPredictionsFile(given.path!).catch((error) => {
      throw new SuiteError(`predictions: ${(error as Error).message}`);
    });
  const sha256 = given.path
    ? await sha256File(given.path)
    : sha256Hex(JSON.stringify([...predictions.values()]));
  return { predictions, sha256 };
}

/** Predictions for ids the suite does not have are an error (a wrong file or a wrong suite), not ignored. */
export function refuseUnknownIds(predictions: Map<string, Prediction>, items: { id: string }[]): void {
  const known = new Set(items.map((item) => item.id));
  const unknown = [...predictions.keys()].filter((id) => !known.has(id));
  if (unknown.length === 0) return;
  const shown = unknown.slice(0, 3).map((id) => JSON.stringify(id.slice(0, 64))).join(", ");
  throw new SuiteError(
    `predictions: ${unknown.length} of ${predictions.size} ids are not items of the suite (${shown}${
      unknown.length > 3 ? ", …" : ""
    }); check the suite and the file`,
  );
}

/** The journal record of one item's prediction (or of its absence). */
export function predictionRecord(
  id: string,
  genKey: string,
  predictions: Map<string, Prediction>,
): GenerationRecord {
  const p = predictions.get(id);
  const common = {
    genKey,
    itemId: id,
    reasoning: null,
    finishReason: null,
    latencyMs: null,
    usage: null,
    imageHashes: [],
    attempts: 1,
  };
  if (!p) {
    return {
      ...common,
      response: null,
      extraction: null,
      errorCode: "missing_prediction",
      errorMessage: `The predictions have no line with id "${id.slice(0, 64)}"`,
    };
  }
  return {
    ...common,
    response: p.response,
    extraction: p.extraction ?? null,
    errorCode: null,
    errorMessage: null,
  };
}
