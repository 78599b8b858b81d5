/**
 * `on_no_verdict` (DESIGN.md §2, "Fields added since the first release"): how an adapter that
 * cannot send null fills in items without a verdict. `group_mean`: the mean of the verdicts of the
 * same group (the same prompt's samples), so the sample gets zero advantage; a group without any
 * verdict gets the mean of every verdict in the call; a call without any verdict gets 0.0 (or the
 * caller's `fallback`, e.g. for OpenRLHF ≥ 0.10, which sends one sample per request). `zero`: 0.
 * `none`: keep null (only for callers that accept it). Every substitution is counted; the caller
 * logs. The TypeScript client imports this rule; the Python client
 * (`clients/python/arbiter_client/substitution.py`) is its one Python twin, and both are tested
 * against the same cases (`clients/substitution_cases.json`).
 */

/** The policies of `on_no_verdict`. */
export type OnNoVerdict = "group_mean" | "zero" | "none";

/** Every policy name, in the order the docs list them. */
export const ON_NO_VERDICT: readonly OnNoVerdict[] = ["group_mean", "zero", "none"];

/** Rewards with no-verdicts filled in, which ones were filled, and how. */
export interface Substituted {
  rewards: (number | null)[];
  substituted: boolean[];
  /** How many rewards were filled in. */
  count: number;
  /** Groups that had no verdict at all (under `group_mean` they got the call's mean or the fallback). */
  groupFallbacks: number;
  /** Whether the call had no verdict at all (its no-verdicts got `fallback`). */
  callFallback: boolean;
}

/**
 * Fills in the nulls of `rewards` per `mode`; `groups[i]` names item i's group; `fallback` is
 * what `group_mean` gives when the whole call has no verdict (default 0).
 *
 * ```ts
 * substituteNoVerdicts([1, null, null], ["a", "a", "b"], "group_mean").rewards; // [1, 1, 1]
 * ```
 */
export function substituteNoVerdicts(
  rewards: readonly (number | null)[],
  groups: readonly string[],
  mode: OnNoVerdict,
  fallback = 0,
): Substituted {
  const missing = rewards.map((r) => r === null);
  const sums = new Map<string, { sum: number; n: number }>();
  let sum = 0, n = 0;
  rewards.forEach((r, i) => {
    if (r === null) return;
    const g = sums.get(groups[i]) ?? { sum: 0, n: 0 };
    g.sum += r;
    g.n++;
    sums.set(groups[i], g);
    sum += r;
    n++;
  });
  const callMean = n > 0 ? sum / n : fallback;
  const fill = (i: number): number => {
    if (mode === "zero") return 0;
    const g = sums.get(groups[i]);
    return g ? g.sum / g.n : callMean;
  };
  const out = mode === "none" ? rewards.slice() : rewards.map((r, i) => r === null ? fill(i) : r);
  const substituted = missing.map((m) => m && mode !== "none");
  const emptyGroups = new Set(groups.filter((g, i) => missing[i] && !sums.has(g)));
  const applies = mode === "group_mean";
  return {
    rewards: out,
    substituted,
    count: substituted.filter(Boolean).length,
    groupFallbacks: applies ? emptyGroups.size : 0,
    callFallback: applies && n === 0 && missing.length > 0,
  };
}
