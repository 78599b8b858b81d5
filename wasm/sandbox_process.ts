/**
 * A sandbox process: the pool runs several, each `deno run` with read access to its kernels and
 * nothing else. Its main thread only supervises: it passes job frames from stdin to one Worker
 * thread that runs the kernels, and watches that thread's progress through shared memory. When an
 * item runs past its deadline it reports the item on stdout and exits the whole process, which is
 * the one reliable way to stop a thread spinning in WebAssembly (Worker.terminate() does not stop
 * a busy loop in Deno 2.9; see README, "Sandbox").
 *
 * Usage (by the pool): deno run --allow-read=… sandbox_process.ts name=/path/name.wasm …
 */
import { asFloat64, asInt32, asUint32, bytesOf, FrameReader, joinBytes } from "./frames.ts";
import { encodeSandboxFrame, readJobFrame } from "./sandbox_frames.ts";
import { createSharedCells, type FromWorker, type InitMessage } from "./protocol.ts";

const WATCHDOG_MS = 5;

interface RunningJob {
  jobId: number;
  timeoutsMs: Float64Array;
  deadlineAt: number;
}

/**
 * Writes a frame to the server. Blocking is fine: the worker already holds its next job (the pool
 * keeps several in each process, JOBS_PER_PROCESS in pool.ts), so it does not wait for this thread.
 * The parts go out as one buffer: a write per part (a header, two small arrays, the outputs) woke
 * the server's reader for each, and each read costs the server's busy main thread far more than
 * this copy costs here.
 */
function send(parts: Uint8Array[]): Promise<void> {
  const bytes = joinBytes(parts);
  let at = 0;
  while (at < bytes.length) at += Deno.stdout.writeSync(bytes.subarray(at));
  return Promise.resolve();
}

const kernels: Record<string, ArrayBuffer> = {};
for (const arg of Deno.args) {
  const split = arg.indexOf("=");
  kernels[arg.slice(0, split)] = Deno.readFileSync(arg.slice(split + 1)).buffer;
}

const cells = createSharedCells();
const progress = new Int32Array(cells.progress);
const started = new Float64Array(cells.started);
const sharedOutput = new Uint8Array(cells.output);
const sharedEnds = new Uint32Array(cells.outEnds);
const sharedMs = new Float64Array(cells.ms);
progress[1] = -1;
/** Jobs handed to the worker, which runs them one after the other in this order. */
const running = new Map<number, RunningJob>();
setInterval(inspect, WATCHDOG_MS);

const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
worker.onmessage = (event: MessageEvent<FromWorker>) => {
  const message = event.data;
  if (message.type === "ready") {
    send(encodeSandboxFrame({ type: "ready" }));
  } else if (message.type === "failed") {
    send(encodeSandboxFrame({ type: "failed", message: message.message })).finally(() => Deno.exit(1));
  } else {
    running.delete(message.jobId);
    send(encodeSandboxFrame({ type: "done", jobId: message.jobId, faults: message.faults }, [
      bytesOf(message.ms),
      bytesOf(message.outEnds),
      message.output,
    ]));
  }
};
worker.onerror = (event: ErrorEvent) => {
  event.preventDefault();
  send(encodeSandboxFrame({ type: "crashed", message: event.message })).finally(() => Deno.exit(1));
};
const init: InitMessage = { type: "init", kernels, cells };
worker.postMessage(init);

/** Stops the process when the running item is past its own deadline or the batch's budget. */
let stopping = false;

function inspect(): void {
  if (stopping) return;
  const job = running.get(Atomics.load(progress, 0));
  if (!job) return;
  const index = Atomics.load(progress, 1);
  if (index < 0) return;
  const startedAt = started[0];
  const now = performance.timeOrigin + performance.now();
  const itemDeadline = startedAt + job.timeoutsMs[index];
  if (now < Math.min(itemDeadline, job.deadlineAt)) return;
  const cause = itemDeadline <= job.deadlineAt ? "timeout" : "budget";
  // The items before the culprit whose outputs are in shared memory keep their results.
  const recovered = Math.min(index, Atomics.load(progress, 2));
  const outputEnd = recovered > 0 ? sharedEnds[recovered - 1] : 0;
  stopping = true;
  // Everything queued before (finished jobs' results) goes out first, then the overrun, then exit.
  send(
    encodeSandboxFrame({ type: "overrun", jobId: job.jobId, index, cause, ms: now - startedAt, recovered }, [
      bytesOf(sharedMs.slice(0, recovered)),
      bytesOf(sharedEnds.slice(0, recovered)),
      sharedOutput.slice(0, outputEnd),
    ]),
  ).finally(() => Deno.exit(0));
}

const reader = new FrameReader();
// One reused buffer, large reads (FrameReader copies what it keeps): measured on a bare pipe, 200 MB
// cost 190 ms of CPU this way against 280 ms through the stdin stream's chunks.
const input = new Uint8Array(1 << 20);
while (true) {
  const got = await Deno.stdin.read(input);
  if (got === null) break;
  for (const frame of reader.push(input.subarray(0, got))) {
    const header = readJobFrame(frame);
    const [ends, timeouts, bytes, shared] = frame.sections;
    running.set(header.jobId, {
      jobId: header.jobId,
      timeoutsMs: asFloat64(timeouts).slice(),
      deadlineAt: header.deadlineAt ?? Infinity,
    });
    const endsArray = asUint32(ends);
    const responseFrom = shared && shared.length > 0 ? asInt32(shared) : null;
    // Hand the frame's memory to the worker; the arrays may share it (when aligned) or be copies.
    const buffers = [bytes.buffer, endsArray.buffer, responseFrom?.buffer ?? bytes.buffer] as ArrayBuffer[];
    worker.postMessage(
      { type: "job", jobId: header.jobId, kernel: header.kernel, bytes, ends: endsArray, responseFrom },
      [...new Set(buffers)],
    );
  }
}
// The pool closed our stdin: it is shutting down.
Deno.exit(0);
