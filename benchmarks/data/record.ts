/** A dataset record and how its fields are read by dotted path (`metadata.skills`). */

/** One dataset record as read from the file. */
export type DataRecord = Record<string, unknown>;

/** The value at a dotted path (`metadata.skills`), or undefined when any step is missing. */
export function valueAt(record: unknown, path: string): unknown {
  let value: unknown = record;
  for (const step of path.split(".")) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[step];
  }
  return value;
}

/** A record field's value as breakdown labels: arrays count in every bucket, missing is "(none)". */
export function labelsAt(record: unknown, path: string): string[] {
  const value = valueAt(record, path);
  if (value === undefined || value === null || value === "") return ["(none)"];
  if (Array.isArray(value)) return value.length === 0 ? ["(none)"] : value.map((v) => String(v));
  return [String(value)];
}
