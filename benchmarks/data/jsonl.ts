/** Reads JSON Lines: one object per non-blank line; a bad line is reported with its number. */

/**
 * What went wrong in a `JSON.parse`, without the text: V8's messages quote the start of the input
 * ("Unexpected token 'r', "root:x:0:0"... is not valid JSON"), which must never reach a caller.
 */
export function jsonSyntaxProblem(error: unknown): string {
  const position = /at position (\d+)/.exec((error as Error)?.message ?? "");
  return position ? `not valid JSON (at position ${position[1]})` : "not valid JSON";
}

/** The objects of a JSONL text; throws naming the file and line of the first malformed line. */
export function readJsonLines<T = Record<string, unknown>>(text: string, path: string): T[] {
  const out: T[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new Error(`${path}:${i + 1}: ${jsonSyntaxProblem(error)}`);
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      throw new Error(`${path}:${i + 1}: expected a JSON object`);
    }
    out.push(value as T);
  }
  return out;
}
