/**
 * Bounded concurrency that adapts to the server: a 429 or 5xx halves the number of requests in
 * flight and pauses new ones (for `Retry-After`, or an exponential backoff with jitter); a run of
 * successes as long as the current limit raises it by one, up to the configured maximum.
 */

/** Backoff settings (milliseconds). */
export interface BackoffSettings {
  baseMs: number;
  maxMs: number;
}

/** A concurrency gate whose limit follows the server's pushback (AIMD). */
export class AdaptiveConcurrency {
  limit: number;
  private inFlight = 0;
  private pausedUntil = 0;
  private throttleStreak = 0;
  private successStreak = 0;
  private readonly waiters: (() => void)[] = [];
  private wakeTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly max: number,
    private readonly backoff: BackoffSettings = { baseMs: 500, maxMs: 30_000 },
  ) {
    this.limit = max;
  }

  /** Waits for a free slot (and for any pause to end). */
  acquire(): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.pump();
    });
  }

  /** Frees a slot after a success. */
  releaseOk(): void {
    this.inFlight--;
    this.throttleStreak = 0;
    if (++this.successStreak >= this.limit && this.limit < this.max) {
      this.limit++;
      this.successStreak = 0;
    }
    this.pump();
  }

  /** Frees a slot after pushback (429/5xx/timeout): halves the limit and pauses; returns the pause. */
  releaseThrottled(retryAfterMs?: number): number {
    this.inFlight--;
    this.successStreak = 0;
    this.limit = Math.max(1, Math.floor(this.limit / 2));
    const exponential = this.backoff.baseMs * 2 ** Math.min(this.throttleStreak++, 16);
    const jittered = exponential * (0.5 + Math.random() / 2);
    const delay = Math.min(this.backoff.maxMs, retryAfterMs ?? jittered);
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + delay);
    this.pump();
    return delay;
  }

  /** Frees a slot after a failure that says nothing about load (4xx, bad body). */
  releaseNeutral(): void {
    this.inFlight--;
    this.pump();
  }

  private pump(): void {
    const wait = this.pausedUntil - Date.now();
    if (wait > 0) {
      if (this.wakeTimer === undefined && this.waiters.length > 0) {
        this.wakeTimer = setTimeout(() => {
          this.wakeTimer = undefined;
          this.pump();
        }, wait);
      }
      return;
    }
    while (this.inFlight < this.limit && this.waiters.length > 0) {
      this.inFlight++;
      this.waiters.shift()!();
    }
  }
}
