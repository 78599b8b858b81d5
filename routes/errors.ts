/**
 * One error shape everywhere: `{error: {code, message}}`, raised as an `ApiError` or by the engine,
 * rendered once. The engine's load and availability errors become 429, 413 and 503 here, for every route.
 */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { BatchTooLargeError, OverloadedError, SandboxUnavailableError } from "../verifiers/mod.ts";

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

/**
 * The engine's errors as HTTP errors: a full queue is 429 (with Retry-After), a batch larger than the
 * queue can ever hold 413, a missing kernel or sandbox 503.
 */
export function apiErrorOf(error: unknown): unknown {
  if (error instanceof OverloadedError) {
    return new ApiError(429, "overloaded", error.message, { "Retry-After": String(error.retryAfterS) });
  }
  if (error instanceof BatchTooLargeError) return new ApiError(413, "invalid_request", error.message);
  if (error instanceof SandboxUnavailableError) {
    return new ApiError(503, "sandbox_unavailable", error.message);
  }
  return error;
}

/**
 * The app's error handler: ApiErrors keep their status and code, engine errors map through
 * `apiErrorOf`, anything else is a 500 `internal`.
 */
export function renderError(thrown: Error, c: Context): Response {
  const error = apiErrorOf(thrown) as Error;
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
