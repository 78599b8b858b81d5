/** How an item counts in a headline: every item does, and one without a verdict scores 0 (wrong). */
import type { Sample } from "../core/mod.ts";

/** Whether a sample has a verdict (no error, a reward). */
export function hasVerdict(s: Sample): boolean {
  return s.error === null && s.reward !== null;
}

/** The score an item counts with in the headline: its reward, or 0 without a verdict. */
export function headlineScore(s: Sample): number {
  return hasVerdict(s) ? s.reward as number : 0;
}
