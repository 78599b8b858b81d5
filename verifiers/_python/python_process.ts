/**
 * One warm Python sandbox: a zygote script (e.g. chart_code's `renderer.py`) running under bubblewrap,
 * with its modules imported, that forks a child per job. The host keeps a backstop deadline per job (the job's own deadline plus a
 * grace period): past it the whole sandbox is killed (bubblewrap's --die-with-parent and its PID
 * namespace take every process in it along).
 */
import { ByteReader } from "./byte_reader.ts";
import { readFrame, type SandboxFrame } from "./frame.ts";
import { sandboxCommand } from "./sandbox.ts";

/** A job: chart code to run, or a reference PNG to decode, and the size of the pixels wanted. */
export interface PythonJob {
  kind: "code" | "image";
  code?: string;
  pngBase64?: string;
  width: number;
  height: number;
  timeoutMs: number;
}

/** A job's end as the host saw it: a frame from the sandbox, or a fault of the sandbox process. */
export type PythonResult =
  | { frame: SandboxFrame; ms: number }
  | { fault: "deadline" | "protocol" | "exited"; message: string; ms: number };

/** Time after a job's deadline before the host kills the whole sandbox (the zygote kills first). */
export const BACKSTOP_GRACE_MS = 2000;
const START_TIMEOUT_MS = 60_000;
const encoder = new TextEncoder();

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

  /** Starts `script` in a sandbox and waits until it says it is warm (`RDY1`). */
  static async start(script: string): Promise<PythonProcess> {
    const { program, args } = sandboxCommand(script);
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
  async run(job: PythonJob): Promise<PythonResult> {
    const started = performance.now();
    const ms = () => performance.now() - started;
    const id = this.nextId++;
    this.jobs++;
    const body = encoder.encode(JSON.stringify({
      id,
      kind: job.kind,
      code: job.code,
      png_b64: job.pngBase64,
      width: job.width,
      height: job.height,
      timeout_ms: job.timeoutMs,
    }));
    const head = new Uint8Array(4);
    new DataView(head.buffer).setUint32(0, body.length, true);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const backstop = new Promise<"deadline">((resolve) =>
      timer = setTimeout(() => resolve("deadline"), job.timeoutMs + BACKSTOP_GRACE_MS)
    );
    try {
      await this.writer.write(head);
      await this.writer.write(body);
      const frame = await Promise.race([readFrame(this.reader, job.width, job.height), backstop]);
      if (frame === "deadline") {
        this.kill();
        return {
          fault: "deadline",
          message: `the sandbox passed the ${job.timeoutMs} ms deadline`,
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
