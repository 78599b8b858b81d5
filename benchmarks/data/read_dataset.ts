/** Reads a suite's dataset file in its format and gives every record a string id. */
import { type DatasetSpec, SuiteError } from "../core/mod.ts";
import { readJsonById } from "./json_by_id.ts";
import { readJsonLines } from "./jsonl.ts";
import { readParquet } from "./parquet.ts";
import { type DataRecord, valueAt } from "./record.ts";

/** A dataset record with its id. */
export interface IdentifiedRecord {
  id: string;
  record: DataRecord;
}

/** The records of the dataset at `path`, with ids from `id_field` (json_by_id: the key by default). */
export async function readDataset(dataset: DatasetSpec, path: string): Promise<IdentifiedRecord[]> {
  const idField = dataset.id_field ?? "id";
  let records: DataRecord[];
  try {
    const bytes = await Deno.readFile(path);
    if (dataset.format === "parquet") records = await readParquet(bytes, path);
    else {
      const text = new TextDecoder().decode(bytes);
      records = dataset.format === "jsonl" ? readJsonLines(text, path) : readJsonById(text, path, idField);
    }
  } catch (error) {
    throw new SuiteError(`dataset: ${(error as Error).message}`);
  }
  const seen = new Set<string>();
  return records.map((record, index) => {
    const raw = valueAt(record, idField);
    if (typeof raw !== "string" && typeof raw !== "number" && typeof raw !== "bigint") {
      throw new SuiteError(`dataset ${path}: record ${index} has no "${idField}" (dataset.id_field)`);
    }
    const id = String(raw);
    if (seen.has(id)) throw new SuiteError(`dataset ${path}: duplicate id "${id}"`);
    seen.add(id);
    return { id, record };
  });
}
