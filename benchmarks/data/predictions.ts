/** Predictions made elsewhere: JSONL lines `{id, response, extraction?}`, checked line by line. */
import { readJsonLines } from "./jsonl.ts";

/** One prediction. */
export interface Prediction {
  id: string;
  response: string;
  extraction?: string;
}

/** Checks parsed rows (from a file or an HTTP body); the message names the row and the field. */
export function checkPredictions(rows: unknown[], where: string): Map<string, Prediction> {
  const out = new Map<string, Prediction>();
  rows.forEach((row, i) => {
    const r = row as Record<string, unknown>;
    const at = `${where} row ${i + 1}`;
    if (r === null || typeof r !== "object") throw new Error(`${at}: expected an object`);
    if (typeof r.id !== "string" && typeof r.id !== "number") throw new Error(`${at}: "id" must be a string`);
    if (typeof r.response !== "string") throw new Error(`${at}: "response" must be a string`);
    if (r.extraction !== undefined && r.extraction !== null && typeof r.extraction !== "string") {
      throw new Error(`${at}: "extraction" must be a string when present`);
    }
    const id = String(r.id);
    if (out.has(id)) throw new Error(`${at}: duplicate id "${id}"`);
    out.set(id, {
      id,
      response: r.response,
      ...(typeof r.extraction === "string" ? { extraction: r.extraction } : {}),
    });
  });
  return out;
}

/** Reads a predictions JSONL file. */
export async function readPredictionsFile(path: string): Promise<Map<string, Prediction>> {
  return checkPredictions(readJsonLines(await Deno.readTextFile(path), path), path);
}
