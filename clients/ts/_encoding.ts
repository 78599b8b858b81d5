/** Items to JSON bytes, once each: what cannot be JSON is found before anything is sent. */

const encoder = new TextEncoder();

/**
 * Why `value` cannot travel as JSON (NaN, infinities, bigints, functions, cycles), or null.
 * `JSON.stringify` would turn NaN into null silently; a reward computed from a changed item is
 * worse than an `invalid_request` result.
 */
export function jsonProblem(value: unknown, path = "item", seen = new Set<object>()): string | null {
  switch (typeof value) {
    case "number":
      return Number.isFinite(value) ? null : `${path} is ${value}, which JSON cannot carry`;
    case "bigint":
    case "function":
    case "symbol":
      return `${path} is a ${typeof value}, which JSON cannot carry`;
    case "object": {
      if (value === null) return null;
      if (seen.has(value)) return `${path} refers back to itself`;
      if (typeof (value as { toJSON?: unknown }).toJSON === "function") return null;
      seen.add(value);
      const entries: [string, unknown][] = Array.isArray(value)
        ? value.map((v, i) => [`${path}[${i}]`, v])
        : Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [`${path}.${k}`, v]);
      for (const [where, child] of entries) {
        const problem = jsonProblem(child, where, seen);
        if (problem) return problem;
      }
      seen.delete(value);
      return null;
    }
    default:
      return null;
  }
}

/** The item's compact UTF-8 JSON, or the reason (a string) why it cannot be sent. */
export function encodeItem(item: unknown): Uint8Array | string {
  const problem = jsonProblem(item);
  if (problem) return `The item is not JSON-serializable: ${problem}`;
  try {
    return encoder.encode(JSON.stringify(item));
  } catch (error) {
    return `The item is not JSON-serializable: ${(error as Error).message}`;
  }
}

/** The `,"budget_ms":N` part of a batch body (empty without a budget). */
export function budgetField(budgetMs: number | undefined): string {
  return budgetMs === undefined ? "" : `,"budget_ms":${Math.max(1, Math.ceil(budgetMs))}`;
}

/** The `,"fields":[...]` part of a batch body (empty for full results). */
export function fieldsField(fields: readonly string[] | undefined): string {
  return fields === undefined ? "" : `,"fields":${JSON.stringify(fields)}`;
}

/** The `{"items":[...],"budget_ms":N,"fields":[...]}` body for already-encoded items, as one byte array. */
export function batchBody(
  encoded: readonly Uint8Array[],
  budgetMs?: number,
  fields?: readonly string[],
): Uint8Array {
  const head = encoder.encode('{"items":[');
  const tail = encoder.encode("]" + budgetField(budgetMs) + fieldsField(fields) + "}");
  let size = head.length + tail.length + Math.max(0, encoded.length - 1);
  for (const data of encoded) size += data.length;
  const body = new Uint8Array(size);
  body.set(head, 0);
  let at = head.length;
  encoded.forEach((data, i) => {
    if (i > 0) body[at++] = 0x2c; // ","
    body.set(data, at);
    at += data.length;
  });
  body.set(tail, at);
  return body;
}

/** The size of `batchBody` for items of these sizes, without building it. */
export function batchBodySize(
  sizes: readonly number[],
  budgetMs?: number,
  fields?: readonly string[],
): number {
  const overhead = '{"items":[]}'.length + budgetField(budgetMs).length +
    encoder.encode(fieldsField(fields)).length;
  return overhead + sizes.reduce((sum, n) => sum + n, 0) + Math.max(0, sizes.length - 1);
}
