/**
 * Reads a suite's dataset in its format and gives every record a string id. The path is a file, or
 * a folder whose files of the format are read in name order (ScreenSpot-v2 ships three JSON files,
 * ScreenSpot-Pro one per application); each record from a folder gets `_file` (the file's stem).
 */
import { DATASET_EXTENSIONS, datasetFilesIn, type DatasetSpec, SuiteError } from "../core/mod.ts";
import { readJsonById, readJsonList } from "./json_by_id.ts";
import { readJsonLines } from "./jsonl.ts";
import { readParquet } from "./parquet.ts";
import { type DataRecord, valueAt } from "./record.ts";

/** A dataset record with its id. */
export interface IdentifiedRecord {
  id: string;
  record: DataRecord;
}

async function readFile(dataset: DatasetSpec, path: string, idField: string): Promise<DataRecord[]> {
  const bytes = await Deno.readFile(path);
  if (dataset.format === "parquet") return await readParquet(bytes, path);
  const text = new TextDecoder().decode(bytes);
  if (dataset.format === "jsonl") return readJsonLines(text, path);
  if (dataset.format === "json_list") return readJsonList(text, path);
  return readJsonById(text, path, idField);
}

/** The records of the dataset at `path`, with ids from `id_field` (json_by_id: the key by default). */
export async function readDataset(dataset: DatasetSpec, path: string): Promise<IdentifiedRecord[]> {
  const idField = dataset.id_field ?? "id";
  let records: DataRecord[] = [];
  try {
    if ((await Deno.stat(path)).isDirectory) {
      for (const name of datasetFilesIn(path, DATASET_EXTENSIONS[dataset.format])) {
        const stem = name.replace(/\.[^.]+$/, "");
        const rows = await readFile(dataset, `${path}/${name}`, idField);
        // Records without an id (ScreenSpot-v2's) are numbered within their file.
        records.push(
          ...rows.map((r, i) => ({
            ...r,
            _file: stem,
            ...(valueAt(r, idField) === undefined ? { [idField]: `${stem}/${i}` } : {}),
          })),
        );
      }
    } else {
      records = (await readFile(dataset, path, idField)).map((r, i) =>
        dataset.format === "json_list" && valueAt(r, idField) === undefined
          ? { ...r, [idField]: String(i) }
          : r
      );
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
    if (seen.has(id)) throw new SuiteError(`dataset ${path}: duplicate id "${id.slice(0, 64)}"`);
    seen.add(id);
    return { id, record };
  });
}
