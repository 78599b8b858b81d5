/**
 * Record shaping a suite declares for data published in a shape its prompt and scoring cannot use as is:
 * `dataset.explode` (one item per element of a list field, as lmms-eval expands RefCOCO's expressions)
 * and `derive` (computed fields, in order, each able to use the ones before it):
 *
 * ```yaml
 * derive:
 *   subject: { from: id, between: ["_", "_"] }                  # "validation_Art_Theory_12" -> "Art_Theory"
 *   discipline: { from: subject, map: { Accounting: Business } } # a lookup
 *   choices: { from: options, parse: python_list }              # "['a', \"b's\"]" -> ["a", "b's"]
 *   answer_value: { from: answer, parse: integer_as_decimal }   # "140" -> "140.0"; "Brazil" unchanged
 *   images: { collect: [image_1, image_2] }                      # the present values, as a list
 *   size: { image_size_of: image }                               # [width, height] from the image header
 * ```
 *
 * These run over the suite's pinned dataset (never over model output). A value they cannot read leaves
 * the field absent (a breakdown then says "(none)"), except a malformed `python_list`, which is an error
 * naming the record: a suite whose options cannot be read must not run.
 */
import { type DeriveSpec, SuiteError, type SuiteSpec } from "../core/mod.ts";
import { type DataRecord, type IdentifiedRecord, valueAt } from "../data/mod.ts";
import { imageSizeOf } from "./image_size.ts";
import { parsePythonList } from "./python_list.ts";
import { resolve, sep } from "node:path";

/** One item per element of `field` (id `<id>/<i>`, the field holding the element); others unchanged. */
export function explodeRecords(records: IdentifiedRecord[], field: string): IdentifiedRecord[] {
  const out: IdentifiedRecord[] = [];
  for (const { id, record } of records) {
    const value = valueAt(record, field);
    if (!Array.isArray(value)) {
      out.push({ id, record });
      continue;
    }
    value.forEach((element, i) => out.push({ id: `${id}/${i}`, record: { ...record, [field]: element } }));
  }
  const seen = new Set<string>();
  for (const { id } of out) {
    if (seen.has(id)) throw new SuiteError(`dataset.explode: two items get the id "${id.slice(0, 64)}"`);
    seen.add(id);
  }
  return out;
}

/** Present: not null, not undefined, and not an empty `{bytes: null, path: null}` image struct. */
function isPresent(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value !== "object" || !("bytes" in value)) return true;
  const struct = value as { bytes: unknown; path?: unknown };
  return (struct.bytes !== null && struct.bytes !== undefined) || typeof struct.path === "string";
}

async function readImageBytes(value: unknown, imagesDir: string | null): Promise<Uint8Array | null> {
  if (value instanceof Uint8Array) return value;
  if (value !== null && typeof value === "object" && "bytes" in value) {
    const struct = value as { bytes: unknown; path?: unknown };
    if (struct.bytes instanceof Uint8Array) return struct.bytes;
    return readImageBytes(struct.path ?? null, imagesDir);
  }
  if (typeof value !== "string" || imagesDir === null || value.startsWith("data:")) return null;
  const path = resolve(imagesDir, value);
  if (!path.startsWith(imagesDir + sep)) return null;
  try {
    const file = await Deno.open(path, { read: true });
    try {
      const head = new Uint8Array(65536);
      const n = await file.read(head);
      return n === null ? null : head.subarray(0, n);
    } finally {
      file.close();
    }
  } catch {
    return null; // not at hand (predictions runs without the images): the field stays absent
  }
}

/**
 * An integer written as a decimal ("140" -> "140.0"), anything else unchanged: the math verifier applies
 * its relative `tolerance` to decimals, so ChartQA's 5% holds for integer answers too.
 */
function integerAsDecimal(value: unknown): unknown {
  const text = typeof value === "number" && Number.isInteger(value) ? String(value) : value;
  if (typeof text !== "string") return value;
  const trimmed = text.trim();
  let digits = trimmed.startsWith("-") || trimmed.startsWith("+") ? 1 : 0;
  if (digits === trimmed.length) return value;
  for (; digits < trimmed.length; digits++) if (trimmed[digits] < "0" || trimmed[digits] > "9") return value;
  return `${trimmed}.0`;
}

async function deriveValue(
  name: string,
  spec: DeriveSpec,
  id: string,
  record: DataRecord,
  imagesDir: string | null,
): Promise<unknown> {
  if ("collect" in spec) {
    return spec.collect.map((field) => valueAt(record, field)).filter(isPresent);
  }
  if ("image_size_of" in spec) {
    const bytes = await readImageBytes(valueAt(record, spec.image_size_of), imagesDir);
    return bytes ? imageSizeOf(bytes) ?? undefined : undefined;
  }
  const source = valueAt(record, spec.from);
  if (source === undefined || source === null) return undefined;
  if ("between" in spec) {
    // After the first `open`, before the last `close` (no regular expression: suites may come from users).
    const text = String(source);
    const start = text.indexOf(spec.between[0]);
    const end = text.lastIndexOf(spec.between[1]);
    const from = start + spec.between[0].length;
    return start >= 0 && end >= from ? text.slice(from, end) : undefined;
  }
  if ("map" in spec) return Object.hasOwn(spec.map, String(source)) ? spec.map[String(source)] : undefined;
  if (spec.parse === "integer_as_decimal") return integerAsDecimal(source);
  if (Array.isArray(source)) return source; // already a list (the same data as Parquet)
  const list = parsePythonList(String(source));
  if (list === null) {
    throw new SuiteError(
      `derive.${name}: record "${id.slice(0, 64)}" field ${spec.from} is not a Python list literal`,
    );
  }
  return list;
}

/** Applies the suite's `dataset.explode` and `derive` to the records read from its dataset. */
export async function shapeRecords(
  suite: SuiteSpec,
  records: IdentifiedRecord[],
  imagesDir: string | null,
): Promise<IdentifiedRecord[]> {
  const exploded = suite.dataset.explode ? explodeRecords(records, suite.dataset.explode) : records;
  const derive = Object.entries(suite.derive ?? {});
  if (derive.length === 0) return exploded;
  const out: IdentifiedRecord[] = [];
  for (const { id, record } of exploded) {
    const shaped: DataRecord = { ...record };
    for (const [name, spec] of derive) {
      const value = await deriveValue(name, spec, id, shaped, imagesDir);
      if (value === undefined) delete shaped[name];
      else shaped[name] = value;
    }
    out.push({ id, record: shaped });
  }
  return out;
}
