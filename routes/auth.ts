/**
 * Optional API keys: when any are configured, every request needs `Authorization: Bearer <key>`
 * except those to the routes whose contract is `public` (`GET /healthz`).
 */
import type { MiddlewareHandler } from "hono";
import type { RouteContract } from "./contract.ts";
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

/** The API-key middleware; a no-op when `keys` is empty. `open` are the public routes (fixed paths). */
export function apiKeyAuth(keys: string[], open: readonly RouteContract[]): MiddlewareHandler {
  const openRoutes = new Set(open.map((route) => `${route.method.toUpperCase()} ${route.path}`));
  return function requireApiKey(c, next) {
    if (keys.length === 0 || openRoutes.has(`${c.req.method} ${c.req.path}`)) return next();
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
