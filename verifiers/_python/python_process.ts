/**
 * One warm Python sandbox: the zygote (zygote.py) with its job handlers loaded, running under
 * bubblewrap, forking a fresh child per job. The host keeps a backstop deadline per job (the job's
 * own deadline plus a grace period) and honours a cancellation signal: past either, the whole sandbox
 * is killed (bubblewrap's --die-with-parent and its PID namespace take every process in it along).
 */
import { ByteReader } from "./byte_reader.ts";
import { type FrameCaps, readFrame, type SandboxFrame } from "./frame.ts";
import { sandboxCommand } from "./sandbox.ts";
import { seccompFilterFile } from "./seccomp.ts";

/** A job: the handler's kind and fields, its deadline and the caps on what may come back. */
export interface PythonJob {
  /** A kind one of the sandbox's handlers serves (e.g. "chart_code", "program"). */
  kind: string;
  /** Kind-specific fields, sent as JSON (e.g. `{code, width, height}`). */
  fields: Record<string, unknown>;
  timeoutMs: number;
  /** Caps in bytes on the payload, stdout and stderr (stdout and stderr default to 0: discarded). */
  caps: { payload: number; stdout?: number; stderr?: number };
  /** Text on the child's stdin (default: /dev/null). */
  stdin?: string;
  /** Address-space limit of the child in MiB (default 3072). */
  memoryMb?: number;
  /**
   * Bytes for the handler's check in the zygote (e.g. a test's expected output), sent only after the
   * child is forked, so the job's own process never holds them.
   */
  check?: Uint8Array;
}

/** A job's end as the host saw it: a frame from the sandbox, or a fault of the sandbox process. */
export type PythonResult =
  | { frame: SandboxFrame; ms: number }
  | { fault: "deadline" | "protocol" | "exited" | "cancelled"; message: string; ms: number };

/** Time after a job's deadline before the host kills the whole sandbox (the zygote kills first). */
export const BACKSTOP_GRACE_MS = 2000;
const START_TIMEOUT_MS = 60_000;
const encoder = new TextEncoder();

function message(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + bytes.length);
  new DataView(out.buffer).setUint32(0, bytes.length, true);
  out.set(bytes, 4);
  return out;
}

/** A started sandbox with a warm zygote in it. */
export class PythonProcess {
  jobs = 0;
  dead = false;
  private nextId = 1;
  private stderrTail = "";

  private constructor(
    private readonly child: Deno.ChildProcess,
    private readonly reader: ByteReader,
    private readonly writer: WritableStreamDefaultWriter<Uint8Array>,
  ) {
    this.drainStderr();
    child.status.then(() => this.dead = true);
  }

  /** Starts the zygote with `handlers` in a sandbox and waits until it says it is warm (`RDY1`). */
  static async start(handlers: string[]): Promise<PythonProcess> {
    const { program, args } = sandboxCommand(handlers, await seccompFilterFile());
    const child = new Deno.Command(program, {
      args,
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
      clearEnv: true,
    }).spawn();
    const process = new PythonProcess(child, new ByteReader(child.stdout), child.stdin.getWriter());
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<null>((resolve) => timer = setTimeout(() => resolve(null), START_TIMEOUT_MS));
    const ready = await Promise.race([process.reader.readExact(4), timeout]);
    clearTimeout(timer);
    if (ready === null || new TextDecoder().decode(ready) !== "RDY1") {
      process.kill();
      await child.status;
      throw new Error(`The Python sandbox did not start: ${process.stderrTail.trim() || "no output"}`);
    }
    return process;
  }

  /** Runs one job; any fault leaves the process dead (the pool replaces it). */
  async run(job: PythonJob, signal?: AbortSignal): Promise<PythonResult> {
    const started = performance.now();
    const ms = () => performance.now() - started;
    const id = this.nextId++;
    this.jobs++;
    const caps: FrameCaps = {
      payload: job.caps.payload,
      stdout: job.caps.stdout ?? 0,
      stderr: job.caps.stderr ?? 0,
    };
    const body = encoder.encode(JSON.stringify({
      ...job.fields,
      id,
      kind: job.kind,
      timeout_ms: job.timeoutMs,
      payload_cap: caps.payload,
      stdout_cap: caps.stdout,
      stderr_cap: caps.stderr,
      stdin: job.stdin,
      memory_mb: job.memoryMb,
    }));
    let timer: ReturnType<typeof setTimeout> | undefined;
    let onAbort: (() => void) | undefined;
    const stop = new Promise<"deadline" | "cancelled">((resolve) => {
      timer = setTimeout(() => resolve("deadline"), job.timeoutMs + BACKSTOP_GRACE_MS);
      onAbort = () => resolve("cancelled");
      signal?.addEventListener("abort", onAbort, { once: true });
    });
    try {
      if (signal?.aborted) return { fault: "cancelled", message: "cancelled before it started", ms: ms() };
      await this.writer.write(message(body));
      await this.writer.write(message(job.check ?? new Uint8Array(0)));
      const frame = await Promise.race([readFrame(this.reader, caps), stop]);
      if (frame === "deadline" || frame === "cancelled") {
        this.kill();
        return {
          fault: frame,
          message: frame === "deadline"
            ? `the sandbox passed the ${job.timeoutMs} ms deadline`
            : "the job was cancelled (the batch's budget ran out)",
          ms: ms(),
        };
      }
      if (frame === null || frame.id !== id) {
        this.kill();
        return {
          fault: this.dead ? "exited" : "protocol",
          message: this.dead ? "the sandbox exited" : "the sandbox's answer broke the protocol",
          ms: ms(),
        };
      }
      return { frame, ms: ms() };
    } catch (error) {
      this.kill();
      return { fault: "exited", message: `the sandbox failed: ${(error as Error).message}`, ms: ms() };
    } finally {
      clearTimeout(timer);
      if (onAbort) signal?.removeEventListener("abort", onAbort);
    }
  }

  /** Kills the sandbox (every process in it) at once. */
  kill(): void {
    if (!this.dead) {
      try {
        this.child.kill("SIGKILL");
      } catch { /* already gone */ }
    }
    this.dead = true;
    this.reader.cancel();
    this.writer.close().catch(() => {});
  }

  /** Resolves when the sandbox process has exited. */
  async exited(): Promise<void> {
    await this.child.status;
  }

  private async drainStderr(): Promise<void> {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of this.child.stderr) {
        this.stderrTail = (this.stderrTail + decoder.decode(chunk)).slice(-2048);
      }
    } catch { /* closed */ }
  }
}
