/**
 * A sandbox worker: instantiates the verifier kernels and scores chunks of items with them.
 * Its only contact with the outside is postMessage and shared cells through which its supervisor
 * sees which item is running, since when, and the outputs written so far (so that when it stops
 * this worker at a deadline, the items scored before the culprit keep their results).
 */
/// <reference lib="deno.worker" />
import { compileKernel, KernelAbort, KernelInstance } from "./kernel_instance.ts";
import {
  type DoneMessage,
  type InitMessage,
  type ItemFault,
  type JobMessage,
  MAX_JOB_ITEMS,
  type ToWorker,
} from "./protocol.ts";

const modules = new Map<string, WebAssembly.Module>();
const instances = new Map<string, KernelInstance>();
let progress: Int32Array;
let started: Float64Array;
let sharedOutput: Uint8Array;
let sharedEnds: Uint32Array;
let sharedMs: Float64Array;
/** Where outputs go: the shared buffer until a job outgrows it, then a private copy. */
let output: Uint8Array;
const COMMA = new Uint8Array([0x2c]);
const EMPTY: Uint8Array = new Uint8Array(0);
const NULL = new TextEncoder().encode("null");

function instanceFor(kernel: string): KernelInstance {
  let instance = instances.get(kernel);
  if (!instance) {
    const module = modules.get(kernel);
    if (!module) throw new Error(`Unknown kernel "${kernel}"`);
    instance = new KernelInstance(module);
    instances.set(kernel, instance);
  }
  return instance;
}

function append(at: number, bytes: Uint8Array): number {
  if (at + bytes.length > output.length) {
    // Past the shared buffer: the items from here on are not recoverable after a stop.
    if (output === sharedOutput) Atomics.store(progress, 2, Atomics.load(progress, 1));
    let size = output.length * 2;
    while (size < at + bytes.length) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(output.subarray(0, at));
    output = grown;
  }
  output.set(bytes, at);
  return at + bytes.length;
}

function runJob(job: JobMessage): DoneMessage {
  const count = job.ends.length;
  if (count > MAX_JOB_ITEMS) throw new Error(`A job carries at most ${MAX_JOB_ITEMS} items, got ${count}`);
  const outEnds = sharedEnds;
  const ms = sharedMs;
  const faults: ItemFault[] = [];
  let at = 0;
  let begin = 0;
  output = sharedOutput;
  Atomics.store(progress, 2, count);
  Atomics.store(progress, 0, job.jobId);
  const shared = sharedResponses(job);
  // One clock read per item: an item ends when the next starts (the bookkeeping between is tiny);
  // each read costs about 0.15 µs, a tenth of a small kernel's item.
  const origin = performance.timeOrigin;
  let instance = instanceFor(job.kernel);
  let t0 = performance.now();
  for (let i = 0; i < count; i++) {
    const end = job.ends[i];
    const item = job.bytes.subarray(begin, end);
    const tail = shared(i);
    begin = end;
    started[0] = origin + t0;
    Atomics.store(progress, 1, i);
    if (i > 0) {
      if (at < output.length) output[at++] = 0x2c;
      else at = append(at, COMMA);
    }
    try {
      at = append(at, instance.scoreParts(item, tail));
    } catch (error) {
      at = append(at, NULL);
      faults.push({
        index: i,
        kind: error instanceof KernelAbort ? "abort" : "trap",
        message: error instanceof Error ? error.message : String(error),
        memoryBytes: instance.memoryBytes(),
        inputBytes: item.length + tail.length,
      });
      // The instance's state is undefined after a trap: start the next item on a fresh one.
      instances.delete(job.kernel);
      instance = instanceFor(job.kernel);
    }
    outEnds[i] = at;
    const t1 = performance.now();
    ms[i] = t1 - t0;
    t0 = t1;
  }
  Atomics.store(progress, 1, -1);
  return {
    type: "done",
    jobId: job.jobId,
    output: output.slice(0, at),
    outEnds: outEnds.slice(0, count),
    ms: ms.slice(0, count),
    faults,
  };
}

/**
 * Item i's shared response (the bytes after item k's 0x00, where k = responseFrom[i]), or nothing.
 * The kernel reads it after the item's own bytes; it is copied into the kernel's memory per item.
 */
function sharedResponses(job: JobMessage): (index: number) => Uint8Array {
  const from = job.responseFrom;
  if (!from) return () => EMPTY;
  let lastSource = -1;
  let lastResponse = EMPTY;
  return (index) => {
    const source = from[index];
    if (source < 0 || source >= index) return EMPTY;
    if (source !== lastSource) {
      const item = job.bytes.subarray(source > 0 ? job.ends[source - 1] : 0, job.ends[source]);
      lastResponse = item.subarray(item.indexOf(0) + 1);
      lastSource = source;
    }
    return lastResponse;
  };
}

function init(message: InitMessage): void {
  progress = new Int32Array(message.cells.progress);
  started = new Float64Array(message.cells.started);
  sharedOutput = new Uint8Array(message.cells.output);
  sharedEnds = new Uint32Array(message.cells.outEnds);
  sharedMs = new Float64Array(message.cells.ms);
  for (const [name, bytes] of Object.entries(message.kernels)) modules.set(name, compileKernel(bytes));
}

self.onmessage = (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  if (message.type === "init") {
    try {
      init(message);
      self.postMessage({ type: "ready" });
    } catch (error) {
      self.postMessage({ type: "failed", message: String(error) });
    }
    return;
  }
  const done = runJob(message);
  self.postMessage(done, [done.output.buffer, done.outEnds.buffer, done.ms.buffer] as ArrayBuffer[]);
};
