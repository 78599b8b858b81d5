/** Asks an OpenAI-compatible server which model it serves (`GET /models`), for runs without `--model`. */
import { SuiteError } from "../core/mod.ts";

/** The first model id the endpoint lists; throws a clear error when it cannot be asked. */
export async function listModels(url: string, apiKey?: string): Promise<string> {
  const base = url.replace(/\/+$/, "").replace(/\/chat\/completions$/, "");
  try {
    const response = await fetch(`${base}/models`, {
      headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {},
      signal: AbortSignal.timeout(10_000),
    });
    const body = await response.json();
    const id = body?.data?.[0]?.id;
    if (typeof id === "string" && id.length > 0) return id;
    throw new Error(`GET ${base}/models listed no model`);
  } catch (error) {
    throw new SuiteError(
      `Could not ask ${base}/models for the model id (${(error as Error).message}); pass --model`,
    );
  }
}
