/**
 * The engine's preparation threads: slices of large batches are parsed, validated and marshalled
 * on these threads while the main thread serves requests and feeds the sandbox pool. A thread that
 * fails (it should not) rejects its slices; the engine then prepares them itself.
 */
import type { FromPrep, PackedTexts, PrepDone, PrepInit, PrepJob } from "./prep_protocol.ts";

interface PrepThread {
  worker: Worker;
  ready: Promise<void>;
  /** Slices sent and not answered, by job id. */
  pending: Map<number, { resolve: (done: PrepDone) => void; reject: (error: Error) => void }>;
  failed: Error | null;
}

/** Settings of the threads (the engine's, so items are prepared as the engine would). */
export type PrepSettings = Omit<PrepInit, "type">;

/** Counters of the preparation threads, for `/metrics`. */
export interface PrepStats {
  threads: number;
  /** Slices the threads prepared. */
  slices: number;
  /** Slices that fell back to the main thread because a thread had failed or was stopped. */
  fallbacks: number;
}

/** A fixed set of preparation threads, used round-robin. */
export class PrepPool {
  readonly stats: PrepStats;
  private readonly threads: PrepThread[] = [];
  private next = 0;
  private nextJobId = 1;
  private closed = false;

  /** The verifiers whose items the threads prepare (others come back to the engine untouched). */
  private readonly verifiers: ReadonlySet<string>;

  constructor(size: number, settings: PrepSettings) {
    this.stats = { threads: size, slices: 0, fallbacks: 0 };
    this.verifiers = new Set(settings.verifiers);
    for (let i = 0; i < size; i++) this.threads.push(this.start(settings));
  }

  /** Whether the threads prepare items of verifier `name` (a spec, a route or a judge's: no). */
  handles(name: string): boolean {
    return this.verifiers.has(name);
  }

  /** Number of threads. */
  get size(): number {
    return this.threads.length;
  }

  /** Resolves once every thread has compiled its validators. */
  async ready(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.ready));
  }

  /** Prepares a slice on the next thread; rejects when the pool is closed or the thread failed. */
  prepare(items: unknown[] | PackedTexts): Promise<PrepDone> {
    if (this.closed) {
      this.stats.fallbacks++;
      return Promise.reject(new Error("The preparation threads are closed"));
    }
    let thread = this.threads[this.next];
    for (let tries = 0; thread.failed && tries < this.threads.length; tries++) {
      this.next = (this.next + 1) % this.threads.length;
      thread = this.threads[this.next];
    }
    this.next = (this.next + 1) % this.threads.length;
    if (thread.failed) {
      this.stats.fallbacks++;
      return Promise.reject(thread.failed);
    }
    const jobId = this.nextJobId++;
    return new Promise((resolve, reject) => {
      thread.pending.set(jobId, { resolve, reject });
      const job: PrepJob = { type: "job", jobId, items };
      // Packed texts move to the thread (their buffers are this slice's own copies).
      const moved = Array.isArray(items) ? [] : [items.bytes.buffer, items.starts.buffer, items.ends.buffer];
      thread.worker.postMessage(job, moved as ArrayBuffer[]);
    });
  }

  /** Stops the threads; slices still out are rejected. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const thread of this.threads) {
      thread.worker.terminate();
      this.fail(thread, new Error("The preparation threads are closed"));
    }
  }

  private start(settings: PrepSettings): PrepThread {
    const worker = new Worker(new URL("./prep_worker.ts", import.meta.url), { type: "module" });
    let started!: () => void;
    let notStarted!: (error: Error) => void;
    const thread: PrepThread = {
      worker,
      ready: new Promise<void>((resolve, reject) => {
        started = resolve;
        notStarted = reject;
      }),
      pending: new Map(),
      failed: null,
    };
    worker.onmessage = (event: MessageEvent<FromPrep>) => {
      const message = event.data;
      if (message.type === "ready") return started();
      if (message.type === "failed") {
        const error = new Error(`A preparation thread could not start: ${message.message}`);
        notStarted(error);
        return this.fail(thread, error);
      }
      const waiter = thread.pending.get(message.jobId);
      thread.pending.delete(message.jobId);
      this.stats.slices++;
      waiter?.resolve(message);
    };
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      const error = new Error(`A preparation thread failed: ${event.message}`);
      console.error(`engine: ${error.message}; its slices are prepared on the main thread`);
      notStarted(error);
      this.fail(thread, error);
    };
    worker.postMessage({ type: "init", ...settings } satisfies PrepInit);
    return thread;
  }

  private fail(thread: PrepThread, error: Error): void {
    thread.failed ??= error;
    this.stats.fallbacks += thread.pending.size;
    for (const waiter of thread.pending.values()) waiter.reject(error);
    thread.pending.clear();
  }
}
