/**
 * The pre-flight check of a model endpoint: `GET /models` must answer, and list the served model
 * (the first one when none is named). Its entry is the checkpoint's fingerprint: every field except
 * those that change between identical requests (`created`: vLLM fills it with the request time;
 * `permission`: ids and timestamps), so a new checkpoint served under the same name is told apart
 * (vLLM's `root` is the checkpoint path, `max_model_len` its context).
 */
import { contentKey, SuiteError } from "../core/mod.ts";
import { jsonSyntaxProblem } from "../data/mod.ts";

/** The model an endpoint serves: its name and the fingerprint of its `/models` entry. */
export interface ServedModel {
  id: string;
  /** The `/models` entry's stable fields. */
  entry: Record<string, unknown>;
  /** A hash of `entry`. */
  fingerprint: string;
}

const VOLATILE = new Set(["created", "permission"]);

function stableEntry(entry: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(entry).filter(([key]) => !VOLATILE.has(key)));
}

/** The models URL of an endpoint URL (`…/v1`, `…/v1/chat/completions`). */
export function modelsUrl(url: string): string {
  return `${url.replace(/\/+$/, "").replace(/\/chat\/completions$/, "")}/models`;
}

/**
 * Asks the endpoint what it serves; throws a SuiteError that says what failed (unreachable,
 * HTTP status, a body that is not a model list, the named model not served).
 */
export async function servedModel(url: string, apiKey?: string, name?: string): Promise<ServedModel> {
  const where = modelsUrl(url);
  let body: unknown;
  try {
    const response = await fetch(where, {
      headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {},
      signal: AbortSignal.timeout(10_000),
      redirect: "error",
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    try {
      body = JSON.parse(text);
    } catch (error) {
      throw new Error(`the answer is ${jsonSyntaxProblem(error)}`);
    }
  } catch (error) {
    throw new SuiteError(
      `Pre-flight check failed: GET ${where} (${
        (error as Error).message
      }); is the model server up at ${url}?`,
    );
  }
  const data = (body as { data?: unknown })?.data;
  const entries = Array.isArray(data)
    ? data.filter((e): e is Record<string, unknown> =>
      e !== null && typeof e === "object" && typeof e.id === "string"
    )
    : [];
  if (entries.length === 0) throw new SuiteError(`Pre-flight check failed: GET ${where} listed no model`);
  const entry = name === undefined ? entries[0] : entries.find((e) => e.id === name);
  if (!entry) {
    const served = entries.slice(0, 5).map((e) => JSON.stringify(String(e.id).slice(0, 80))).join(", ");
    throw new SuiteError(`The endpoint does not serve model "${name}" (it serves ${served}); check --model`);
  }
  const stable = stableEntry(entry);
  return { id: entry.id as string, entry: stable, fingerprint: contentKey(stable).slice(0, 16) };
}
