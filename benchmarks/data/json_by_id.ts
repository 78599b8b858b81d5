/** Reads JSON datasets: an object keyed by id (MathVista's `testmini.json`) or an array of records. */
import type { DataRecord } from "./record.ts";
import { jsonSyntaxProblem } from "./jsonl.ts";

/** The records of a JSON object keyed by id; each record gets the key as `idField` when it lacks one. */
export function readJsonById(text: string, path: string, idField: string): DataRecord[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${path}: ${jsonSyntaxProblem(error)}`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new Error(`${path}: expected a JSON object keyed by id`);
  }
  return Object.entries(value as Record<string, unknown>).map(([key, record]) => {
    if (record === null || typeof record !== "object" || Array.isArray(record)) {
      throw new Error(`${path}: the record under key "${key}" is not an object`);
    }
    const fields = record as DataRecord;
    return idField in fields ? fields : { ...fields, [idField]: key };
  });
}

/** The records of a JSON array of objects (ScreenSpot's annotation files), in order. */
export function readJsonList(text: string, path: string): DataRecord[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${path}: ${jsonSyntaxProblem(error)}`);
  }
  if (!Array.isArray(value)) throw new Error(`${path}: expected a JSON array of records`);
  return value.map((record, i) => {
    if (record === null || typeof record !== "object" || Array.isArray(record)) {
      throw new Error(`${path}: element ${i} is not an object`);
    }
    return record as DataRecord;
  });
}
