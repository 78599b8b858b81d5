/** Messages between the pool (main thread) and its sandbox workers. */

/** Most items one job may carry (the shared result cells are sized for it). */
export const MAX_JOB_ITEMS = 65536;

/** Bytes of kernel output a job keeps in shared memory (beyond it, outputs go to private memory). */
export const SHARED_OUTPUT_BYTES = 32 * 1024 * 1024;

/**
 * Memory shared between a sandbox process's supervisor and its worker, so the supervisor can see
 * which item is running and, when it must stop the worker, recover the results already written.
 */
export interface SharedCells {
  /** Int32 [0]: job id being run, [1]: index of the item being scored (-1 when idle),
   *  [2]: how many leading items of the job have their output in `output` (recoverable). */
  progress: SharedArrayBuffer;
  /** Float64 [0]: when the current item started (epoch ms, performance.timeOrigin + now). */
  started: SharedArrayBuffer;
  /** The job's outputs joined by commas, as far as they fit (SHARED_OUTPUT_BYTES). */
  output: SharedArrayBuffer;
  /** Uint32 per item: where its output ends in `output`. */
  outEnds: SharedArrayBuffer;
  /** Float64 per item: its run time in ms. */
  ms: SharedArrayBuffer;
}

/** Allocates the shared cells for one worker. */
export function createSharedCells(): SharedCells {
  return {
    progress: new SharedArrayBuffer(12),
    started: new SharedArrayBuffer(8),
    output: new SharedArrayBuffer(SHARED_OUTPUT_BYTES),
    outEnds: new SharedArrayBuffer(MAX_JOB_ITEMS * 4),
    ms: new SharedArrayBuffer(MAX_JOB_ITEMS * 8),
  };
}

/** Sent once after a worker starts: every kernel's compiled bytes and the shared cells. */
export interface InitMessage {
  type: "init";
  kernels: Record<string, ArrayBuffer>;
  cells: SharedCells;
}

/**
 * A chunk of items for one kernel, marshalled as one buffer: item i is bytes[ends[i-1] .. ends[i]),
 * its parameters, 0x00 and its response; or, when `responseFrom[i]` is k ≥ 0, its parameters and
 * 0x00 only, its response being item k's (k < i).
 */
export interface JobMessage {
  type: "job";
  jobId: number;
  kernel: string;
  bytes: Uint8Array;
  ends: Uint32Array;
  responseFrom: Int32Array | null;
}

/** One item that trapped inside the kernel; the worker re-instantiated the kernel and went on. */
export interface ItemFault {
  index: number;
  kind: "trap" | "abort";
  message: string;
  /** Linear memory in use when it trapped, to tell a memory-cap overrun from a bug. */
  memoryBytes: number;
  inputBytes: number;
}

/**
 * The chunk's outputs: `output` is the items' kernel JSON joined by commas (a faulted item writes
 * `null` and has an entry in `faults`); item i ends at byte outEnds[i]. `ms` is each item's run time.
 */
export interface DoneMessage {
  type: "done";
  jobId: number;
  output: Uint8Array;
  outEnds: Uint32Array;
  ms: Float64Array;
  faults: ItemFault[];
}

export interface ReadyMessage {
  type: "ready";
}

/** The worker could not start (a kernel failed to compile). */
export interface FailedMessage {
  type: "failed";
  message: string;
}

export type FromWorker = DoneMessage | ReadyMessage | FailedMessage;
export type ToWorker = InitMessage | JobMessage;
