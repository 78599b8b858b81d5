/**
 * The sandbox: a pool of sandbox processes (`sandbox_process.ts`), each a Deno process with read
 * access to its kernels only, running the verifier kernels on a Worker thread. Work arrives as
 * chunks (many items of one kernel marshalled as one buffer). A process whose current item runs
 * past its deadline reports the item and exits; the pool gives that item a `timeout` outcome,
 * starts a new process, and puts the chunk's other unfinished items first in line, so one looping
 * item costs one deadline and nothing else.
 */
import { asFloat64, asUint32, bytesOf, FrameReader, joinBytes } from "./frames.ts";
import { ChunkOutputs, OutputOutcome } from "./chunk_outputs.ts";
import type { ItemFault } from "./protocol.ts";
import type { SandboxLaunch } from "./sandbox_launch.ts";
import { type CgroupSource, SandboxCgroups } from "./sandbox_cgroup.ts";
import {
  type DoneFrame,
  encodeJobFrame,
  type OverrunFrame,
  readSandboxFrame,
  type SandboxFrame,
} from "./sandbox_frames.ts";

/**
 * Items of one kernel to score: item i is `bytes[ends[i-1] .. ends[i])` (its parameters, 0x00, its
 * response), except that an item whose `responseFrom[i]` is k ≥ 0 carries only its parameters and
 * 0x00: its response is item k's (k < i), which crosses to the sandbox once for all such items.
 */
export interface ChunkRequest {
  kernel: string;
  bytes: Uint8Array;
  ends: Uint32Array;
  /** Per item: -1, or the earlier item whose response it shares. Absent: every item carries its own. */
  responseFrom?: Int32Array;
  /** Per-item deadline in ms, counted from the moment the item starts running. */
  timeoutsMs: Float64Array;
  /** Epoch ms after which no item of this chunk may keep running (a batch's `budget_ms`). */
  deadlineAt: number;
}

/** What happened to one item: the kernel's output (`OutputOutcome`), or why there is none. */
export type ItemOutcome =
  | OutputOutcome
  | { kind: "fault"; fault: ItemFault; ms: number }
  | { kind: "timeout"; ms: number }
  | { kind: "budget"; ms: number }
  | { kind: "cancelled"; ms: number };

/** Counters the metrics endpoint reads. */
export interface PoolStats {
  workers: number;
  busyWorkers: number;
  queuedItems: number;
  timeouts: number;
  respawns: number;
  faults: number;
  /** Sandbox processes that died without being asked to (crash, signal, memory limit). */
  deaths: number;
  /** The last reason a sandbox process gave (or was given) for dying, for the log and metrics. */
  lastDeathReason: string | null;
  /** Deaths that the kernel's OOM killer caused at the memory cgroup's limit (counted in `deaths` too). */
  oomKills: number;
  /** The memory cgroup limit of each sandbox process in bytes; 0 when there is none. */
  memoryCgroupBytes: number;
  /** Where the sandbox processes' memory cgroups are, or why there are none. */
  memoryCgroup: string;
}

export interface PoolOptions {
  size: number;
  /** Kernel name → path of its .wasm file. */
  kernels: Record<string, string>;
  /** How each sandbox process is started (`sandboxLaunch`). */
  launch: SandboxLaunch;
  /** Where to look for the server's memory cgroup (default: /proc/self; tests give other texts). */
  cgroupSource?: CgroupSource;
  /** How long a process may take to say it is ready (default START_TIMEOUT_MS); then it is killed. */
  startTimeoutMs?: number;
}

/**
 * How long a sandbox process may take from its start to compiling the kernels and saying so
 * (about 1 s here). One that takes longer is stopped as dead: at the server's start, the engine
 * fails with that reason instead of waiting forever; later, the process is replaced.
 */
export const START_TIMEOUT_MS = 60_000;

interface ChunkState {
  request: ChunkRequest;
  outcomes: (ItemOutcome | undefined)[];
  remaining: number;
  onItem?: (index: number, outcome: ItemOutcome) => void;
  resolve: (outcomes: ItemOutcome[]) => void;
}

/** A unit of work sent to one process: some items (positions) of one chunk. */
interface Job {
  id: number;
  chunk: ChunkState;
  positions: number[];
}

interface Slot {
  /** Its place in the pool (also its memory cgroup). */
  index: number;
  process: Deno.ChildProcess;
  writer: WritableStreamDefaultWriter<Uint8Array>;
  ready: boolean;
  /** Set once the pool has given up on this process (overrun, crash, close). */
  retired: boolean;
  /** Jobs sent to this process, oldest (running) first; the next waits in the process's inbox. */
  jobs: Job[];
  /** Why the process said it is about to die (a `crashed` frame), if it said so. */
  crashReason: string | null;
  finished: Promise<void>;
  /** Stops the process if it has not said it is ready by then (cleared when it does, or exits). */
  startTimer?: ReturnType<typeof setTimeout>;
}

const decoder = new TextDecoder();

/**
 * Jobs a sandbox process holds at once: one running, two waiting, so that it does not idle while
 * the server's busy main thread takes its turn to read a finished job and send the next (`match`
 * through the engine, three alternating warm runs: 185-188k items/s with two, 191-202k with three).
 */
const JOBS_PER_PROCESS = 3;

/** Creates the pool; `ready()` resolves once every process has compiled the kernels. */
export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextJobId = 1;
  private closed = false;
  private startupError: string | null = null;
  private readyWaiters: (() => void)[] = [];
  private readonly cgroups: SandboxCgroups;
  /** Set once a process could not be moved into its cgroup (said once). */
  private attachProblem: string | null = null;
  readonly stats: PoolStats;

  constructor(private readonly options: PoolOptions) {
    this.cgroups = SandboxCgroups.open(options.launch.cgroupMemoryBytes, options.size, options.cgroupSource);
    this.stats = {
      workers: options.size,
      busyWorkers: 0,
      queuedItems: 0,
      timeouts: 0,
      respawns: 0,
      faults: 0,
      deaths: 0,
      lastDeathReason: null,
      oomKills: 0,
      memoryCgroupBytes: this.cgroups.limitBytes,
      memoryCgroup: this.cgroups.status,
    };
    for (let i = 0; i < options.size; i++) this.slots.push(this.spawn(i));
  }

  /** Resolves when every process is ready; rejects if a kernel fails to load. */
  ready(): Promise<void> {
    if (this.startupError) return Promise.reject(new Error(this.startupError));
    if (this.slots.every((s) => s.ready)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.readyWaiters.push(() => this.startupError ? reject(new Error(this.startupError)) : resolve());
    });
  }

  /** Scores a chunk; resolves with one outcome per item, in order. `onItem` sees each as it lands. */
  run(request: ChunkRequest, onItem?: (index: number, outcome: ItemOutcome) => void): Promise<ItemOutcome[]> {
    if (this.closed) throw new Error("The worker pool is closed");
    if (!(request.kernel in this.options.kernels)) throw new Error(`Unknown kernel "${request.kernel}"`);
    const count = request.ends.length;
    return new Promise((resolve) => {
      if (count === 0) return resolve([]);
      const chunk: ChunkState = { request, outcomes: new Array(count), remaining: count, onItem, resolve };
      const positions = new Array<number>(count);
      for (let i = 0; i < count; i++) positions[i] = i;
      this.queue.push({ id: this.nextJobId++, chunk, positions });
      this.stats.queuedItems += count;
      this.dispatch();
    });
  }

  /** Drops a chunk's queued items (they resolve as `cancelled`); running items finish normally. */
  cancel(request: ChunkRequest): void {
    for (let i = this.queue.length - 1; i >= 0; i--) {
      const job = this.queue[i];
      if (job.chunk.request !== request) continue;
      this.queue.splice(i, 1);
      this.stats.queuedItems -= job.positions.length;
      for (const p of job.positions) this.settle(job.chunk, p, { kind: "cancelled", ms: 0 });
    }
  }

  /** Stops every process; unfinished items resolve as cancelled. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const job of this.queue.splice(0)) {
      for (const p of job.positions) this.settle(job.chunk, p, { kind: "cancelled", ms: 0 });
    }
    for (const slot of this.slots) {
      for (const job of slot.jobs) {
        for (const p of job.positions) this.settle(job.chunk, p, { kind: "cancelled", ms: 0 });
      }
      this.retire(slot);
    }
    await Promise.all(this.slots.map((s) => s.finished));
    await this.cgroups.remove();
  }

  private spawn(index: number): Slot {
    const launch = this.options.launch;
    const command = new Deno.Command(launch.command, {
      args: launch.args,
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
      clearEnv: true,
      env: launch.env,
    });
    const process = command.spawn();
    // Into its memory cgroup at once: long before it has compiled the kernels or seen a job.
    const problem = this.cgroups.attach(index, process.pid);
    if (problem !== null && this.attachProblem === null) {
      this.attachProblem = problem;
      console.error(`sandbox: ${problem}; it is limited by RLIMIT_DATA only`);
    }
    const slot: Slot = {
      index,
      process,
      writer: process.stdin.getWriter(),
      ready: false,
      retired: false,
      jobs: [],
      crashReason: null,
      finished: Promise.resolve(),
    };
    const startTimeoutMs = this.options.startTimeoutMs ?? START_TIMEOUT_MS;
    slot.startTimer = setTimeout(() => {
      if (slot.ready || slot.retired) return;
      slot.crashReason = `it did not start within ${startTimeoutMs / 1000} s`;
      try {
        process.kill("SIGKILL");
      } catch { /* already gone */ }
    }, startTimeoutMs);
    slot.finished = Promise.all([this.readFrames(slot), drainStderr(process.stderr), process.status]).then(
      ([, , status]) => this.onExit(slot, status),
    );
    return slot;
  }

  private async readFrames(slot: Slot): Promise<void> {
    const reader = new FrameReader();
    for await (const bytes of slot.process.stdout) {
      for (const frame of reader.push(bytes)) this.onFrame(slot, frame.sections, readSandboxFrame(frame));
    }
  }

  private onFrame(slot: Slot, sections: Uint8Array[], header: SandboxFrame | null): void {
    if (slot.retired) return;
    if (header === null) {
      slot.crashReason = "the sandbox process sent a malformed frame";
      return this.retireDead(slot);
    }
    switch (header.type) {
      case "ready":
        clearTimeout(slot.startTimer);
        slot.ready = true;
        if (this.slots.every((s) => s.ready)) { for (const w of this.readyWaiters.splice(0)) w(); }
        this.dispatch();
        return;
      case "failed":
        this.startupError = `A sandbox process could not load the kernels: ${header.message}`;
        for (const w of this.readyWaiters.splice(0)) w();
        return;
      case "crashed":
        // The process exits right after this frame; onExit settles its jobs with this reason.
        slot.crashReason = `the kernel thread crashed: ${header.message}`;
        return;
      case "done":
        return this.onDone(slot, header, sections);
      case "overrun":
        return this.onOverrun(slot, header, sections);
      default:
        return assertNever(header);
    }
  }

  private onDone(slot: Slot, header: DoneFrame, sections: Uint8Array[]): void {
    const job = this.takeJob(slot, header.jobId);
    if (!job) return;
    const ms = asFloat64(sections[0]);
    const outputs = new ChunkOutputs(sections[2], asUint32(sections[1]));
    const faults = new Map(header.faults.map((f) => [f.index, f]));
    this.stats.faults += header.faults.length;
    for (let i = 0; i < job.positions.length; i++) {
      const fault = faults.get(i);
      const outcome: ItemOutcome = fault
        ? { kind: "fault", fault, ms: ms[i] }
        : new OutputOutcome(outputs, i, ms[i]);
      this.settle(job.chunk, job.positions[i], outcome);
    }
    this.dispatch();
  }

  /**
   * The process stopped an item past its deadline and is exiting: the items before it keep the
   * results it recovered, the culprit is settled, the rest go first in line.
   */
  private onOverrun(slot: Slot, header: OverrunFrame, sections: Uint8Array[]): void {
    const job = this.takeJob(slot, header.jobId);
    const waiting = slot.jobs.splice(0);
    this.replace(slot);
    // Jobs that waited behind the culprit's never started: they go back first in line.
    for (const other of waiting.reverse()) this.requeue(other);
    if (!job) return;
    this.stats.timeouts++;
    if (header.recovered > 0) {
      const ms = asFloat64(sections[0]);
      const outputs = new ChunkOutputs(sections[2], asUint32(sections[1]));
      for (let i = 0; i < header.recovered; i++) {
        // "null" marks a trap whose details died with the process: that item runs again.
        if (outputs.text(i) !== "null") {
          this.settle(job.chunk, job.positions[i], new OutputOutcome(outputs, i, ms[i]));
        }
      }
    }
    const position = job.positions[header.index];
    this.settle(job.chunk, position, {
      kind: header.cause === "budget" ? "budget" : "timeout",
      ms: header.ms,
    });
    this.requeue(job);
  }

  private onExit(slot: Slot, status: Deno.CommandStatus): void {
    clearTimeout(slot.startTimer);
    // Read the slot's OOM count on every exit, so that a kill is never blamed on a later death.
    const oomLimit = this.cgroups.oomKill(slot.index);
    if (slot.retired) return;
    if (oomLimit !== null && status.signal === "SIGKILL") {
      this.stats.oomKills++;
      slot.crashReason =
        `it ran out of memory: the kernel's OOM killer stopped it at its memory cgroup's limit of ${oomLimit} bytes (sandbox_cgroup_memory_bytes)`;
    }
    const exit = status.signal ? `was killed by ${status.signal}` : `exited with code ${status.code}`;
    slot.crashReason = slot.crashReason ? `${slot.crashReason} (${exit})` : `the sandbox process ${exit}`;
    this.retireDead(slot);
  }

  /**
   * A process died without being asked to (it should not): the job it was running ends as a fault
   * (no verdict) with the reason; the job waiting behind it never started and goes back in line.
   */
  private retireDead(slot: Slot): void {
    const [running, ...waiting] = slot.jobs.splice(0);
    const reason = this.startupError ?? `Sandbox process died: ${slot.crashReason}`;
    this.stats.deaths++;
    this.stats.lastDeathReason = reason;
    console.error(`sandbox: ${reason}`);
    this.replace(slot);
    for (const job of waiting.reverse()) this.requeue(job);
    if (running) {
      for (const p of running.positions) {
        this.settle(running.chunk, p, { kind: "fault", fault: faultOf(p, reason), ms: 0 });
      }
    }
    if (!slot.ready && !this.startupError) {
      this.startupError = reason;
      for (const w of this.readyWaiters.splice(0)) w();
    }
  }

  /** Removes a finished (or stopped) job from its process's list. */
  private takeJob(slot: Slot, jobId: number): Job | undefined {
    const index = slot.jobs.findIndex((j) => j.id === jobId);
    if (index < 0) return undefined;
    const [job] = slot.jobs.splice(index, 1);
    this.countBusy();
    return job;
  }

  private countBusy(): void {
    this.stats.busyWorkers = this.slots.filter((s) => !s.retired && s.jobs.length > 0).length;
  }

  private requeue(job: Job): void {
    const rest = job.positions.filter((p) => job.chunk.outcomes[p] === undefined);
    if (rest.length > 0) {
      this.queue.unshift({ id: this.nextJobId++, chunk: job.chunk, positions: rest });
      this.stats.queuedItems += rest.length;
    }
    this.dispatch();
  }

  private settle(chunk: ChunkState, position: number, outcome: ItemOutcome): void {
    if (chunk.outcomes[position] !== undefined) return;
    chunk.outcomes[position] = outcome;
    chunk.remaining--;
    chunk.onItem?.(position, outcome);
    if (chunk.remaining === 0) chunk.resolve(chunk.outcomes as ItemOutcome[]);
  }

  private retire(slot: Slot): void {
    if (slot.retired) return;
    slot.retired = true;
    slot.jobs = [];
    slot.writer.close().catch(() => {});
    try {
      slot.process.kill("SIGKILL");
    } catch { /* already gone */ }
  }

  /** Retires a process and starts its successor in the same place. */
  private replace(slot: Slot): void {
    const index = this.slots.indexOf(slot);
    this.retire(slot);
    if (index < 0 || this.closed || this.startupError) return;
    this.stats.respawns++;
    this.slots[index] = this.spawn(index);
    this.countBusy();
  }

  /**
   * The ready process holding the fewest jobs (the first of those), if one has room. Jobs often
   * arrive one at a time (a batch's windows leave as each is prepared; single-item requests): the
   * first process with room took them all up to its limit while the other idled (two looping items
   * with 600 ms deadlines from two requests: 1.25 s one behind the other, 0.63 s side by side,
   * tests/sandbox_test.ts).
   */
  private leastBusy(): Slot | undefined {
    let best: Slot | undefined;
    for (const slot of this.slots) {
      if (!slot.ready || slot.retired || slot.jobs.length >= JOBS_PER_PROCESS) continue;
      if (best === undefined || slot.jobs.length < best.jobs.length) best = slot;
    }
    return best;
  }

  private dispatch(): void {
    if (this.closed) return;
    // Each job to the process with the fewest, up to JOBS_PER_PROCESS each: the next one is
    // already there when the running one finishes.
    while (this.queue.length > 0) {
      const slot = this.leastBusy();
      if (slot === undefined) break;
      const job = this.queue.shift()!;
      this.stats.queuedItems -= job.positions.length;
      slot.jobs.push(job);
      this.countBusy();
      const request = job.chunk.request;
      const { bytes, ends, responseFrom } = sliceItems(request, job.positions);
      const timeouts = timeoutsOf(request, job.positions);
      const deadlineAt = Number.isFinite(request.deadlineAt) ? request.deadlineAt : null;
      const parts = encodeJobFrame({ type: "job", jobId: job.id, kernel: request.kernel, deadlineAt }, [
        bytesOf(ends),
        bytesOf(timeouts),
        bytes,
        responseFrom ? bytesOf(responseFrom) : new Uint8Array(0),
      ]);
      // One write per job: each write to the pipe costs far more than copying the frame once.
      slot.writer.write(joinBytes(parts)).catch(() => {/* the process died; onExit settles its job */});
    }
  }
}

function assertNever(frame: never): void {
  throw new Error(`Unhandled sandbox frame ${JSON.stringify(frame)}`);
}

function faultOf(index: number, message: string): ItemFault {
  return { index, kind: "trap", message, memoryBytes: 0, inputBytes: 0 };
}

/** Forwards what a sandbox process prints on stderr (normally nothing), capped. */
async function drainStderr(stream: ReadableStream<Uint8Array>): Promise<void> {
  let printed = 0;
  for await (const bytes of stream) {
    if (printed < 8192) console.error(`sandbox: ${decoder.decode(bytes).trimEnd()}`);
    printed += bytes.length;
  }
}

/** The deadlines of a job's items (the chunk's own array when the job is the whole chunk). */
function timeoutsOf(request: ChunkRequest, positions: number[]): Float64Array {
  if (positions.length === request.timeoutsMs.length) return request.timeoutsMs;
  const out = new Float64Array(positions.length);
  for (let i = 0; i < positions.length; i++) out[i] = request.timeoutsMs[positions[i]];
  return out;
}

/** The items a job carries: bytes, ends, and which share an earlier item's response. */
export interface JobItems {
  bytes: Uint8Array;
  ends: Uint32Array;
  responseFrom?: Int32Array;
}

/**
 * Copies the chosen items (ascending positions) of a chunk into a fresh buffer (the whole chunk when
 * it is all of them). Exported for tests.
 */
export function sliceItems(request: ChunkRequest, positions: number[]): JobItems {
  if (positions.length === request.ends.length) {
    // The whole chunk: the frame copies it anyway, so no copy here.
    return {
      bytes: request.bytes.subarray(0, request.ends[request.ends.length - 1] ?? 0),
      ends: request.ends,
      responseFrom: request.responseFrom,
    };
  }
  if (request.responseFrom) return sliceSharing(request, request.responseFrom, positions);
  const ends = new Uint32Array(positions.length);
  let total = 0;
  for (const p of positions) total += request.ends[p] - (p > 0 ? request.ends[p - 1] : 0);
  const bytes = new Uint8Array(total);
  let at = 0;
  positions.forEach((p, i) => {
    const begin = p > 0 ? request.ends[p - 1] : 0;
    bytes.set(request.bytes.subarray(begin, request.ends[p]), at);
    at += request.ends[p] - begin;
    ends[i] = at;
  });
  return { bytes, ends };
}

/**
 * `sliceItems` for a chunk whose items share responses: an item that shares the response of an
 * item outside the slice (already scored) gets a copy of it, and the slice's later items that
 * shared the same response share that copy (so it still crosses once).
 */
function sliceSharing(request: ChunkRequest, responseFrom: Int32Array, positions: number[]): JobItems {
  const { bytes: all, ends: allEnds } = request;
  const begin = (p: number) => p > 0 ? allEnds[p - 1] : 0;
  /** The bytes of item p's response (after its 0x00), for an item that carries its own. */
  const responseOf = (p: number) => {
    const item = all.subarray(begin(p), allEnds[p]);
    return item.subarray(item.indexOf(0) + 1);
  };
  /** Chunk position of a response's carrier → its index in the slice. */
  const carriedAt = new Map<number, number>();
  const from = new Int32Array(positions.length).fill(-1);
  const copied: (Uint8Array | null)[] = new Array(positions.length).fill(null);
  let total = 0;
  positions.forEach((p, i) => {
    total += allEnds[p] - begin(p);
    const source = responseFrom[p];
    if (source < 0) {
      carriedAt.set(p, i);
      return;
    }
    const carrier = carriedAt.get(source);
    if (carrier !== undefined) {
      from[i] = carrier;
      return;
    }
    copied[i] = responseOf(source);
    total += copied[i]!.length;
    carriedAt.set(source, i);
  });
  const bytes = new Uint8Array(total);
  const ends = new Uint32Array(positions.length);
  let at = 0;
  positions.forEach((p, i) => {
    bytes.set(all.subarray(begin(p), allEnds[p]), at);
    at += allEnds[p] - begin(p);
    if (copied[i]) {
      bytes.set(copied[i]!, at);
      at += copied[i]!.length;
    }
    ends[i] = at;
  });
  return { bytes, ends, responseFrom: from };
}
