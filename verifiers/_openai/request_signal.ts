/**
 * What ends one request early: its own deadline, or its caller's cancel signal. Thousands of
 * requests may be in flight or queued at once (a 4,096-item judge batch), so neither costs one
 * timer or one listener per request: deadlines sit in one min-heap served by a single timer armed
 * for the earliest, and each caller signal carries one listener that aborts all of its requests.
 */

/** One request's end: abort `signal` when the deadline passes or the caller cancels. */
export interface RequestSignal {
  signal: AbortSignal;
  /** True when the deadline (not the caller) aborted the request. */
  timedOut(): boolean;
  /** Call when the request is over (answered or failed): frees its deadline and listener. */
  done(): void;
}

interface Deadline {
  at: number;
  fire: () => void;
  live: boolean;
}

/** Deadlines on one timer (a binary min-heap on `at`; cancelled entries are dropped lazily). */
export class Deadlines {
  private heap: Deadline[] = [];
  private liveCount = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private armedAt = Infinity;

  /** Deadlines not yet fired or cancelled. */
  get pending(): number {
    return this.liveCount;
  }

  /** Calls `fire` in `ms` milliseconds unless cancelled first. */
  add(ms: number, fire: () => void): Deadline {
    const entry: Deadline = { at: performance.now() + ms, fire, live: true };
    this.liveCount++;
    this.push(entry);
    this.arm();
    return entry;
  }

  /** Cancels a deadline (no effect once fired). */
  cancel(entry: Deadline): void {
    if (!entry.live) return;
    entry.live = false;
    this.liveCount--;
    if (this.heap.length > 2 * this.liveCount + 1024) {
      this.heap = this.heap.filter((e) => e.live).sort((a, b) => a.at - b.at); // sorted is a heap
    }
    if (this.liveCount === 0 || this.heap[0] === entry) this.arm();
  }

  private arm(): void {
    while (this.heap.length > 0 && !this.heap[0].live) this.pop();
    if (this.liveCount === 0 || this.heap.length === 0) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.armedAt = Infinity;
      this.heap = [];
      return;
    }
    const earliest = this.heap[0].at;
    if (this.timer !== undefined && this.armedAt <= earliest) return;
    clearTimeout(this.timer);
    this.armedAt = earliest;
    this.timer = setTimeout(() => this.expire(), Math.max(0, earliest - performance.now()));
  }

  private expire(): void {
    this.timer = undefined;
    this.armedAt = Infinity;
    const now = performance.now();
    const due: Deadline[] = [];
    while (this.heap.length > 0 && this.heap[0].at <= now) {
      const entry = this.pop();
      if (!entry.live) continue;
      entry.live = false;
      this.liveCount--;
      due.push(entry);
    }
    this.arm();
    for (const entry of due) entry.fire();
  }

  private push(entry: Deadline): void {
    const heap = this.heap;
    let i = heap.push(entry) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent].at <= entry.at) break;
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = entry;
  }

  private pop(): Deadline {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop()!;
    if (heap.length > 0) {
      let i = 0;
      while (true) {
        const left = 2 * i + 1;
        if (left >= heap.length) break;
        const child = left + 1 < heap.length && heap[left + 1].at < heap[left].at ? left + 1 : left;
        if (heap[child].at >= last.at) break;
        heap[i] = heap[child];
        i = child;
      }
      heap[i] = last;
    }
    return top;
  }
}

/** Callers' signals → the controllers of their requests in flight, behind one listener each. */
const followers = new Map<AbortSignal, { controllers: Set<AbortController>; onAbort: () => void }>();

function follow(cancel: AbortSignal, controller: AbortController): void {
  let entry = followers.get(cancel);
  if (entry === undefined) {
    const controllers = new Set<AbortController>();
    const onAbort = () => {
      followers.delete(cancel);
      for (const c of controllers) c.abort();
    };
    entry = { controllers, onAbort };
    followers.set(cancel, entry);
    cancel.addEventListener("abort", onAbort, { once: true });
  }
  entry.controllers.add(controller);
}

function unfollow(cancel: AbortSignal, controller: AbortController): void {
  const entry = followers.get(cancel);
  if (entry === undefined) return;
  entry.controllers.delete(controller);
  if (entry.controllers.size === 0) {
    followers.delete(cancel);
    cancel.removeEventListener("abort", entry.onAbort);
  }
}

/** The process's request deadlines. */
export const DEADLINES = new Deadlines();

/** A signal for one request that aborts after `timeoutMs` or when `cancel` aborts. */
export function requestSignal(timeoutMs: number, cancel?: AbortSignal): RequestSignal {
  const controller = new AbortController();
  let timedOut = false;
  const deadline = DEADLINES.add(timeoutMs, () => {
    timedOut = true;
    controller.abort();
  });
  if (cancel?.aborted) controller.abort();
  else if (cancel) follow(cancel, controller);
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    done: () => {
      DEADLINES.cancel(deadline);
      if (cancel) unfollow(cancel, controller);
    },
  };
}
