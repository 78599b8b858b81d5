/**
 * Reads a Parquet file (as Hugging Face ships datasets) with hyparquet, a small dependency-free
 * reader with snappy built in. This is the one file that names the dependency (pinned here until it
 * moves into deno.json's import map).
 */
import { parquetReadObjects } from "hyparquet";
import type { DataRecord } from "./record.ts";

/** Every row of a Parquet file as an object (binary columns as bytes, nested structs as objects). */
export async function readParquet(bytes: Uint8Array, path: string): Promise<DataRecord[]> {
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  try {
    return await parquetReadObjects({ file: buffer, utf8: false }) as DataRecord[];
  } catch {
    throw new Error(`${path}: not a readable Parquet file`);
  }
}
