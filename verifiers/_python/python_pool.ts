/**
 * The Python sandbox pool: warm sandboxes (`PythonProcess`), one job at a time each, sized to the cores,
 * started on first use. A process is replaced after `jobsPerProcess` jobs or after any fault (a
 * deadline, a crash, a broken frame, processes left behind, a failed wipe), so one bad job never
 * affects the next. A job's AbortSignal (e.g. the batch's `budget_ms`) drops it from the queue, or
 * kills its sandbox when it is already running; either way it ends as the fault `cancelled`.
 */
import { Outcome } from "./frame.ts";
import { type PythonJob, PythonProcess, type PythonResult } from "./python_process.ts";

function cancelled(): PythonResult {
  return {
    fault: "cancelled",
    message: "the job was cancelled before it started (the batch's budget ran out)",
    ms: 0,
  };
}

/** Pool settings. */
export interface PythonPoolOptions {
  /** The job handler scripts on the host (mounted read-only in each sandbox, loaded by the zygote). */
  handlers: string[];
  /** Sandboxes running at once (default: one per core). */
  size: number;
  /** Jobs a sandbox serves before it is replaced. */
  jobsPerProcess: number;
}

interface Waiting {
  job: PythonJob;
  signal?: AbortSignal;
  resolve: (result: PythonResult) => void;
  reject: (error: Error) => void;
}

/** Runs jobs on warm sandboxes. */
export class PythonPool {
  readonly options: PythonPoolOptions;
  readonly stats = { started: 0, recycled: 0, jobs: 0 };
  private readonly idle: PythonProcess[] = [];
  private readonly all = new Set<PythonProcess>();
  private readonly queue: Waiting[] = [];
  private starting = 0;
  private closed = false;
  private readonly exiting: Promise<void>[] = [];

  constructor(options: Partial<PythonPoolOptions> & { handlers: string[] }) {
    this.options = {
      handlers: options.handlers,
      size: options.size ?? Math.max(1, navigator.hardwareConcurrency || 2),
      jobsPerProcess: options.jobsPerProcess ?? 200,
    };
  }

  /** Queues a job; resolves with its result (rejects only when no sandbox can be started). */
  run(job: PythonJob, signal?: AbortSignal): Promise<PythonResult> {
    if (this.closed) return Promise.reject(new Error("The Python sandbox pool is closed"));
    if (signal?.aborted) return Promise.resolve(cancelled());
    return new Promise((resolve, reject) => {
      const waiting: Waiting = { job, signal, resolve, reject };
      this.queue.push(waiting);
      signal?.addEventListener("abort", () => {
        const at = this.queue.indexOf(waiting);
        if (at < 0) return; // already running: the process honours the signal
        this.queue.splice(at, 1);
        resolve(cancelled());
      }, { once: true });
      this.pump();
    });
  }

  /** Starts every sandbox now instead of on first use. */
  async warm(): Promise<void> {
    while (this.all.size + this.starting < this.options.size) this.spawn();
    while (this.idle.length < this.options.size && !this.closed && this.starting > 0) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Processes alive (for tests and metrics). */
  get size(): number {
    return this.all.size;
  }

  /** Kills every sandbox and waits for them to exit. */
  async close(): Promise<void> {
    this.closed = true;
    for (const waiting of this.queue.splice(0)) {
      waiting.reject(new Error("The Python sandbox pool is closed"));
    }
    const processes = [...this.all];
    this.all.clear();
    this.idle.length = 0;
    for (const process of processes) process.kill();
    while (this.starting > 0) await new Promise((resolve) => setTimeout(resolve, 20));
    await Promise.all([...processes.map((p) => p.exited()), ...this.exiting]);
  }

  private pump(): void {
    while (this.queue.length > 0 && this.idle.length > 0) {
      const process = this.idle.pop()!;
      const waiting = this.queue.shift()!;
      this.execute(process, waiting);
    }
    // Once in use, the pool stays full: a replaced sandbox is warm again before the next job needs it.
    if (this.closed) return;
    const wanted = this.options.size - this.all.size - this.starting;
    for (let i = 0; i < wanted; i++) this.spawn();
  }

  private spawn(): void {
    this.starting++;
    PythonProcess.start(this.options.handlers).then((process) => {
      this.starting--;
      this.stats.started++;
      if (this.closed) {
        process.kill();
        this.exiting.push(process.exited());
        return;
      }
      this.all.add(process);
      this.idle.push(process);
      this.pump();
    }, (error: Error) => {
      this.starting--;
      // Without any sandbox, waiting jobs can never run: fail them instead of hanging.
      if (this.all.size === 0 && this.starting === 0) {
        for (const waiting of this.queue.splice(0)) waiting.reject(error);
      }
    });
  }

  private async execute(process: PythonProcess, waiting: Waiting): Promise<void> {
    const result = await process.run(waiting.job, waiting.signal);
    this.stats.jobs++;
    const fault = "fault" in result || result.frame.outcome !== Outcome.Exited || result.frame.signal !== 0 ||
      result.frame.leftover || result.frame.wipeFailed;
    if (fault || process.dead || process.jobs >= this.options.jobsPerProcess) {
      this.retire(process);
    } else if (!this.closed) {
      this.idle.push(process);
    }
    waiting.resolve(result);
    this.pump();
  }

  private retire(process: PythonProcess): void {
    process.kill();
    this.exiting.push(process.exited());
    if (this.exiting.length > 64) this.exiting.splice(0, 32);
    this.all.delete(process);
    this.stats.recycled++;
  }
}
