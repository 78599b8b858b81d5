/**
 * Reading `ARBITER_API_KEY` where there is an environment: Deno (only when the permission is
 * already granted, so that no prompt appears) or Node. In a browser there is none.
 */

interface DenoLike {
  env: { get(name: string): string | undefined };
  permissions?: { querySync?(descriptor: { name: "env"; variable: string }): { state: string } };
}

interface NodeLike {
  env?: Record<string, string | undefined>;
}

/** The variable's value, or undefined when it is unset or cannot be read without asking. */
export function readEnv(name: string): string | undefined {
  const scope = globalThis as { Deno?: DenoLike; process?: NodeLike };
  try {
    if (typeof scope.Deno?.env?.get === "function") {
      const query = scope.Deno.permissions?.querySync;
      const state = query
        ? query.call(scope.Deno.permissions, { name: "env", variable: name }).state
        : "granted";
      return state === "granted" ? scope.Deno.env.get(name) : undefined;
    }
    if (typeof scope.process?.env === "object") return scope.process.env[name];
  } catch { /* no access: no key */ }
  return undefined;
}
