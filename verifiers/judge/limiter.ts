/**
 * Per-judge admission, shared by every request the server handles: at most `maxConcurrency` calls
 * in flight, a requests-per-minute bucket and a tokens-per-minute bucket (refilled continuously, as
 * verl's reward loop and the hosted APIs count), and a pause when the endpoint says `Retry-After`.
 * Waiters are served first come, first served; a waiter whose signal aborts leaves the queue.
 */

/** A bucket of `capacity` units refilled at `capacity` per minute. */
export class TokenBucket {
  private level: number;
  private updatedAt: number;

  constructor(readonly capacity: number, private readonly now: () => number = () => performance.now()) {
    this.level = capacity;
    this.updatedAt = now();
  }

  private refill(): void {
    const t = this.now();
    this.level = Math.min(this.capacity, this.level + ((t - this.updatedAt) * this.capacity) / 60_000);
    this.updatedAt = t;
  }

  /** Ms until `amount` units are available (0: now). An amount above capacity waits for a full bucket. */
  waitMs(amount: number): number {
    if (this.capacity === Infinity) return 0;
    this.refill();
    const need = Math.min(amount, this.capacity) - this.level;
    return need <= 0 ? 0 : Math.ceil((need * 60_000) / this.capacity);
  }

  /** Takes `amount` units (the level may go below zero: later waiters then wait longer). */
  take(amount: number): void {
    if (this.capacity === Infinity) return;
    this.refill();
    this.level -= amount;
  }

  /** Gives back units taken on an estimate that turned out too high (never above capacity). */
  giveBack(amount: number): void {
    if (this.capacity === Infinity) return;
    this.refill();
    this.level = Math.min(this.capacity, this.level + amount);
  }
}

/** Thrown to a waiter whose signal aborted before it was admitted. */
export class AdmissionAborted extends Error {
  override name = "AdmissionAborted";
}

interface Waiter {
  tokens: number;
  resolve: () => void;
  reject: (error: Error) => void;
  signal?: AbortSignal;
  admitted: boolean;
}

/** The waiters of one abort signal, and the one listener the signal carries for all of them. */
interface SignalWaiters {
  waiters: Set<Waiter>;
  onAbort: () => void;
}

/** Admission for one judge. */
export class JudgeLimiter {
  private inFlight = 0;
  private readonly queue: Waiter[] = [];
  private readonly requests: TokenBucket;
  private readonly tokens: TokenBucket;
  private pausedUntil = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /**
   * Waiters by abort signal. A batch's thousands of waiters share one signal: one listener per signal
   * (adding a listener costs time linear in the listeners already there).
   */
  private readonly bySignal = new Map<AbortSignal, SignalWaiters>();
  /** Highest number of calls seen in flight at once (tests and metrics read it). */
  peakInFlight = 0;
  /** Time-integral of the calls in flight (call-milliseconds) up to `busyAt`. */
  private busy = 0;
  private busyAt = performance.now();

  constructor(readonly maxConcurrency: number, requestsPerMinute: number, tokensPerMinute: number) {
    this.requests = new TokenBucket(requestsPerMinute);
    this.tokens = new TokenBucket(tokensPerMinute);
  }

  /** Calls waiting for admission. */
  get waiting(): number {
    return this.queue.length;
  }

  /** Waits until a call estimated at `tokens` tokens may start; call `release` when it ends. */
  acquire(tokens: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(new AdmissionAborted("aborted before admission"));
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { tokens, resolve, reject, signal, admitted: false };
      this.queue.push(waiter);
      this.pump();
      // Only a waiter that has to wait listens for its signal's abort.
      if (signal && !waiter.admitted) this.watch(signal).waiters.add(waiter);
    });
  }

  /** The entry of `signal`, adding its one abort listener on first use. */
  private watch(signal: AbortSignal): SignalWaiters {
    let entry = this.bySignal.get(signal);
    if (entry === undefined) {
      const waiters = new Set<Waiter>();
      const onAbort = () => {
        this.bySignal.delete(signal);
        let kept = 0;
        for (const waiter of this.queue) if (!waiters.has(waiter)) this.queue[kept++] = waiter;
        this.queue.length = kept;
        for (const waiter of waiters) {
          waiter.reject(new AdmissionAborted("aborted while waiting for the judge's limits"));
        }
        // Waiters behind the aborted ones may be admissible now (e.g. a paused head left).
        this.pump();
      };
      entry = { waiters, onAbort };
      this.bySignal.set(signal, entry);
      signal.addEventListener("abort", onAbort, { once: true });
    }
    return entry;
  }

  /** A waiter leaves its signal's entry (admitted or rejected); the last one removes the listener. */
  private unwatch(waiter: Waiter): void {
    const signal = waiter.signal;
    if (signal === undefined) return;
    const entry = this.bySignal.get(signal);
    if (entry === undefined) return;
    entry.waiters.delete(waiter);
    if (entry.waiters.size === 0) {
      this.bySignal.delete(signal);
      signal.removeEventListener("abort", entry.onAbort);
    }
  }

  /**
   * Call-milliseconds spent in flight so far (each call counts from admission to release): over an
   * interval, its increase divided by the interval's length is the average number in flight.
   */
  get busyMs(): number {
    return this.busy + this.inFlight * (performance.now() - this.busyAt);
  }

  /** Adds the time since the last change at the current number in flight (call before changing it). */
  private accrue(): void {
    const t = performance.now();
    this.busy += this.inFlight * (t - this.busyAt);
    this.busyAt = t;
  }

  /** Ends a call; `actualTokens` (when the endpoint reported usage) settles the estimate. */
  release(estimatedTokens: number, actualTokens?: number): void {
    this.accrue();
    this.inFlight--;
    if (actualTokens !== undefined && Number.isFinite(actualTokens)) {
      const difference = estimatedTokens - actualTokens;
      if (difference > 0) this.tokens.giveBack(difference);
      else if (difference < 0) this.tokens.take(-difference);
    }
    this.pump();
  }

  /** Stops admitting for `ms` (the endpoint answered 429 with Retry-After). */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, performance.now() + ms);
    this.pump();
  }

  private pump(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.queue.length > 0 && this.inFlight < this.maxConcurrency) {
      const waiter = this.queue[0];
      const wait = Math.max(
        this.pausedUntil - performance.now(),
        this.requests.waitMs(1),
        this.tokens.waitMs(waiter.tokens),
      );
      if (wait > 0) {
        this.timer = setTimeout(() => this.pump(), Math.max(1, wait));
        return;
      }
      this.queue.shift();
      this.requests.take(1);
      this.tokens.take(waiter.tokens);
      this.accrue();
      this.inFlight++;
      this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
      waiter.admitted = true;
      this.unwatch(waiter);
      waiter.resolve();
    }
  }

  /** Rejects every waiter (the engine is closing). */
  close(): void {
    clearTimeout(this.timer);
    for (const waiter of this.queue.splice(0)) {
      this.unwatch(waiter);
      waiter.reject(new AdmissionAborted("the judge is closing"));
    }
  }
}
