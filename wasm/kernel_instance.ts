/**
 * One instantiated verifier kernel. The sandbox worker drives it; tests and the perf baseline may
 * drive it in-process. The module gets an explicit import object (`env.abort`, nothing else).
 */

/** Thrown by the kernel's `abort` import (an AssemblyScript assertion or runtime error). */
export class KernelAbort extends Error {
  override name = "KernelAbort";
}

interface KernelExports {
  memory: WebAssembly.Memory;
  input(len: number): number;
  score(): number;
  output_len(): number;
}

/** Compiles a kernel's bytes; the memory cap is the module's own (set by `--maximumMemory` at build time). */
export function compileKernel(bytes: BufferSource): WebAssembly.Module {
  return new WebAssembly.Module(bytes);
}

/** A live kernel instance with a reusable byte view of its memory. */
export class KernelInstance {
  readonly exports: KernelExports;
  private view: Uint8Array;

  constructor(module: WebAssembly.Module) {
    const imports = {
      env: {
        abort(_message: number, _file: number, line: number, column: number): never {
          throw new KernelAbort(`kernel aborted at ${line}:${column}`);
        },
      },
    };
    const instance = new WebAssembly.Instance(module, imports);
    this.exports = instance.exports as unknown as KernelExports;
    this.view = new Uint8Array(this.exports.memory.buffer);
  }

  /** Bytes of linear memory in use now. */
  memoryBytes(): number {
    return this.exports.memory.buffer.byteLength;
  }

  private bytes(): Uint8Array {
    if (this.view.buffer !== this.exports.memory.buffer) {
      this.view = new Uint8Array(this.exports.memory.buffer);
    }
    return this.view;
  }

  /**
   * Scores one item given as its encoded bytes (parameters, 0x00, response) and returns a view of
   * the kernel's output bytes, valid until the next call.
   */
  scoreBytes(item: Uint8Array): Uint8Array {
    return this.scoreParts(item, EMPTY);
  }

  /**
   * Scores one item given in two parts that the kernel reads as one (`head` then `tail`: an item's
   * parameters and 0x00, then a response shared with other items), copied into its memory.
   */
  scoreParts(head: Uint8Array, tail: Uint8Array): Uint8Array {
    const ptr = this.exports.input(head.length + tail.length);
    const memory = this.bytes();
    memory.set(head, ptr);
    if (tail.length > 0) memory.set(tail, ptr + head.length);
    const out = this.exports.score();
    const len = this.exports.output_len();
    return this.bytes().subarray(out, out + len);
  }
}

const EMPTY: Uint8Array = new Uint8Array(0);
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Encodes one item the way every kernel reads it: parameters as JSON, a 0x00 byte, the response. */
export function encodeItem(params: unknown, response: string): Uint8Array {
  const head = encoder.encode(JSON.stringify(params));
  const body = encoder.encode(response);
  const out = new Uint8Array(head.length + 1 + body.length);
  out.set(head, 0);
  out.set(body, head.length + 1);
  return out;
}

/** Scores one item in-process and parses the kernel's JSON output (for tests and tools, not the server). */
export function scoreInProcess(instance: KernelInstance, params: unknown, response: string): KernelOutput {
  return JSON.parse(decoder.decode(instance.scoreBytes(encodeItem(params, response))));
}

/** What a kernel returns for one item. */
export interface KernelOutput {
  reward: number;
  correct: boolean;
  details: Record<string, unknown> & { reason: string | null };
}
