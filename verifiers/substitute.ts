/**
 * `on_no_verdict` (DESIGN.md §2): how an adapter that cannot send null fills in items without a
 * verdict. `group_mean`: the mean of the verdicts of the same group (the same prompt's samples), so
 * the sample gets zero advantage; a group with no verdict at all gets the mean of every verdict in
 * the call (any shared value gives that group zero advantage; this one biases trainers that use raw
 * rewards least), or 0 when the call has none. `zero`: 0. `none`: keep null (only for callers that
 * accept it). Every substitution is counted. The Python client applies the same rule.
 */

export type OnNoVerdict = "group_mean" | "zero" | "none";

export const ON_NO_VERDICT: readonly OnNoVerdict[] = ["group_mean", "zero", "none"];

/** Rewards with no-verdicts filled in, and which ones were filled. */
export interface Substituted {
  rewards: (number | null)[];
  substituted: boolean[];
  count: number;
}

/** Fills in the nulls of `rewards` per `mode`; `groups[i]` names item i's group. */
export function substituteNoVerdicts(
  rewards: (number | null)[],
  groups: string[],
  mode: OnNoVerdict,
): Substituted {
  const substituted = rewards.map((r) => r === null && mode !== "none");
  let fill: (i: number) => number;
  if (mode === "group_mean") {
    const sums = new Map<string, { sum: number; n: number }>();
    rewards.forEach((r, i) => {
      if (r === null) return;
      const g = sums.get(groups[i]) ?? { sum: 0, n: 0 };
      g.sum += r;
      g.n++;
      sums.set(groups[i], g);
    });
    let sum = 0, n = 0;
    for (const g of sums.values()) {
      sum += g.sum;
      n += g.n;
    }
    const callMean = n > 0 ? sum / n : 0;
    fill = (i) => {
      const g = sums.get(groups[i]);
      return g ? g.sum / g.n : callMean;
    };
  } else {
    fill = () => 0;
  }
  const out = mode === "none" ? rewards.slice() : rewards.map((r, i) => r === null ? fill(i) : r);
  return { rewards: out, substituted, count: substituted.filter(Boolean).length };
}
