/**
 * One batch on its way through the engine: items are prepared a window at a time (validated,
 * parameters built, marshalled) while the sandbox scores the previous windows, results are
 * delivered as they land, and the batch's budget and the client's cancellation stop what has not
 * started. Every admitted item is released exactly once, whatever happens.
 */
import type { ChunkRequest, ItemOutcome, WorkerPool } from "../wasm/mod.ts";
import { encodeChunk, headOf, type PreparedItem } from "./_prepared.ts";
import { kernelResult, resultOfOutcome } from "./_outcome.ts";
import { type ItemPreparer, ownValue, verifierOf } from "./item_preparer.ts";
import { noVerdict, roundMs, verdict, type VerifyResult } from "./result.ts";
import type { RemoteBackend, WasmVerifier } from "./types.ts";
import { runRemoteGroup } from "./remote_run.ts";
import { IO_TURN_MS, WorkSlicer } from "./yield_now.ts";
import { RawItem } from "./raw_item.ts";
import type { PrepPool } from "./prep_pool.ts";
import type { StagedChecks } from "./staged_checks.ts";
import { KernelGroups } from "./kernel_groups.ts";
import { type PackedTexts, PREP_KIND, type PrepDone, type PrepGroup } from "./prep_protocol.ts";

/** Options of one batch. */
export interface BatchOptions {
  /** Time for the whole batch; items not verified by then get `overloaded`. */
  budgetMs?: number;
  /** Called once per item as soon as its result is known (completion order); never after an abort. */
  onResult?: (index: number, result: VerifyResult) => void;
  /**
   * Aborts the batch (e.g. the client hung up): queued items are dropped, nothing more is delivered,
   * and the batch resolves with the results known so far (the rest are `overloaded`).
   */
  signal?: AbortSignal;
  /**
   * Milliseconds of item preparation between two turns for sockets and timers (default
   * `IO_TURN_MS`). A turn also lets the sandbox processes' finished jobs in, and their next jobs out.
   */
  ioTurnMs?: number;
}

/** What a batch uses of the engine. */
export interface BatchContext {
  pool: WorkerPool;
  preparer: ItemPreparer;
  table: Record<string, WasmVerifier>;
  unavailable: Record<string, string>;
  workers: number;
  maxChunkItems: number;
  /** Counts each delivered result (metrics). */
  record: (result: VerifyResult) => void;
  /** Gives `count` admitted items back to the queue's accounting. */
  release: (count: number) => void;
  /** Backends of the remote verifiers (e.g. `judge`), by name. */
  remotes?: Record<string, RemoteBackend>;
  /** Threads that prepare slices of large windows off the main thread (absent: all on the main thread). */
  prep?: PrepPool;
  /** Staged verifiers' sandbox checks; awaited (started if need be) before their items are staged. */
  checks?: StagedChecks;
}

/**
 * Windows (of `maxChunkItems` items each) being prepared or scored at once per batch, per sandbox
 * worker: as many as a process holds (wasm/pool.ts; four were no faster). A window's jobs leave as
 * soon as it is prepared, and the next window is prepared while they run, so the processes are
 * fed in small steps rather than in bursts. `match` through the engine, 100,000 items, eight warm
 * batches (perf/thread_cpu.ts): 5.5–5.9 µs of wall time an item with two windows of 2 × workers ×
 * 1,024 items prepared side by side, 4.9–5.3 with these, one prepared at a time.
 */
const WINDOWS_PER_WORKER = 3;

/**
 * Longest stretch (ms) preparing items before yielding the thread. A sandbox process holds a few
 * jobs, a few ms of small items each: a longer stretch without a turn left it idle (`match` through
 * the engine, `perf/mod.ts --one match`, four runs each: 134–145k items/s with 8 ms slices and a
 * full turn every 50 ms, 142–157k with 4 ms and a full turn each slice).
 */
const SLICE_MS = 4;

/** Windows smaller than this are prepared on the main thread (a hand-off costs more than it saves). */
const PREP_MIN_ITEMS = 128;

/** A batch being verified; `start()` resolves with one result per item in request order. */
export class BatchRun {
  private readonly results: VerifyResult[];
  private delivered = 0;
  /** Index of the first item not yet prepared. */
  private nextIndex = 0;
  private windowsInFlight = 0;
  /** The last window preparation started here: windows are prepared one after another, in order. */
  private preparing: Promise<unknown> = Promise.resolve();
  /** Chunks in the pool, so the budget or an abort can cancel them. */
  private readonly requests = new Set<ChunkRequest>();
  private budgetSpent = false;
  private aborted = false;
  /** Aborts remote calls (judges) when the budget runs out or the batch is cancelled. */
  private readonly remoteAbort = new AbortController();
  private readonly deadlineAt: number;
  /** Cuts item preparation into slices, with a full event-loop turn (sockets, timers) now and then. */
  private readonly slicer: WorkSlicer;
  private budgetTimer: ReturnType<typeof setTimeout> | undefined;
  private finish!: () => void;
  private readonly done = new Promise<void>((resolve) => this.finish = resolve);

  constructor(
    private readonly context: BatchContext,
    private readonly rawItems: unknown[],
    private readonly options: BatchOptions,
  ) {
    this.results = new Array(rawItems.length);
    this.slicer = new WorkSlicer(SLICE_MS, options.ioTurnMs ?? IO_TURN_MS);
    const startedAt = performance.timeOrigin + performance.now();
    this.deadlineAt = options.budgetMs === undefined ? Infinity : startedAt + options.budgetMs;
  }

  /** Runs the batch. The admitted items are released by the time the promise settles. */
  async start(): Promise<VerifyResult[]> {
    const abort = () => this.abort();
    this.options.signal?.addEventListener("abort", abort, { once: true });
    try {
      if (this.options.signal?.aborted) this.abort();
      if (this.rawItems.length === 0) this.finish();
      this.pump();
      if (this.options.budgetMs !== undefined && this.delivered < this.rawItems.length) {
        this.budgetTimer = setTimeout(() => this.spendBudget(), this.options.budgetMs);
      }
      await this.done;
      return this.results;
    } finally {
      clearTimeout(this.budgetTimer);
      this.options.signal?.removeEventListener("abort", abort);
      // Whatever was not delivered (an abort) leaves the queue now.
      this.context.release(this.rawItems.length - this.delivered);
      this.delivered = this.rawItems.length;
    }
  }

  private deliver(index: number, result: VerifyResult): void {
    if (this.results[index] !== undefined) return;
    this.results[index] = result;
    if (this.aborted) return;
    this.context.record(result);
    this.context.release(1);
    this.delivered++;
    try {
      this.options.onResult?.(index, result);
    } catch (error) {
      // A consumer that cannot take results any more (a closed stream) ends the batch, not the server.
      console.error(`batch: a result consumer failed, cancelling the batch: ${(error as Error).message}`);
      this.abort();
      return;
    }
    if (this.delivered === this.rawItems.length) this.finish();
  }

  /** Stops the batch: queued chunks are cancelled, unprepared items skipped, the batch resolves. */
  private abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.remoteAbort.abort();
    for (const request of this.requests) this.context.pool.cancel(request);
    for (let i = 0; i < this.rawItems.length; i++) {
      this.results[i] ??= noVerdict(headOf(this.rawItems[i]), "overloaded", "The batch was cancelled");
    }
    this.finish();
  }

  private spendBudget(): void {
    this.budgetSpent = true;
    this.remoteAbort.abort();
    for (const request of this.requests) this.context.pool.cancel(request);
  }

  /** Starts windows of items while fewer than WINDOWS_PER_WORKER × workers are being prepared or scored. */
  private pump(): void {
    const { workers, maxChunkItems } = this.context;
    while (
      !this.aborted && this.windowsInFlight < WINDOWS_PER_WORKER * workers &&
      this.nextIndex < this.rawItems.length
    ) {
      const begin = this.nextIndex;
      const end = Math.min(this.rawItems.length, begin + maxChunkItems);
      this.nextIndex = end;
      this.windowsInFlight++;
      this.runWindow(begin, end).finally(() => {
        this.windowsInFlight--;
        this.pump();
      });
    }
  }

  /**
   * Prepares and scores items [begin, end). A large window is cut into slices that the
   * preparation threads parse, validate and marshal; each slice is scored as soon as it is ready.
   */
  private runWindow(begin: number, end: number): Promise<unknown> {
    const prep = this.context.prep;
    // Plain objects stay here: copying them to a thread costs about what preparing them does.
    if (!prep || end - begin < PREP_MIN_ITEMS || !(this.rawItems[begin] instanceof RawItem)) {
      return this.prepareAndRun(begin, end);
    }
    const size = Math.max(PREP_MIN_ITEMS / 2, Math.ceil((end - begin) / prep.size));
    const slices: Promise<unknown>[] = [];
    for (let from = begin; from < end; from += size) {
      const to = Math.min(end, from + size);
      // A slice the threads would only hand back (e.g. judge items) stays here: no round trip.
      if (!this.anyForPrep(prep, from, to)) {
        slices.push(this.prepareAndRun(from, to));
        continue;
      }
      slices.push(
        prep.prepare(this.sliceForPrep(from, to)).then(
          (done) => this.runSlice(from, done),
          // A thread that failed (it should not): its slice is prepared here instead.
          () => this.prepareAndRun(from, to),
        ),
      );
    }
    return Promise.all(slices);
  }

  /** Whether any raw item of [from, to) may be one the threads prepare (its verifier is theirs, or not yet known). */
  private anyForPrep(prep: PrepPool, from: number, to: number): boolean {
    for (let i = from; i < to; i++) {
      const raw = this.rawItems[i];
      if (!(raw instanceof RawItem)) continue;
      if (raw.verifier === undefined || prep.handles(raw.verifier)) return true;
    }
    return false;
  }

  /**
   * Items [from, to) as a preparation thread takes them: the body's bytes that hold them when they
   * are byte ranges of one body in order (one copy, no per-item string here), else each raw item
   * as its JSON text (others: null, prepared here).
   */
  private sliceForPrep(from: number, to: number): unknown[] | PackedTexts {
    const packed = this.packedSlice(from, to);
    if (packed) return packed;
    const slice = new Array(to - from);
    for (let i = from; i < to; i++) {
      const raw = this.rawItems[i];
      slice[i - from] = raw instanceof RawItem ? raw.text : null;
    }
    return slice;
  }

  /** Items [from, to) packed as one copy of their body's bytes, or null when they are not byte ranges of one body in order. */
  private packedSlice(from: number, to: number): PackedTexts | null {
    const first = this.rawItems[from];
    if (!(first instanceof RawItem) || typeof first.source === "string") return null;
    const source = first.source;
    const base = first.start;
    const starts = new Uint32Array(to - from);
    const ends = new Uint32Array(to - from);
    let last = base;
    for (let i = from; i < to; i++) {
      const raw = this.rawItems[i];
      if (!(raw instanceof RawItem) || raw.source !== source || raw.start < last) return null;
      starts[i - from] = raw.start - base;
      ends[i - from] = raw.end - base;
      last = raw.end;
    }
    return { bytes: source.slice(base, last), starts, ends };
  }

  /** Prepares items [begin, end) on this thread (those `include` accepts) and scores them. */
  private async prepareAndRun(
    begin: number,
    end: number,
    include?: (index: number) => boolean,
  ): Promise<void> {
    // After the window before it: windows prepared side by side would all be ready late.
    const prepared = this.preparing.then(() => this.prepareWindow(begin, end, include));
    this.preparing = prepared.catch(() => {});
    const { kernel, groups } = await prepared;
    await Promise.all([
      ...(kernel.size > 0 ? kernel.encode().map((group) => this.runEncoded(0, group)) : []),
      ...[...groups.values()].map((items) => this.runGroup(items)),
    ]);
  }

  /** The sink of the item at `index` (its batch slot). */
  private readonly sinkFor = (index: number) => (result: VerifyResult) => this.deliver(index, result);

  /** Scores a slice a preparation thread returned: its caller errors, its kernel groups, the rest here. */
  private runSlice(base: number, done: PrepDone): Promise<unknown> {
    if (this.aborted) return Promise.resolve();
    const started: Promise<unknown>[] = [];
    for (const [position, result] of done.results) this.deliver(base + position, result);
    for (const group of done.groups) started.push(this.runEncoded(base, group));
    const kinds = done.kinds;
    if (kinds.includes(PREP_KIND.engine)) {
      started.push(
        this.prepareAndRun(base, base + kinds.length, (index) => kinds[index - base] === PREP_KIND.engine),
      );
    }
    return Promise.all(started);
  }

  /** Scores one verifier's items that a preparation thread marshalled (no per-item objects until results). */
  private runEncoded(base: number, group: PrepGroup): Promise<unknown> {
    const name = group.verifier;
    const count = group.positions.length;
    const headAt = (k: number) => {
      const id = group.ids[k];
      return id === undefined
        ? { verifier: name, version: group.version }
        : { id, verifier: name, version: group.version };
    };
    const unavailable = ownValue(this.context.unavailable, name);
    if (unavailable !== undefined) {
      for (let k = 0; k < count; k++) {
        this.deliver(
          base + group.positions[k],
          noVerdict(headAt(k), "sandbox_unavailable", `Verifier "${name}" is unavailable`),
        );
      }
      return Promise.resolve();
    }
    const size = this.chunkSize();
    const started: Promise<unknown>[] = [];
    for (let from = 0; from < count; from += size) {
      const to = Math.min(count, from + size);
      const settle = (k: number, outcome: ItemOutcome) => {
        const position = base + group.positions[k];
        if (outcome.kind === "output") {
          // The common case, with no head or item object on the way.
          const ms = roundMs(outcome.ms);
          return this.deliver(position, kernelResult(group.ids[k], name, group.version, outcome, ms));
        }
        const item = { head: headAt(k), timeoutMs: group.timeoutsMs[k] };
        this.deliver(position, resultOfOutcome(item, outcome, this.options.budgetMs, this.budgetSpent));
      };
      if (this.budgetSpent || this.aborted) {
        for (let k = from; k < to; k++) settle(k, { kind: "cancelled", ms: 0 });
        continue;
      }
      const offset = from > 0 ? group.ends[from - 1] : 0;
      const ends = group.ends.slice(from, to);
      if (offset > 0) { for (let i = 0; i < ends.length; i++) ends[i] -= offset; }
      const request: ChunkRequest = {
        kernel: name,
        bytes: group.bytes.subarray(offset, group.ends[to - 1]),
        ends,
        timeoutsMs: group.timeoutsMs.subarray(from, to),
        deadlineAt: this.deadlineAt,
      };
      this.requests.add(request);
      started.push(
        this.context.pool.run(request, (position, outcome) => settle(from + position, outcome))
          .finally(() => this.requests.delete(request)),
      );
    }
    return Promise.all(started);
  }

  /**
   * Prepares items [begin, end): caller errors are delivered at once, plain kernel items collected
   * as columns (`KernelGroups`), the rest grouped by verifier as prepared items.
   * It yields to the event loop every SLICE_MS, so that a large window never holds the server's
   * thread for long (other requests, and the sandbox processes' finished jobs, are served between).
   */
  private async prepareWindow(
    begin: number,
    end: number,
    include?: (index: number) => boolean,
  ): Promise<{ kernel: KernelGroups; groups: Map<string, PreparedItem[]> }> {
    const kernel = new KernelGroups();
    const groups = new Map<string, PreparedItem[]>();
    for (let index = begin; index < end; index++) {
      if (include && !include(index)) continue;
      if ((index & 63) === 0 && this.slicer.due()) {
        await this.slicer.yield();
        kernel.forgetLast();
        if (this.aborted) break;
      }
      const raw = this.rawItems[index];
      let prepared;
      try {
        prepared = this.context.preparer.prepareInto(raw, index, kernel, this.sinkFor);
        if (prepared === null) continue;
      } catch (error) {
        // A bug in preparing (not a caller error, which is a result): this item only.
        this.deliver(
          index,
          noVerdict(headOf(raw), "internal", `Preparing the item failed: ${(error as Error).message}`),
        );
        continue;
      }
      if ("result" in prepared) {
        this.deliver(index, prepared.result);
        continue;
      }
      for (const item of prepared.items) {
        const name = item.head.verifier!;
        let group = groups.get(name);
        if (!group) groups.set(name, group = []);
        group.push(item);
      }
      prepared.ready?.();
    }
    return { kernel, groups };
  }

  /** Scores one verifier's items of a window: its host stage first when it has one, then the kernel. */
  private async runGroup(items: PreparedItem[]): Promise<void> {
    const verifier = verifierOf(this.context.table, items[0]);
    const check = this.context.checks?.of(verifier.name);
    if (check) await check;
    if (ownValue(this.context.unavailable, verifier.name) !== undefined) {
      for (const item of items) {
        item.sink(noVerdict(item.head, "sandbox_unavailable", `Verifier "${verifier.name}" is unavailable`));
      }
      return;
    }
    const remote = this.context.remotes && ownValue(this.context.remotes, verifier.name);
    if (remote) {
      const runKernel = (prechecked: PreparedItem[]) => this.runChunks(prechecked);
      return runRemoteGroup(items, {
        backend: remote,
        signal: this.remoteAbort.signal,
        slicer: this.slicer,
        runKernel,
      });
    }
    const ready = verifier.stage ? await this.stageItems(verifier, items) : items;
    await this.runChunks(ready);
  }

  private runChunks(items: PreparedItem[]): Promise<unknown> {
    const started: Promise<unknown>[] = [];
    for (const chunk of this.chunksOf(items)) {
      if (this.budgetSpent || this.aborted) {
        for (const item of chunk) {
          item.sink(resultOfOutcome(item, { kind: "cancelled", ms: 0 }, this.options.budgetMs, true));
        }
        continue;
      }
      // A spec's leaves of one verifier share the response: it crosses to the sandbox once.
      const request = encodeChunk(chunk, this.deadlineAt, { shareResponses: true });
      this.requests.add(request);
      started.push(
        this.context.pool.run(request, (position, outcome) => {
          const item = chunk[position];
          item.sink(resultOfOutcome(item, outcome, this.options.budgetMs, this.budgetSpent));
        }).finally(() => this.requests.delete(request)),
      );
    }
    return Promise.all(started);
  }

  /**
   * Runs a verifier's host stage for each item (concurrently; the stage bounds its own work).
   * Items it settles get their result here; the others continue to the kernel with its input.
   */
  private async stageItems(verifier: WasmVerifier, items: PreparedItem[]): Promise<PreparedItem[]> {
    const outcomes = await Promise.all(items.map(async (item) => {
      try {
        return await verifier.stage!({
          ...item.stageItem!,
          timeoutMs: item.timeoutMs,
          deadlineAt: this.deadlineAt,
        });
      } catch (error) {
        return {
          error: {
            code: "internal" as const,
            message: `The ${verifier.name} stage failed: ${(error as Error).message}`,
          },
        };
      }
    }));
    const ready: PreparedItem[] = [];
    outcomes.forEach((outcome, i) => {
      const item = items[i];
      if ("input" in outcome) {
        item.input = outcome.input;
        if (outcome.details) item.sink = withStageDetails(item.sink, outcome.details);
        ready.push(item);
      } else if ("verdict" in outcome) {
        const { reward, correct, details } = outcome.verdict;
        item.sink(verdict(item.head, reward, correct, details, 0));
      } else {
        item.sink(noVerdict(item.head, outcome.error.code, outcome.error.message));
      }
    });
    return ready;
  }

  /**
   * Items per sandbox job: up to `maxChunkItems`, but few enough that a small batch still spreads
   * over every process (two jobs each).
   */
  private chunkSize(): number {
    const { workers, maxChunkItems } = this.context;
    const spread = Math.ceil(this.rawItems.length / (workers * 2));
    return Math.max(16, Math.min(maxChunkItems, spread));
  }

  /** Splits a verifier's items into chunks small enough to keep every worker busy. */
  private chunksOf(items: PreparedItem[]): PreparedItem[][] {
    const size = this.chunkSize();
    const chunks: PreparedItem[][] = [];
    for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
    return chunks;
  }
}

/** A sink that adds a stage's details to the kernel's verdict (no-verdicts pass unchanged). */
function withStageDetails(
  sink: (result: VerifyResult) => void,
  extra: Record<string, unknown>,
): (result: VerifyResult) => void {
  return (result) => {
    if (result.error !== null || result.reward === null || result.correct === null) return sink(result);
    const head = { id: result.id, verifier: result.verifier, version: result.version };
    sink(verdict(head, result.reward, result.correct, { ...result.details, ...extra }, result.ms));
  };
}
