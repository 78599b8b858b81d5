/**
 * What a result without a verdict becomes for a trainer (`on_no_verdict`, DESIGN.md §2), by the
 * server's own rule (`verifiers/_substitute/mod.ts`, imported, not copied: that folder imports
 * nothing, so the client stays free of the engine and runs in browsers): `group_mean` (the mean of
 * the verdicts of the same prompt's samples, so zero advantage; a group with no verdict at all
 * gets the call's mean, or `fallback` when the call has none), `zero`, or `none` (keep null). Every
 * substitution is counted and logged, never silent; a caller error (`invalid_request`) is never
 * substituted: it throws `ArbiterCallerError` with the server's message.
 */
import { ON_NO_VERDICT, type OnNoVerdict, substituteNoVerdicts } from "../../verifiers/_substitute/mod.ts";
import { ArbiterCallerError } from "./errors.ts";
import { consoleLogger, type Logger } from "./log.ts";
import type { VerifyResult } from "./results.ts";

export { ON_NO_VERDICT, type OnNoVerdict, substituteNoVerdicts };

/** What one call substituted: how many, by error code, and which positions. */
export interface SubstitutionReport {
  policy: OnNoVerdict;
  total: number;
  substituted: number;
  byCode: Record<string, number>;
  /** Groups that had no verdict at all (they got the call's mean). */
  groupFallbacks: number;
  indices: number[];
}

/** The result's reward when it is a verdict, else null. */
export function verdictOf(result: unknown): number | null {
  if (result === null || typeof result !== "object") return null;
  const { reward, error } = result as { reward?: unknown; error?: unknown };
  return error == null && typeof reward === "number" ? reward : null;
}

/** The `error.code` of a result without a verdict (`missing` when it has none). */
export function errorCodeOf(result: unknown): string {
  const error = (result as { error?: { code?: unknown } } | null)?.error;
  return typeof error?.code === "string" ? error.code : "missing";
}

/** Checks a policy name; throws a `TypeError` naming the accepted ones. */
export function checkPolicy(onNoVerdict: string): OnNoVerdict {
  if (!(ON_NO_VERDICT as readonly string[]).includes(onNoVerdict)) {
    throw new TypeError(
      `onNoVerdict must be one of ${ON_NO_VERDICT.join(", ")}; got ${JSON.stringify(onNoVerdict)}`,
    );
  }
  return onNoVerdict as OnNoVerdict;
}

/** Options of `substituteRewards`. */
export interface SubstituteOptions {
  /** `groups[i]`: the group of sample i (its prompt); without it every sample is its own group. */
  groups?: readonly (string | number)[];
  onNoVerdict?: OnNoVerdict;
  /** What `group_mean` gives when the whole call has no verdict (default 0). */
  fallback?: number;
  /** Names the caller in the log line. */
  context?: string;
  log?: Logger;
}

/**
 * One reward per result, in order, with no-verdicts substituted per `onNoVerdict`, and a report.
 * Throws `ArbiterCallerError` when a result is `invalid_request`.
 *
 * ```ts
 * const ok = { reward: 1, error: null }, down = { reward: null, error: { code: "internal", message: "trap" } };
 * substituteRewards([ok, down, { reward: 0, error: null }], { groups: ["a", "a", "b"] }).rewards; // [1, 1, 0]
 * ```
 */
export function substituteRewards(
  results: readonly (VerifyResult | { reward: unknown; error: unknown })[],
  options: SubstituteOptions = {},
): { rewards: (number | null)[]; report: SubstitutionReport } {
  const policy = checkPolicy(options.onNoVerdict ?? "group_mean");
  const groups = options.groups;
  if (groups !== undefined && groups.length !== results.length) {
    throw new RangeError(`groups has ${groups.length} keys for ${results.length} results`);
  }
  const context = options.context ?? "Arbiter";
  const rejected = results.flatMap((r, i) =>
    verdictOf(r) === null && errorCodeOf(r) === "invalid_request" ? [i] : []
  );
  if (rejected.length > 0) {
    const message = (results[rejected[0]] as { error?: { message?: unknown } }).error?.message;
    throw new ArbiterCallerError(context, rejected[0], String(message), rejected.length, results.length);
  }
  const keys = results.map((_, i) => groups === undefined ? `#${i}` : `${typeof groups[i]}:${groups[i]}`);
  const verdicts = results.map(verdictOf);
  const filled = substituteNoVerdicts(verdicts, keys, policy, options.fallback ?? 0);
  const rewards = filled.rewards;
  const indices = verdicts.flatMap((v, i) => v === null ? [i] : []);
  const report: SubstitutionReport = {
    policy,
    total: results.length,
    substituted: indices.length,
    byCode: {},
    groupFallbacks: filled.groupFallbacks,
    indices,
  };
  if (indices.length === 0) return { rewards, report };
  for (const i of indices) {
    const code = errorCodeOf(results[i]);
    report.byCode[code] = (report.byCode[code] ?? 0) + 1;
  }
  logReport(report, results, context, options.log ?? consoleLogger);
  return { rewards, report };
}

/** Logs one line for a call that substituted: counts by code and the first error message. */
function logReport(report: SubstitutionReport, results: readonly unknown[], context: string, log: Logger) {
  const first = (results[report.indices[0]] as { error?: { message?: unknown } } | null)?.error?.message;
  const codes = Object.entries(report.byCode).sort().map(([code, n]) => `${code}=${n}`).join(", ");
  const fallbacks = report.groupFallbacks
    ? ` (${report.groupFallbacks} groups without any verdict got the call's mean)`
    : "";
  log(
    "warn",
    `${context}: ${report.substituted} of ${report.total} results had no verdict (${codes}); ` +
      `substituted by on_no_verdict=${report.policy}${fallbacks}; first: ${first}`,
  );
}

/** Running totals over many calls, e.g. for a trainer's logs. */
export class SubstitutionCounter {
  total = 0;
  substituted = 0;
  groupFallbacks = 0;
  byCode: Record<string, number> = {};

  /** Adds one call's report. */
  add(report: SubstitutionReport): void {
    this.total += report.total;
    this.substituted += report.substituted;
    this.groupFallbacks += report.groupFallbacks;
    for (const [code, n] of Object.entries(report.byCode)) this.byCode[code] = (this.byCode[code] ?? 0) + n;
  }
}
