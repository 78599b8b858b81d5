/**
 * The attempt schedule of one logical request: every URL of a round is tried at once (failover);
 * only when the whole round failed does the client sleep, with exponential backoff and jitter, and
 * never less than the server's `Retry-After`.
 */
import { ArbiterUnavailableError } from "./errors.ts";
import type { UrlRing } from "./_url_ring.ts";

/** Backoff settings (milliseconds). */
export interface RetryPolicy {
  maxRetries: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  retryAfterMaxMs: number;
  /** Uniform in [0, 1); `Math.random` unless a test fixes it. */
  random: () => number;
}

/**
 * Milliseconds to sleep before the `waitNumber`-th new round (1, 2, …): uniform in `[b/2, b]` with
 * `b = min(backoffMaxMs, backoffBaseMs · 2^(n-1))`; with `Retry-After: s`, at least `s` plus up to
 * 10 % jitter, capped at `retryAfterMaxMs`.
 */
export function backoffDelayMs(policy: RetryPolicy, waitNumber: number, retryAfterMs: number | null): number {
  const ceiling = Math.min(policy.backoffMaxMs, policy.backoffBaseMs * 2 ** Math.max(0, waitNumber - 1));
  let wait = ceiling / 2 + policy.random() * (ceiling / 2);
  if (retryAfterMs !== null) {
    wait = Math.max(wait, Math.min(policy.retryAfterMaxMs, retryAfterMs * (1 + policy.random() * 0.1)));
  }
  return wait;
}

/** A step of the schedule: try a URL now, or sleep first. */
export type RetryStep = { url: string } | { sleepMs: number };

/**
 * `nextStep()` gives the URL to try now or a delay to sleep; after a failed attempt call
 * `failed()`, which throws `ArbiterUnavailableError` once `maxRetries` retries have been used.
 */
export class RetrySession {
  private pending: string[];
  private attempts = 0;
  private waits = 0;
  private roundRetryAfterMs: number | null = null;
  private mustWait = false;
  lastFailure = "";

  constructor(private readonly ring: UrlRing, private readonly policy: RetryPolicy) {
    this.pending = ring.order();
  }

  /** The next URL to try, or the milliseconds to sleep before the next round. */
  nextStep(): RetryStep {
    if (this.pending.length === 0) {
      if (this.mustWait) {
        this.mustWait = false;
        this.waits++;
        return { sleepMs: backoffDelayMs(this.policy, this.waits, this.roundRetryAfterMs) };
      }
      this.pending = this.ring.order();
      this.roundRetryAfterMs = null;
    }
    this.attempts++;
    return { url: this.pending.shift()! };
  }

  /** Records a failed attempt; throws when no retry is left. */
  failed(url: string, description: string, retryAfterMs: number | null = null): void {
    this.lastFailure = `${url}: ${description}`;
    this.ring.markFailed(url);
    if (retryAfterMs !== null) this.roundRetryAfterMs = Math.max(this.roundRetryAfterMs ?? 0, retryAfterMs);
    if (this.attempts > this.policy.maxRetries) {
      throw new ArbiterUnavailableError(this.attempts, this.lastFailure);
    }
    if (this.pending.length === 0) this.mustWait = true;
  }

  /** Records that `url` answered. */
  succeeded(url: string): void {
    this.ring.markOk(url);
  }
}
