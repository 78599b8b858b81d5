/** sha256 helpers: of text, of bytes, of files (streamed), and content keys of JSON values. */
import { createHash } from "node:crypto";

/** sha256 of a string or bytes, as hex. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/** sha256 of a file, read in chunks so large datasets do not sit in memory twice (the stream closes it). */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  const file = await Deno.open(path, { read: true });
  for await (const chunk of file.readable) hash.update(chunk);
  return hash.digest("hex");
}

/** The data files of a dataset folder: its files with these extensions, sorted by name (not recursive). */
export function datasetFilesIn(dir: string, extensions: readonly string[]): string[] {
  return [...Deno.readDirSync(dir)]
    .filter((e) => e.isFile && extensions.some((ext) => e.name.endsWith(ext)))
    .map((e) => e.name)
    .sort();
}

/** The extensions a dataset folder's files have, per format. */
export const DATASET_EXTENSIONS: Record<string, string[]> = {
  json_by_id: [".json"],
  json_list: [".json"],
  jsonl: [".jsonl"],
  parquet: [".parquet"],
};

/**
 * sha256 of a dataset: of the file, or for a folder of the manifest of its data files (the
 * `sha256  name` lines, sorted by name, as `sha256sum` prints them).
 */
export async function sha256Dataset(path: string, format: string): Promise<string> {
  if (!(await Deno.stat(path)).isDirectory) return await sha256File(path);
  const lines: string[] = [];
  for (const name of datasetFilesIn(path, DATASET_EXTENSIONS[format] ?? [])) {
    lines.push(`${await sha256File(`${path}/${name}`)}  ${name}`);
  }
  return sha256Hex(lines.join("\n") + "\n");
}

/** JSON with object keys sorted, so equal values always give equal text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

/** A content key: the sha256 of a value's canonical JSON. */
export function contentKey(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}
