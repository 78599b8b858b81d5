/** Times repeated runs of the same work, after a warm-up, the way every benchmark here does. */
import type { VerifyResult } from "../verifiers/mod.ts";
import { median } from "./stats.ts";

/** What timed rounds give: each round's wall time, their median, and the last round's results. */
export interface TimedRounds {
  roundMs: number[];
  medianMs: number;
  results: VerifyResult[];
  /** Each result's own `ms` (time inside its verifier), from the last round. */
  itemMs: number[];
  correct: number;
  /** The warm-up's wall time (for a fresh engine: its first batch after start). */
  warmUpMs: number;
}

/** Runs `warmUp` once, then `run` `rounds` times, timing each. */
export async function timeRounds(
  rounds: number,
  warmUp: () => unknown,
  run: () => VerifyResult[] | Promise<VerifyResult[]>,
): Promise<TimedRounds> {
  const warmStarted = performance.now();
  await warmUp();
  const warmUpMs = performance.now() - warmStarted;
  const roundMs: number[] = [];
  let results: VerifyResult[] = [];
  for (let r = 0; r < rounds; r++) {
    const started = performance.now();
    results = await run();
    roundMs.push(performance.now() - started);
  }
  return {
    roundMs,
    medianMs: median(roundMs),
    results,
    itemMs: results.map((x) => x.ms),
    correct: results.filter((x) => x.correct).length,
    warmUpMs,
  };
}

/**
 * Timed batches of the engine benchmarks that a server scores batch after batch (`match`, `text`),
 * after one untimed batch of the same items: a fresh engine's first batch pays for its start
 * (compiling, growing the heap: about a fifth slower here), so the tables give it apart.
 */
export const ENGINE_ROUNDS = 5;

/** Responses per prompt in the GRPO-shaped rows (a2), a common group size. */
export const GRPO_GROUP = 8;

/** `run` timed ENGINE_ROUNDS times after one untimed run of the same work. */
export function timeBatches(run: () => VerifyResult[] | Promise<VerifyResult[]>): Promise<TimedRounds> {
  return timeRounds(ENGINE_ROUNDS, run, run);
}
