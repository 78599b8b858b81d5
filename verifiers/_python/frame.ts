/**
 * The zygote's answer frame (see zygote.py): a fixed 32-byte header, then the handler's payload, the
 * child's stdout and its stderr. Everything in it came out of the sandbox: each length is checked
 * against the cap the job asked for before anything is read, and the bytes stay opaque here (the
 * handler's reader or a kernel parses them).
 */
import type { ByteReader } from "./byte_reader.ts";

export const FRAME_HEADER_BYTES = 32;

/** How the zygote saw the job end. */
export enum Outcome {
  /** The child exited (normally or by a signal: see `signal`). */
  Exited = 0,
  /** The job's deadline passed; the zygote killed it. */
  Timeout = 1,
  /** The payload went past its cap; the zygote killed the job. */
  TooLarge = 3,
}

/** The zygote's own check of the job (e.g. a unit test), decided outside the job's process. */
export enum Check {
  None = 0,
  Passed = 1,
  Failed = 2,
}

/** One job's answer. */
export interface SandboxFrame {
  id: number;
  outcome: Outcome;
  /** The signal that ended the child (0: none). */
  signal: number;
  /** The child's exit status (-1 when a signal ended it). */
  exitCode: number;
  check: Check;
  payload: Uint8Array;
  stdout: Uint8Array;
  stderr: Uint8Array;
  /** Processes outlived the job (killed by the zygote); the sandbox is recycled. */
  leftover: boolean;
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
  /** The zygote could not wipe the writable places; the sandbox is recycled. */
  wipeFailed: boolean;
}

/** The byte caps a job asked for. */
export interface FrameCaps {
  payload: number;
  stdout: number;
  stderr: number;
}

/** Reads one frame; null when the stream ended or broke the protocol (a length over its cap). */
export async function readFrame(reader: ByteReader, caps: FrameCaps): Promise<SandboxFrame | null> {
  const head = await reader.readExact(FRAME_HEADER_BYTES);
  if (head === null) return null;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const magic = String.fromCharCode(head[0], head[1], head[2], head[3]);
  const outcome = view.getUint8(8);
  const flags = view.getUint8(9);
  const check = view.getUint8(16);
  const payloadLen = view.getUint32(20, true);
  const stdoutLen = view.getUint32(24, true);
  const stderrLen = view.getUint32(28, true);
  if (
    magic !== "ZYG2" || !(outcome in Outcome) || check > Check.Failed || payloadLen > caps.payload ||
    stdoutLen > caps.stdout || stderrLen > caps.stderr
  ) return null;
  const body = await reader.readExact(payloadLen + stdoutLen + stderrLen);
  if (body === null) return null;
  return {
    id: view.getUint32(4, true),
    outcome,
    signal: view.getUint16(10, true),
    exitCode: view.getInt32(12, true),
    check,
    payload: body.subarray(0, payloadLen),
    stdout: body.subarray(payloadLen, payloadLen + stdoutLen),
    stderr: body.subarray(payloadLen + stdoutLen),
    leftover: (flags & 1) !== 0,
    stdoutTruncated: (flags & 2) !== 0,
    stderrTruncated: (flags & 4) !== 0,
    wipeFailed: (flags & 8) !== 0,
  };
}
