/**
 * A run's identity: what produced its generations. Resuming a run (same run id) under a different
 * identity is refused with the differences named, unless the caller allows it explicitly: with vLLM
 * serving successive RL checkpoints under one name, the name alone would report a stale checkpoint.
 */
import { SuiteError } from "../core/mod.ts";

/** Everything that decides what a run's generations are. */
export interface RunIdentity {
  suite: { name: string; version: string; prompt_version: string; dataset_sha256: string };
  /** Sampling parameters sent with every request (temperature, max_tokens, top_p, seed). */
  generation: Record<string, unknown>;
  /** Samples per item. */
  samples: number;
  /** The endpoint (URL, served model, the checkpoint's `/models` fingerprint), or the predictions file. */
  model:
    | { kind: "endpoint"; url: string; name: string; fingerprint: string; entry: Record<string, unknown> }
    | { kind: "predictions"; sha256: string };
}

function flatten(value: unknown, prefix: string, out: Map<string, string>): void {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else out.set(prefix, JSON.stringify(value));
}

/** The fields that differ (`model.url: "http://a/v1" → "http://b/v1"`), in a stable order. */
export function identityDifferences(before: RunIdentity, now: RunIdentity): string[] {
  const a = new Map<string, string>();
  const b = new Map<string, string>();
  flatten(before, "", a);
  flatten(now, "", b);
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort();
  return keys.filter((k) => a.get(k) !== b.get(k) && k !== "model.entry" && !k.startsWith("model.entry."))
    .map((k) => `${k}: ${a.get(k) ?? "(none)"} → ${b.get(k) ?? "(none)"}`);
}

/**
 * Checks a resumed run's identity; returns the differences that were allowed (empty when none).
 * Throws a SuiteError naming them unless `allowChange`.
 */
export function checkIdentity(
  runId: string,
  before: RunIdentity | undefined,
  now: RunIdentity,
  allowChange: boolean,
): string[] {
  if (!before) return [];
  const differences = identityDifferences(before, now);
  if (differences.length === 0 || allowChange) return differences;
  throw new SuiteError(
    `Run "${runId}" was generated under a different identity, refusing to resume it:\n  ${
      differences.join("\n  ")
    }\nStart a new run (--run-id NEW), or continue this one anyway with --allow-identity-change.`,
  );
}
