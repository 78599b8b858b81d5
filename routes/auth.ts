/** Optional API keys: when any are configured, every request but `GET /healthz` needs `Authorization: Bearer <key>`. */
import type { MiddlewareHandler } from "hono";
import { ApiError } from "./errors.ts";

const encoder = new TextEncoder();

/** Compares two strings in time that depends only on their lengths. */
function sameKey(a: string, b: string): boolean {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

/** The API-key middleware; a no-op when `keys` is empty. */
export function apiKeyAuth(keys: string[]): MiddlewareHandler {
  return function requireApiKey(c, next) {
    if (keys.length === 0 || (c.req.method === "GET" && c.req.path === "/healthz")) return next();
    const header = c.req.header("authorization") ?? "";
    const match = /^Bearer\s+(.+)$/i.exec(header);
    const token = match?.[1].trim() ?? "";
    let ok = false;
    for (const key of keys) ok = sameKey(token, key) || ok;
    if (!ok) {
      throw new ApiError(
        401,
        "unauthorized",
        header ? "The API key is not valid" : "An API key is required: send Authorization: Bearer <key>",
        {
          "WWW-Authenticate": 'Bearer realm="arbiter"',
        },
      );
    }
    return next();
  };
}
