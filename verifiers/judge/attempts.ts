/**
 * One judge call with retries: admission through the judge's shared limiter, then up to
 * `1 + retries` attempts while the failure is retryable (429, 5xx, timeout, network), waiting the
 * endpoint's `Retry-After` (which also pauses every other call to that judge) or an exponential
 * backoff, and never past the item's deadline. What is left after the last attempt is the failure.
 */
import type { Http1Pool } from "../_openai/mod.ts";
import { AdmissionAborted, type JudgeLimiter } from "./limiter.ts";

/** What one attempt returns: a success, or a failure saying whether another attempt may help. */
export type AttemptOutcome<T> =
  | { ok: true; value: T; tokens: number | null }
  | { ok: false; code: string; message: string; retryable: boolean; retryAfterMs?: number };

/** The final outcome of a call. */
export type CallOutcome<T> =
  | { ok: true; value: T; attempts: number; tokens: number | null }
  | { ok: false; code: string; message: string; attempts: number; cancelled: boolean };

/** Limits of one call. */
export interface CallLimits {
  limiter: JudgeLimiter;
  retries: number;
  /** One attempt's own deadline. */
  attemptTimeoutMs: number;
  /**
   * The item's clock, shared by all its calls: it starts when its first call is admitted (time spent
   * waiting for the judge's limits is queueing, not the item's time; DESIGN.md §2) and ends
   * `timeoutMs` later.
   */
  clock: ItemClock;
  estimatedTokens: number;
  signal?: AbortSignal;
  /** The service's HTTP/1.1 client for plain-http endpoints (absent: fetch). */
  client?: Http1Pool;
}

/** An item's deadline, set when its first call is admitted. */
export class ItemClock {
  private at: number | null = null;

  constructor(readonly timeoutMs: number) {}

  /** Starts the clock (once). */
  start(): void {
    this.at ??= now() + this.timeoutMs;
  }

  /** Epoch ms of the deadline (Infinity before the clock starts). */
  get deadlineAt(): number {
    return this.at ?? Infinity;
  }
}

/** Base of the exponential backoff between attempts (doubled per attempt, with jitter). */
export const BACKOFF_BASE_MS = 200;

function now(): number {
  return performance.timeOrigin + performance.now();
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

/** Runs `attempt(timeoutMs, signal)` under the limits; never throws. */
export async function callWithRetries<T>(
  limits: CallLimits,
  attempt: (timeoutMs: number, signal?: AbortSignal) => Promise<AttemptOutcome<T>>,
): Promise<CallOutcome<T>> {
  let attempts = 0;
  let last: { code: string; message: string } = { code: "timeout", message: "No attempt could start" };
  const cancelled = () => limits.signal?.aborted === true;
  while (attempts <= limits.retries) {
    const left = limits.clock.deadlineAt - now();
    if (left <= 0 || cancelled()) break;
    try {
      await limits.limiter.acquire(limits.estimatedTokens, limits.signal);
    } catch (error) {
      if (error instanceof AdmissionAborted) break;
      throw error;
    }
    limits.clock.start();
    attempts++;
    let outcome: AttemptOutcome<T>;
    let used: number | undefined;
    try {
      const budget = Math.max(1, Math.min(limits.attemptTimeoutMs, limits.clock.deadlineAt - now()));
      outcome = await attempt(budget, limits.signal);
      if (outcome.ok && outcome.tokens !== null) used = outcome.tokens;
    } finally {
      limits.limiter.release(limits.estimatedTokens, used);
    }
    if (outcome.ok) return { ok: true, value: outcome.value, attempts, tokens: outcome.tokens };
    last = outcome;
    if (!outcome.retryable || cancelled()) break;
    const backoff = outcome.retryAfterMs ??
      BACKOFF_BASE_MS * 2 ** (attempts - 1) * (0.5 + Math.random() / 2);
    if (outcome.retryAfterMs !== undefined) limits.limiter.pause(outcome.retryAfterMs);
    if (attempts > limits.retries || now() + backoff >= limits.clock.deadlineAt) break;
    await sleep(backoff, limits.signal);
  }
  if (cancelled()) {
    return { ok: false, code: "cancelled", message: "The batch's budget ran out", attempts, cancelled: true };
  }
  if (attempts === 0 || (last.code === "timeout" && now() >= limits.clock.deadlineAt)) {
    return {
      ok: false,
      code: "timeout",
      message: attempts === 0
        ? "The item's deadline passed before the judge could be called"
        : `${last.message} (the item's deadline passed)`,
      attempts,
      cancelled: false,
    };
  }
  return { ok: false, code: last.code, message: last.message, attempts, cancelled: false };
}
