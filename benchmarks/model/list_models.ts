/** Asks an OpenAI-compatible server which model it serves (`GET /models`), for runs without `--model`. */
import { SuiteError } from "../core/mod.ts";
import { jsonSyntaxProblem } from "../data/mod.ts";

/** The first model id the endpoint lists; throws a clear error when it cannot be asked. */
export async function listModels(url: string, apiKey?: string): Promise<string> {
  const base = url.replace(/\/+$/, "").replace(/\/chat\/completions$/, "");
  try {
    const response = await fetch(`${base}/models`, {
      headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {},
      signal: AbortSignal.timeout(10_000),
      redirect: "error",
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    let body;
    try {
      body = JSON.parse(await response.text());
    } catch (error) {
      throw new Error(`the answer is ${jsonSyntaxProblem(error)}`);
    }
    const id = body?.data?.[0]?.id;
    if (typeof id === "string" && id.length > 0) return id;
    throw new Error(`GET ${base}/models listed no model`);
  } catch (error) {
    throw new SuiteError(
      `Could not ask ${base}/models for the model id (${(error as Error).message}); pass --model`,
    );
  }
}
