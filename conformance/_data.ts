/** Locates the conformance data: ../shared/conformance next to the checkout, or ARBITER_CONFORMANCE_DIR. */

/** The conformance folder; fails (never skips) when it is missing. */
export function conformanceDir(): string {
  const fromEnv = Deno.env.get("ARBITER_CONFORMANCE_DIR");
  const dir = fromEnv ?? new URL("../../shared/conformance", import.meta.url).pathname;
  try {
    if (Deno.statSync(dir).isDirectory) return dir;
  } catch { /* reported below */ }
  throw new Error(`Conformance data not found at "${dir}" (set ARBITER_CONFORMANCE_DIR)`);
}

/** Reads a JSON Lines file of the conformance folder. */
export function readJsonl<T>(relative: string): T[] {
  const text = Deno.readTextFileSync(`${conformanceDir()}/${relative}`);
  return text.split("\n").filter((l) => l.trim().length > 0).map((l) => JSON.parse(l) as T);
}
