/** One error shape everywhere: `{error: {code, message}}`, raised as an `ApiError`, rendered once. */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** An HTTP error with an Arbiter error code (`invalid_request`, `overloaded`, …). */
export class ApiError extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(status, { message });
  }
}

/** The app's error handler: ApiErrors keep their status and code; anything else is a 500 `internal`. */
export function renderError(error: Error, c: Context): Response {
  if (error instanceof ApiError) {
    return c.json({ error: { code: error.code, message: error.message } }, error.status, error.headers);
  }
  if (error instanceof HTTPException) {
    const code = error.status === 401 ? "unauthorized" : error.status < 500 ? "invalid_request" : "internal";
    return c.json({ error: { code, message: error.message || `HTTP ${error.status}` } }, error.status);
  }
  console.error(`internal error on ${c.req.method} ${c.req.path}:`, error);
  return c.json({ error: { code: "internal", message: "Internal server error" } }, 500);
}

/** Reads a JSON body, turning malformed JSON into a 400 that quotes the parser's complaint. */
export async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text();
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ApiError(400, "invalid_request", `Malformed JSON body: ${(error as Error).message}`);
  }
}
