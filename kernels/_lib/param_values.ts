// Typed reads of the host's parameter object, each with the value to use when the key is absent
// or of another type (the host's glue writes every key; the fallbacks are its defaults).

import { JsonKind, JsonValue } from "./json";

/** The string at `key`, else `fallback`. */
export function stringAt(p: JsonValue, key: string, fallback: string): string {
  const v = p.get(key);
  return v !== null && v.kind == JsonKind.String ? v.str : fallback;
}

/** The number at `key`, else `fallback`. */
export function numberAt(p: JsonValue, key: string, fallback: f64): f64 {
  const v = p.get(key);
  return v !== null && v.kind == JsonKind.Number ? v.num : fallback;
}

/** The boolean at `key`, else `fallback`. */
export function boolAt(p: JsonValue, key: string, fallback: bool): bool {
  const v = p.get(key);
  return v !== null && v.kind == JsonKind.Bool ? v.bool : fallback;
}
