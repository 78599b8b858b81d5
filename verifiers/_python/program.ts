/**
 * The "program" job kind (program_job.py): run a program in the sandbox and get its stdout, stderr,
 * exit status and, if asked, a named variable's value; optionally one unit test, checked by the
 * zygote outside the program's process. Everything read back came out of the sandbox: the record's
 * lengths are checked before slicing, and its texts stay data (a kernel parses what is graded).
 */
import { Check, Outcome } from "./frame.ts";
import type { PythonPool } from "./python_pool.ts";
import type { PythonJob, PythonResult } from "./python_process.ts";

/** The program handler script on the host. */
export const programHandlerPath = new URL("./program_job.py", import.meta.url).pathname;

const RECORD_HEADER_BYTES = 16;
const MAX_ERROR_BYTES = 4096;
const MAX_VALUE_BYTES = 64 << 10;

/** How the program ended, as the child saw it. */
export enum ProgramStatus {
  Ok = 0,
  Exception = 1,
  Exit = 2,
  Syntax = 3,
  Memory = 4,
  Blocked = 5,
}

/** One unit test, checked by the zygote (expected stdout) or by the harness plus the zygote (assert). */
export type ProgramTest =
  | { mode: "stdout"; stdout: string; compare: "exact" | "tokens" | "float" }
  | { mode: "assert"; source: string; entryPoint?: string };

/** A program to run. */
export interface ProgramRequest {
  code: string;
  stdin?: string;
  /** Variables whose value is wanted (the first one the program defined), e.g. ["answer", "ans"]. */
  variables?: string[];
  test?: ProgramTest;
  timeoutMs: number;
  /** Caps on stdout and stderr in bytes (defaults 64 KiB and 8 KiB). */
  stdoutBytes?: number;
  stderrBytes?: number;
}

/** How a program run ended, as the host reads it. */
export type ProgramRun =
  | {
    ended: "finished";
    status: ProgramStatus;
    exitCode: number;
    signal: number;
    error: string;
    value: string | null;
    stdout: string;
    stderr: string;
    stdoutTruncated: boolean;
    /** The unit test's result (null without a test). */
    passed: boolean | null;
    ms: number;
  }
  | { ended: "deadline" | "too_large" | "cancelled" | "sandbox_fault"; message: string; ms: number };

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: false });

/** The sandbox job for a program request. */
export function programJob(request: ProgramRequest): PythonJob {
  const test = request.test;
  const fields: Record<string, unknown> = { code: request.code, variables: request.variables ?? [] };
  let check: Uint8Array | undefined;
  if (test?.mode === "assert") {
    fields.assert_src = test.source;
    if (test.entryPoint !== undefined) fields.entry_point = test.entryPoint;
    check = encoder.encode(JSON.stringify({ mode: "assert" }));
  } else if (test?.mode === "stdout") {
    check = encoder.encode(JSON.stringify({ mode: "stdout", stdout: test.stdout, compare: test.compare }));
  }
  return {
    kind: "program",
    fields,
    timeoutMs: request.timeoutMs,
    stdin: request.stdin,
    caps: {
      payload: RECORD_HEADER_BYTES + MAX_ERROR_BYTES + MAX_VALUE_BYTES,
      stdout: request.stdoutBytes ?? 64 << 10,
      stderr: request.stderrBytes ?? 8 << 10,
    },
    check,
  };
}

/** Reads the handler's record; null when it is malformed (the program forged or broke it). */
export function readProgramRecord(
  payload: Uint8Array,
): { status: ProgramStatus; error: string; value: string | null } | null {
  if (payload.length < RECORD_HEADER_BYTES) return null;
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const magic = String.fromCharCode(payload[0], payload[1], payload[2], payload[3]);
  const status = view.getUint8(4);
  const hasValue = view.getUint8(5);
  const errorLen = view.getUint32(8, true);
  const valueLen = view.getUint32(12, true);
  if (
    magic !== "PRG1" || status > ProgramStatus.Blocked || hasValue > 1 || errorLen > MAX_ERROR_BYTES ||
    valueLen > MAX_VALUE_BYTES || payload.length !== RECORD_HEADER_BYTES + errorLen + valueLen
  ) return null;
  const body = payload.subarray(RECORD_HEADER_BYTES);
  return {
    status,
    error: decoder.decode(body.subarray(0, errorLen)),
    value: hasValue ? decoder.decode(body.subarray(errorLen)) : null,
  };
}

/** A pool's result for a program job, read into a `ProgramRun`. */
export function programRun(result: PythonResult, hasTest: boolean): ProgramRun {
  if ("fault" in result) {
    const ended = result.fault === "deadline" || result.fault === "cancelled"
      ? result.fault
      : "sandbox_fault";
    return { ended, message: result.message, ms: result.ms };
  }
  const frame = result.frame;
  if (frame.outcome === Outcome.Timeout) {
    return { ended: "deadline", message: "past its deadline", ms: result.ms };
  }
  if (frame.outcome === Outcome.TooLarge) {
    return { ended: "too_large", message: "its result record was over its cap", ms: result.ms };
  }
  const record = readProgramRecord(frame.payload);
  return {
    ended: "finished",
    // Without a record (os._exit, a signal) the exit status says how it ended.
    status: record?.status ??
      (frame.signal === 0 && frame.exitCode === 0 ? ProgramStatus.Ok : ProgramStatus.Exception),
    exitCode: frame.exitCode,
    signal: frame.signal,
    error: record?.error ??
      (frame.signal !== 0 ? `killed by signal ${frame.signal}` : "the program wrote no result"),
    value: record?.value ?? null,
    stdout: decoder.decode(frame.stdout),
    stderr: decoder.decode(frame.stderr),
    stdoutTruncated: frame.stdoutTruncated,
    passed: hasTest ? frame.check === Check.Passed : null,
    ms: result.ms,
  };
}

/** Runs one program on a pool (honouring `signal`, e.g. a batch's budget). */
export async function runProgram(
  pool: PythonPool,
  request: ProgramRequest,
  signal?: AbortSignal,
): Promise<ProgramRun> {
  return programRun(await pool.run(programJob(request), signal), request.test !== undefined);
}
