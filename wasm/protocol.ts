/** Messages between the pool (main thread) and its sandbox workers. */

/** Sent once after a worker starts: every kernel's compiled bytes and the shared progress cells. */
export interface InitMessage {
  type: "init";
  kernels: Record<string, ArrayBuffer>;
  /** Int32 [0]: job id being run, [1]: index of the item being scored (-1 when idle). */
  progress: SharedArrayBuffer;
  /** Float64 [0]: when the current item started (epoch ms, performance.timeOrigin + now). */
  started: SharedArrayBuffer;
}

/** A chunk of items for one kernel, marshalled as one buffer: item i is bytes[ends[i-1] .. ends[i]). */
export interface JobMessage {
  type: "job";
  jobId: number;
  kernel: string;
  bytes: Uint8Array;
  ends: Uint32Array;
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
